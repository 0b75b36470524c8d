/**
 * SCIM filter parser: RFC 7644 §3.4.2.2 grammar, plus the leniency real clients need.
 *
 * We do not use `scim2-parse-filter`: Entra and Microsoft's reference Postman collection send filters it
 * rejects — unquoted literals (`externalId eq jyoung`, `meta.Created gt 2015-10-10T14:38:21.8617979-07:00`,
 * `members[value eq 123abc]`), `$ref` attribute names, schema-URN paths with colons
 * (`urn:…:enterprise:2.0:User:manager.value`) and form-encoded `+` for spaces.
 *
 * Hand-written recursive descent over the raw text (the lexing is context-sensitive: after an operator an
 * unquoted literal may contain `-`, `:` and `.`). Precedence: `not` > `and` > `or`. Keywords, operators
 * and `true/false/null` are case-insensitive. Recursion happens only at `(`, `not (` and `[`, and is
 * capped at MAX_FILTER_DEPTH, so hostile input yields a 400, never a stack overflow.
 */
import { ScimError } from '../errors';
import { ATTR_NAME, type AttrPath, type CompValue, type Filter, isCompareOp } from './ast';
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, isWhitespace, normaliseFilterText } from './normalise';

type Fail = (detail: string) => ScimError;

const PATH_CHAR = /[A-Za-z0-9_$:.\-]/;
const LETTER = /[A-Za-z]/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

