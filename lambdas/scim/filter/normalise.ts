/**
 * Input limits and the `+`-as-space policy for query-string filters, applied before parsing.
 *
 * Why `+`: Entra form-encodes its queries (`filter=userName+eq+"x"`). API Gateway REST turns that
 * `+` into a space (lib/local/proxy-event.ts), but a front door that only percent-decodes hands it
 * over as sent. A valid filter always has whitespace outside its string literals (at least between
 * an attribute and its operator), so a filter with none there but with `+` there can only be
 * form-encoded: we read those `+` as spaces. A `+` inside a quoted string may be either (a real `+`
 * or a space); it stays here and both readings are answered later (space-readings.ts). A filter
 * that has real spaces is never touched, so `meta.created gt 2024-01-01T00:00:00+02:00` keeps its `+`.
 */

export const MAX_FILTER_LENGTH = 10_000;
export const MAX_FILTER_DEPTH = 64;

export const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

export const normaliseFilterText = (text: string): string => {
  let inString = false;
  let whitespaceOutside = false;
  let plusOutside = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '+') plusOutside = true;
    else if (isWhitespace(c)) whitespaceOutside = true;
  }
  if (whitespaceOutside || !plusOutside) return text;

  let out = '';
  inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < text.length) out += text[++i];
      else if (c === '"') inString = false;
    } else {
      if (c === '"') inString = true;
      out += c === '+' ? ' ' : c;
    }
  }
  return out;
};
