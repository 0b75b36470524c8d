/**
 * `Authorization: Basic …` at the token endpoint (client_secret_basic).
 *
 * RFC 6749 §2.3.1 is easy to get wrong: the client id and secret are first encoded with
 * application/x-www-form-urlencoded and only then joined by `:` and base64-encoded (RFC 7617), so
 * the decoder must split at the first colon *before* form-decoding each half — a `%3A` in a secret
 * is part of the secret, not the separator, and `+` is a space. Clients that skip the form
 * encoding still work for our own ids and secrets, which use no character the encoding changes.
 *
 * Decoding is strict (canonical base64 alphabet, valid UTF-8, valid percent escapes): a header we
 * would have to guess about is a failed client authentication, never a 500.
 */

export type BasicCredentials =
  | { ok: true; clientId: string; clientSecret: string }
  | { ok: false; description: string };

/** `Basic` in any letter case (RFC 9110 §11.1), one space or more, token68 in standard base64. */
const BASIC = /^basic[ \t]+([A-Za-z0-9+/]*={0,2})[ \t]*$/i;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The application/x-www-form-urlencoded decoding of one value (`+` is a space), or undefined when an escape is broken. */
export const formDecode = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

/** True when the header names the Basic scheme, whatever follows. */
export const isBasicScheme = (header: string): boolean => /^basic(?:[ \t]|$)/i.test(header.trimStart());

export const decodeBasicCredentials = (header: string): BasicCredentials => {
  const match = BASIC.exec(header.trim());
  const token = match?.[1] ?? '';
  // A base64 text of length 4n+1 cannot be canonical; padding, when present, must complete a quantum.
  if (!match || token === '' || token.length % 4 === 1 || (token.includes('=') && token.length % 4 !== 0)) {
    return { ok: false, description: 'the Basic credentials are not base64' };
  }
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(token, 'base64'));
  } catch {
    return { ok: false, description: 'the Basic credentials are not UTF-8' };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false, description: 'the Basic credentials have no colon between client id and secret' };
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) {
    return { ok: false, description: 'the Basic credentials are not form-urlencoded (RFC 6749 section 2.3.1)' };
  }
  if (clientId === '') return { ok: false, description: 'the Basic credentials have an empty client id' };
  if (clientSecret === '') return { ok: false, description: 'the Basic credentials have an empty client secret' };
  return { ok: true, clientId, clientSecret };
};

/** The header a client builds (RFC 6749 §2.3.1): the inverse of decodeBasicCredentials, for tests and tools. */
export const encodeBasicCredentials = (clientId: string, clientSecret: string): string => {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`, 'utf8').toString('base64')}`;
};
