/**
 * Weak entity tags over the stored version counter (RFC 7232 §2.3, RFC 7644 §3.14). `If-Match`
 * is honoured but never required: Entra does not send it.
 */
import { ScimError } from './errors';

export const etagOf = (version: number): string => `W/"${version}"`;

/**
 * The opaque values of an `If-Match`/`If-None-Match` list, or `'*'`. Weak and strong tags compare
 * by value (the weak comparison; our tags are weak). Bare, unquoted values are read leniently.
 */
const tagsOf = (header: string): string[] | '*' => {
  const text = header.trim();
  if (text === '*') return '*';
  const tags: string[] = [];
  const TAG = /\s*(?:W\/)?(?:"([^"]*)"|([^,\s]+))\s*(?:,|$)/giy;
  let match: RegExpExecArray | null;
  while (TAG.lastIndex < text.length && (match = TAG.exec(text))) tags.push(match[1] ?? match[2]);
  return tags;
};

const matches = (header: string, version: number): boolean => {
  const tags = tagsOf(header);
  return tags === '*' || tags.includes(String(version));
};

/** Throws 412 when `If-Match` is present and names no current version. */
export const assertIfMatch = (ifMatch: string | undefined, version: number): void => {
  if (ifMatch === undefined || ifMatch.trim() === '') return;
  if (!matches(ifMatch, version)) throw ScimError.preconditionFailed();
};

/** True when a GET may answer 304: `If-None-Match` names the current version (or is `*`). */
export const isNotModified = (ifNoneMatch: string | undefined, version: number): boolean =>
  ifNoneMatch !== undefined && ifNoneMatch.trim() !== '' && matches(ifNoneMatch, version);
