/**
 * What changed between two versions of a SCIM resource, as Entra's `modifiedProperties`: a deep
 * diff of the stored resources flattened to SCIM attribute paths (`name.givenName`,
 * `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`). Secrets are masked and
 * long values truncated before anything leaves this module. Pure.
 */
import type { AttributeChange } from '../domain/report-row';
import { isPlainObject } from '../scim/json';

/** Longest value a report keeps (characters); the store may shorten further to fit a row in 1 KB. */
export const MAX_VALUE_CHARS = 256;
export const MASK = '***';

/** Not attributes a person changes, or not part of the stored resource's identity. */
const SKIPPED_TOP_LEVEL = new Set(['schemas', 'id', 'meta', 'groups', 'members']);

/** Any path segment that looks like a secret hides the value (the fact that it changed stays). */
const SENSITIVE_PART = /password|passwd|secret|token|credential|api[-_]?key|private[-_]?key/i;
const SENSITIVE_SEGMENT = /^(pin|otp)$/i;

export const isSensitivePath = (path: string): boolean =>
  path.split(/[.:[\]\s"]+/).some((segment) => SENSITIVE_PART.test(segment) || SENSITIVE_SEGMENT.test(segment));

export const truncate = (value: string, maxChars = MAX_VALUE_CHARS): string => {
  if (value.length <= maxChars) return value;
  // Cut on code points so a surrogate pair is never split.
  return `${Array.from(value).slice(0, maxChars - 1).join('')}…`;
};

const leafString = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Set) return JSON.stringify([...value]);
  return JSON.stringify(value);
};

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The attribute that identifies each element of a multi-valued complex attribute, if one does. */
const selectorOf = (elements: unknown[]): 'type' | 'value' | undefined => {
  if (!elements.length || !elements.every(isPlainObject)) return undefined;
  for (const attr of ['type', 'value'] as const) {
    const seen = new Set<string>();
    const unique = elements.every((e) => {
      const v = (e as Record<string, unknown>)[attr];
      if (typeof v !== 'string' || v === '' || seen.has(v.toLowerCase())) return false;
      seen.add(v.toLowerCase());
      return true;
    });
    if (unique) return attr;
  }
  return undefined;
};

const flattenInto = (out: Map<string, string>, path: string, value: unknown): void => {
  if (value === null || value === undefined) return;
  if (isPlainObject(value)) {
    for (const [name, child] of Object.entries(value)) flattenInto(out, `${path}.${name}`, child);
    return;
  }
  if (Array.isArray(value)) {
    const selector = selectorOf(value);
    if (!selector) {
      if (value.length) out.set(path, leafString(value) ?? '');
      return;
    }
    for (const element of value as Record<string, unknown>[]) {
      const key = `${path}[${selector} eq ${quote(String(element[selector]))}]`;
      for (const [name, child] of Object.entries(element)) {
        if (selector === 'type' && name === 'type') continue;
        flattenInto(out, `${key}.${name}`, child);
      }
    }
    return;
  }
  const leaf = leafString(value);
  if (leaf !== undefined) out.set(path, leaf);
};

/** Every attribute of a stored resource as `path → value`, in the resource's own order. */
export const flattenResource = (resource: Record<string, unknown> | undefined): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(resource ?? {})) {
    if (SKIPPED_TOP_LEVEL.has(name)) continue;
    if (/^urn:/i.test(name) && isPlainObject(value)) {
      // Extension attributes are addressed `<schema URN>:<attribute>` (RFC 7644 §3.10).
      for (const [child, childValue] of Object.entries(value)) flattenInto(out, `${name}:${child}`, childValue);
      continue;
    }
    flattenInto(out, name, value);
  }
  return out;
};

const safe = (path: string, value: string | undefined): string | undefined =>
  value === undefined ? undefined : isSensitivePath(path) ? MASK : truncate(value);

/** Changed attributes between two resources (either may be absent: create / delete). */
export const diffResources = (
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): AttributeChange[] => {
  const oldFlat = flattenResource(before);
  const newFlat = flattenResource(after);
  const changes: AttributeChange[] = [];
  const push = (name: string) => {
    const oldValue = oldFlat.get(name);
    const newValue = newFlat.get(name);
    if (oldValue === newValue) return;
    const change: AttributeChange = { name };
    const o = safe(name, oldValue);
    const n = safe(name, newValue);
    if (o !== undefined) change.old = o;
    if (n !== undefined) change.new = n;
    changes.push(change);
  };
  for (const name of newFlat.keys()) push(name);
  for (const name of oldFlat.keys()) if (!newFlat.has(name)) push(name);
  return changes;
};
