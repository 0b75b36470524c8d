/**
 * Canonical text of a filter AST: lower-case keywords, every string JSON-quoted, single spaces, and
 * parentheses only where precedence needs them. `parseFilter(stringifyFilter(f))` deep-equals `f` for
 * every AST the parser can produce, so the text is safe to embed in cursors and compare.
 */
import type { AttrPath, CompValue, Filter } from './ast';

export const stringifyFilter = (filter: Filter): string => {
  switch (filter.kind) {
    case 'compare':
      return `${stringifyAttrPath(filter.attrPath)} ${filter.op} ${stringifyValue(filter.value)}`;
    case 'present':
      return `${stringifyAttrPath(filter.attrPath)} pr`;
    case 'and':
      // `or` binds looser than `and`; a nested `and` (only in hand-built ASTs) is grouped to keep its shape.
      return filter.filters.map((f) => (f.kind === 'or' || f.kind === 'and' ? `(${stringifyFilter(f)})` : stringifyFilter(f))).join(' and ');
    case 'or':
      return filter.filters.map((f) => (f.kind === 'or' ? `(${stringifyFilter(f)})` : stringifyFilter(f))).join(' or ');
    case 'not':
      return `not (${stringifyFilter(filter.filter)})`;
    case 'valuePath':
      return `${stringifyAttrPath(filter.attrPath)}[${stringifyFilter(filter.filter)}]`;
  }
};

export const stringifyAttrPath = (path: AttrPath): string => {
  const head = path.urn === undefined ? path.attr : `${path.urn}:${path.attr}`;
  const filtered = path.valueFilter ? `${head}[${stringifyFilter(path.valueFilter)}]` : head;
  return path.subAttr === undefined ? filtered : `${filtered}.${path.subAttr}`;
};

const stringifyValue = (value: CompValue): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value); // numbers print as JSON numbers; true/false/null as keywords
};
