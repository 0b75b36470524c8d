import fc from 'fast-check';
import { decodeBasicCredentials, encodeBasicCredentials } from '../../../lambdas/oauth/basic-credentials';
import { parseTokenRequest } from '../../../lambdas/oauth/token-request';
import { tokenErrorResponse } from '../../../lambdas/oauth/token-response';

/** RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
const DESCRIPTION = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const parameter = fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', 'resource', 'GRANT_TYPE', '', '?grant_type');
const value = fc.oneof(
  fc.constantFrom('client_credentials', 'scim', 'scgwc_abcdefghij12_k3y00001', '', '%', '%zz', '+', '%E2%82', 'a%3Ab'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const formBody = fc.array(fc.tuple(parameter, value), { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
const body = fc.oneof(formBody, fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom(undefined, null, ''));
const contentType = fc.oneof(
  fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/json', ''),
  fc.string({ maxLength: 30 }),
);
const authorization = fc.oneof(
  fc.constant(undefined),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 })).map(([id, secret]) => encodeBasicCredentials(id, secret)),
  fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `Basic ${s}`),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
  fc.string({ maxLength: 40 }),
);
/** Lone surrogates cannot be sent as UTF-8: no real client produces them. */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

const method = fc.oneof(fc.constantFrom('POST', 'post', 'GET', 'PUT', ''), fc.string({ maxLength: 8 }));

describe('parseTokenRequest (properties)', () => {
  it('never throws, and every refusal is a well-formed OAuth error whose response is sendable', () => {
    fc.assert(
      fc.property(method, contentType, authorization, body, (m, type, auth, b) => {
        const headers: Record<string, string | undefined> = { 'content-type': type };
        if (auth !== undefined) headers.authorization = auth;
        const result = parseTokenRequest({ method: m, headers, body: b });
        if (result.ok) {
          expect(result.scope).toBe('scim');
          expect(result.clientId).not.toBe('');
          expect(result.clientSecret).not.toBe('');
          return;
        }
        expect(DESCRIPTION.test(result.description)).toBe(true);
        expect([400, 401, 405]).toContain(result.status);
        // invalid_client is always 401 with a Basic challenge; every other error is never 401.
        expect(result.status === 401).toBe(result.error === 'invalid_client');
        if (result.error === 'invalid_client') expect(result.headers?.['WWW-Authenticate']).toMatch(/^Basic realm="[^"\\]*"$/);
        const response = tokenErrorResponse(result);
        expect(response.headers['Cache-Control']).toBe('no-store');
        expect(response.headers.Pragma).toBe('no-cache');
        expect(JSON.parse(response.body)).toEqual({ error: result.error, error_description: result.description });
      }),
      { numRuns: 1000 },
    );
  });

  it('reads back any client id and secret a client form-encodes into Basic credentials', () => {
    const id = fc.string({ minLength: 1, maxLength: 40 });
    const secret = fc.string({ minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(id, secret, (clientId, clientSecret) => {
        fc.pre(wellFormed(clientId) && wellFormed(clientSecret));
        expect(decodeBasicCredentials(encodeBasicCredentials(clientId, clientSecret))).toEqual({ ok: true, clientId, clientSecret });
        const parsed = parseTokenRequest({
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: encodeBasicCredentials(clientId, clientSecret) },
          body: 'grant_type=client_credentials',
        });
        expect(parsed).toEqual({ ok: true, clientId, clientSecret, scope: 'scim', method: 'client_secret_basic' });
      }),
      { numRuns: 300 },
    );
  });

  it('reads back any client id and secret sent form-encoded in the body', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 60 }), (clientId, clientSecret) => {
        fc.pre(wellFormed(clientId) && wellFormed(clientSecret));
        const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString();
        expect(parseTokenRequest({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).toEqual({
          ok: true, clientId, clientSecret, scope: 'scim', method: 'client_secret_post',
        });
      }),
      { numRuns: 1000 },
    );
  });
});