class FilterParser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly fail: Fail,
    private readonly noun: 'filter' | 'attribute path',
  ) {}

  parseWholeFilter(): Filter {
    this.skipWs();
    if (this.atEnd()) throw this.fail('the filter is empty.');
    const filter = this.parseOr(false);
    this.skipWs();
    if (!this.atEnd()) throw this.error(`expected 'and', 'or' or the end of the filter`);
    return filter;
  }

  parseWholePath(): AttrPath {
    this.skipWs();
    const path = this.parsePath(false);
    this.skipWs();
    if (!this.atEnd()) throw this.error('expected the end of the attribute path');
    return path;
  }

  // ---- logical structure -------------------------------------------------------------------

  private parseOr(inValueFilter: boolean): Filter {
    const terms = [this.parseAnd(inValueFilter)];
    while (this.acceptKeyword('or')) terms.push(this.parseAnd(inValueFilter));
    return combine('or', terms);
  }

  private parseAnd(inValueFilter: boolean): Filter {
    const terms = [this.parseUnary(inValueFilter)];
    while (this.acceptKeyword('and')) terms.push(this.parseUnary(inValueFilter));
    return combine('and', terms);
  }

  private parseUnary(inValueFilter: boolean): Filter {
    this.skipWs();
    if (this.peek() === '(') return this.parseGroup(inValueFilter);
    const save = this.pos;
    if (this.acceptKeyword('not')) {
      this.skipWs();
      if (this.peek() === '(') return { kind: 'not', filter: this.parseGroup(inValueFilter) };
      this.pos = save; // an attribute that happens to be called "not"
    }
    return this.parseAttrExp(inValueFilter);
  }

  private parseGroup(inValueFilter: boolean): Filter {
    const open = this.pos;
    this.enter();
    this.pos++; // '('
    const inner = this.parseOr(inValueFilter);
    this.skipWs();
    if (this.peek() !== ')') throw this.error(`expected ')' to close the '(' at character ${open + 1}`);
    this.pos++;
    this.depth--;
    return inner;
  }

  // ---- attribute expressions -----------------------------------------------------------------

  private parseAttrExp(inValueFilter: boolean): Filter {
    const start = this.pos;
    const attrPath = this.parsePath(inValueFilter);
    if (attrPath.valueFilter && attrPath.subAttr === undefined) {
      // `emails[type eq "work"]` is a filter on its own unless an operator follows.
      const save = this.pos;
      this.skipWs();
      const word = this.readWord().toLowerCase();
      this.pos = save;
      if (word !== 'pr' && !isCompareOp(word)) return { kind: 'valuePath', attrPath: omitValueFilter(attrPath), filter: attrPath.valueFilter };
    }

    this.skipWs();
    const opStart = this.pos;
    const word = this.readWord();
    const op = word.toLowerCase();
    const fullPath = this.text.slice(start, opStart).trimEnd();
    const written = fullPath.length > 60 ? `${fullPath.slice(0, 57)}…` : fullPath;
    if (op === 'pr') return { kind: 'present', attrPath };
    if (!isCompareOp(op)) {
      this.pos = opStart;
      const hint = written.toLowerCase() === 'not' ? ` ('not' must be followed by '(')` : '';
      throw this.error(`expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after '${written}'${hint}`);
    }
    this.skipWs();
    const value = this.parseValue(op);
    return { kind: 'compare', attrPath, op, value };
  }

  /** `[urn:]attr[.sub]` or `[urn:]attr[valFilter][.sub]`. */
  private parsePath(inValueFilter: boolean): AttrPath {
    const start = this.pos;
    while (!this.atEnd() && PATH_CHAR.test(this.peek())) this.pos++;
    const token = this.text.slice(start, this.pos);
    if (token === '') {
      this.pos = start;
      throw this.error(`expected an attribute name${inValueFilter ? '' : ", '(' or 'not ('"}`);
    }
    const at = `at character ${start + 1}`;

    let urn: string | undefined;
    let rest = token;
    const colon = token.lastIndexOf(':');
    if (colon >= 0) {
      urn = token.slice(0, colon);
      rest = token.slice(colon + 1);
      if (!/^urn:./i.test(urn)) throw this.fail(`'${token}' ${at} has a ':' but does not start with a schema URN ('urn:…:attribute').`);
    }
    const parts = rest.split('.');
    if (parts.length > 2) throw this.fail(`'${token}' ${at} has too many levels: use attribute or attribute.subAttribute.`);
    for (const part of parts) {
      if (!ATTR_NAME.test(part)) {
        throw this.fail(`'${part}' ${at} is not a valid attribute name (a letter or '$', then letters, digits, '-', '_' or '$').`);
      }
    }
    const [attr, sub] = parts;
    const base: AttrPath = urn === undefined ? { attr } : { urn, attr };

    if (this.peek() !== '[') return sub === undefined ? base : { ...base, subAttr: sub };

    if (sub !== undefined) throw this.fail(`'${token}' ${at}: a value filter '[…]' must follow an attribute, not a sub-attribute.`);
    if (inValueFilter) throw this.error('value filters cannot be nested');
    const open = this.pos;
    this.enter();
    this.pos++; // '['
    const valueFilter = this.parseOr(true);
    this.skipWs();
    if (this.peek() !== ']') throw this.error(`expected ']' to close the '[' at character ${open + 1}`);
    this.pos++;
    this.depth--;
    if (this.peek() !== '.') return { ...base, valueFilter };
    this.pos++;
    const subStart = this.pos;
    while (!this.atEnd() && PATH_CHAR.test(this.peek())) this.pos++;
    const subAttr = this.text.slice(subStart, this.pos);
    if (!ATTR_NAME.test(subAttr)) {
      this.pos = subStart;
      throw this.error(`expected a sub-attribute name after '].'`);
    }
    return { ...base, valueFilter, subAttr };
  }

  // ---- values ---------------------------------------------------------------------------------

  private parseValue(op: string): CompValue {
    const c = this.peek();
    if (c === '"') return this.parseString();
    const start = this.pos;
    while (!this.atEnd() && !isWhitespace(this.peek()) && this.peek() !== ')' && this.peek() !== ']') this.pos++;
    const token = this.text.slice(start, this.pos);
    if (token === '' || token[0] === '(' || token[0] === '[') {
      this.pos = start;
      throw this.error(`expected a value after '${op}' (a "string", number, true, false or null)`);
    }
    // Unquoted literals (Entra, Postman collection): keywords and JSON numbers keep their type, the rest is text.
    const lower = token.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (JSON_NUMBER.test(token)) {
      const n = Number(token);
      if (Number.isFinite(n)) return n === 0 ? 0 : n; // no -0 in ASTs
    }
    return token;
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++; // opening quote
    for (;;) {
      if (this.atEnd()) throw this.fail(`the string starting at character ${start + 1} is not closed with '"'.`);
      const c = this.peek();
      if (c === '\\') this.pos += 2;
      else {
        this.pos++;
        if (c === '"') break;
      }
    }
    const literal = this.text.slice(start, this.pos);
    try {
      return JSON.parse(literal) as string;
    } catch {
      throw this.fail(`the string starting at character ${start + 1} is not a valid JSON string (escape '"' and '\\' with a backslash; no raw control characters).`);
    }
  }

  // ---- scanning helpers -----------------------------------------------------------------------

  private acceptKeyword(keyword: 'and' | 'or' | 'not'): boolean {
    const save = this.pos;
    this.skipWs();
    const word = this.readWord();
    if (word.toLowerCase() === keyword && (this.atEnd() || !PATH_CHAR.test(this.peek()))) return true;
    this.pos = save;
    return false;
  }

  private readWord(): string {
    const start = this.pos;
    while (!this.atEnd() && LETTER.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private enter(): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) throw this.fail(`the filter nests more than ${MAX_FILTER_DEPTH} levels of '(', '[' or 'not'.`);
  }

  private skipWs(): void {
    while (!this.atEnd() && isWhitespace(this.peek())) this.pos++;
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** "at character N: expected X, found 'Y'" — positions are 1-based, as people count. */
  private error(expected: string): ScimError {
    const found = this.atEnd() ? `the end of the ${this.noun}` : `'${this.upcomingToken()}'`;
    return this.fail(`at character ${this.pos + 1}: ${expected}, found ${found}.`);
  }

  private upcomingToken(): string {
    const m = /^(?:"[^"]{0,20}"?|[^\s()[\]]{1,20}|.)/.exec(this.text.slice(this.pos));
    return m ? m[0] : this.peek();
  }
}

