/**
 * Which verifier a bearer credential goes to. The authorizer sees one `Authorization: Bearer …`
 * header for three kinds of credential — a Secret Token, a gateway access token, an Entra-issued
 * JWT — and must not try each in turn (a wrong guess would report the wrong reason). The shape
 * decides: Secret Tokens have their own format (shared/tokens.ts), and a JWT's unverified `typ` and
 * `iss` say who claims to have issued it. This proves nothing: the chosen verifier does.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { parseToken } from '../domain/secret-tokens';
import { ACCESS_TOKEN_TYPE } from './access-tokens';

export type BearerKind = 'secret-token' | 'access-token' | 'entra-token' | 'unknown';

const ENTRA_ISSUER_PREFIX = 'https://sts.windows.net/';

export const bearerKindOf = (token: string, issuer: string): BearerKind => {
  if (parseToken(token) !== undefined) return 'secret-token';
  try {
    const header = decodeProtectedHeader(token);
    const { iss } = decodeJwt(token);
    if (String(header.typ ?? '').toLowerCase().replace(/^application\//, '') === ACCESS_TOKEN_TYPE && iss === issuer) return 'access-token';
    if (typeof iss === 'string' && iss.startsWith(ENTRA_ISSUER_PREFIX)) return 'entra-token';
  } catch {
    // Not a JWT at all.
  }
  return 'unknown';
};
