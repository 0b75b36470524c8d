/**
 * The one codec of opaque cursors (RFC 9865 list cursors, the root search's, the report API's) and
 * the one digest that binds a cursor to the query that issued it. A cursor is base64url JSON; what
 * it holds, and how that is checked, is the schema each user passes. Cursors are not signed: a
 * decoded body is only a claim, which callers check against the query at hand before using it.
 */
import { createHash } from 'node:crypto';
// zod/mini: every Lambda that pages loads this file, and the full zod is ~450 KB of bundle.
import * as z from 'zod/mini';

/** Digest of everything that defines a query (not its page size or position), in order. */
export const queryDigest = (...parts: unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);

export const encodeCursor = (body: object): string => Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');

/** The cursor's body when it is one of `schema`'s shape; undefined for anything else (never throws). */
export const decodeCursor = <S extends z.ZodMiniType>(text: string, schema: S): z.output<S> | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
};