const combine = (kind: 'and' | 'or', terms: Filter[]): Filter => {
  if (terms.length === 1) return terms[0];
  return { kind, filters: terms.flatMap((t) => (t.kind === kind ? t.filters : [t])) };
};

const omitValueFilter = ({ valueFilter: _ignored, ...rest }: AttrPath): AttrPath => rest;

const checkLength = (text: string, what: string, fail: Fail): void => {
  if (typeof text !== 'string') throw fail(`the ${what} must be a string.`);
  if (text.length > MAX_FILTER_LENGTH) throw fail(`the ${what} is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}.`);
};

const filterError: Fail = (detail) => ScimError.invalidFilter(`Invalid filter: ${detail}`);

/**
 * Where a filter's text came from: a query string may carry form-encoded `+` for spaces
 * (normaliseFilterText); a JSON body (POST /.search) is taken as written.
 */
export type FilterSource = 'query' | 'json';

/** Parses a SCIM filter; every malformed filter throws `ScimError.invalidFilter` (400) with a readable detail. */
export const parseFilter = (text: string, source: FilterSource = 'query'): Filter => {
  checkLength(text, 'filter', filterError);
  return new FilterParser(source === 'query' ? normaliseFilterText(text) : text, filterError, 'filter').parseWholeFilter();
};

/**
 * Parses a standalone attribute path (`sortBy`, PATCH `path`): `[urn:]attr[.sub]` or `attr[filter][.sub]`.
 * `fail` builds the error (default: invalidFilter); PATCH passes `ScimError.invalidPath`, sortBy `invalidValue`.
 */
export const parseAttrPath = (text: string, fail: Fail = filterError): AttrPath => {
  checkLength(text, 'attribute path', fail);
  return new FilterParser(text, fail, 'attribute path').parseWholePath();
};
