import { encodeBasicCredentials } from '../../../lambdas/oauth/basic-credentials';
import { MAX_TOKEN_REQUEST_BYTES, parseTokenRequest, type TokenRequestInput } from '../../../lambdas/oauth/token-request';
import { tokenErrorResponse, tokenSuccessResponse } from '../../../lambdas/oauth/token-response';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const ID = 'scgwc_abcdefghij12_k3y00001';
const SECRET = 'scgws_s3cr3t01_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const post = (body: string, headers: Record<string, string> = FORM): TokenRequestInput => ({ method: 'POST', headers, body });

describe('parseTokenRequest', () => {
  describe('accepts', () => {
    it("Microsoft's validator request: form-encoded client_secret_post without scope, scope scim by default", () => {
      const result = parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}&client_secret=${SECRET}`));
      expect(result).toEqual({ ok: true, clientId: ID, clientSecret: SECRET, scope: 'scim', method: 'client_secret_post' });
    });

    it('client_secret_basic, with the client id repeated in the body', () => {
      const result = parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}`, { ...FORM, authorization: encodeBasicCredentials(ID, SECRET) }));
      expect(result).toEqual({ ok: true, clientId: ID, clientSecret: SECRET, scope: 'scim', method: 'client_secret_basic' });
    });

    it('the media type in any letter case and with a charset parameter', () => {
      const result = parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}&client_secret=${SECRET}`, { 'content-type': 'Application/X-WWW-Form-URLEncoded; charset=UTF-8' }));
      expect(result.ok).toBe(true);
    });

    it('scope scim, also repeated inside the one parameter', () => {
      for (const scope of ['scim', 'scim+scim', '+scim+']) {
        expect(parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}&client_secret=${SECRET}&scope=${scope}`))).toMatchObject({ ok: true, scope: 'scim' });
      }
    });

    it('form decoding of the body: + is a space and percent escapes are decoded', () => {
      const result = parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}&client_secret=a%2Bb+c%3Dd`));
      expect(result).toMatchObject({ ok: true, clientSecret: 'a+b c=d' });
    });

    it('parameters without a value as absent, and unknown parameters as ignored (RFC 6749 §3.1)', () => {
      const result = parseTokenRequest(post(`grant_type=client_credentials&scope=&client_id=${ID}&client_secret=${SECRET}&resource=x&resource=y`));
      expect(result).toMatchObject({ ok: true, scope: 'scim' });
    });
  });

  describe('refuses', () => {
    it('a method other than POST with 405 invalid_request and Allow: POST', () => {
      expect(parseTokenRequest({ method: 'GET', headers: FORM, body: '' })).toEqual({
        ok: false, error: 'invalid_request', status: 405, description: expect.any(String), headers: { Allow: 'POST' },
      });
    });

    it('a JSON body with 400 invalid_request', () => {
      const result = parseTokenRequest(post(JSON.stringify({ grant_type: 'client_credentials' }), { 'content-type': 'application/json' }));
      expect(result).toMatchObject({ ok: false, error: 'invalid_request', status: 400 });
    });

    it('a body larger than the limit with invalid_request', () => {
      const result = parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}&client_secret=${'a'.repeat(MAX_TOKEN_REQUEST_BYTES)}`));
      expect(result).toMatchObject({ ok: false, error: 'invalid_request', status: 400 });
    });

    it('a repeated parameter with invalid_request naming it (RFC 6749 §3.2)', () => {
      const result = parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}&client_secret=${SECRET}&client_secret=other`));
      expect(result).toMatchObject({ ok: false, error: 'invalid_request', status: 400, description: expect.stringContaining('client_secret') });
    });

    it('a missing grant_type with invalid_request, another grant_type with unsupported_grant_type', () => {
      expect(parseTokenRequest(post(`client_id=${ID}&client_secret=${SECRET}`))).toMatchObject({ ok: false, error: 'invalid_request', status: 400 });
      expect(parseTokenRequest(post(`grant_type=password&client_id=${ID}&client_secret=${SECRET}`))).toMatchObject({ ok: false, error: 'unsupported_grant_type', status: 400 });
      expect(parseTokenRequest(post(`grant_type=Client_Credentials&client_id=${ID}&client_secret=${SECRET}`))).toMatchObject({ ok: false, error: 'unsupported_grant_type' });
    });

    it('both client_secret_basic and client_secret_post at once with invalid_request (RFC 6749 §2.3)', () => {
      const result = parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}&client_secret=${SECRET}`, { ...FORM, authorization: encodeBasicCredentials(ID, SECRET) }));
      expect(result).toMatchObject({ ok: false, error: 'invalid_request', status: 400 });
    });

    it('a body client_id that differs from the Basic one with invalid_request', () => {
      const result = parseTokenRequest(post('grant_type=client_credentials&client_id=someone-else', { ...FORM, authorization: encodeBasicCredentials(ID, SECRET) }));
      expect(result).toMatchObject({ ok: false, error: 'invalid_request' });
    });

    it('no client authentication with 401 invalid_client and a Basic challenge', () => {
      expect(parseTokenRequest(post('grant_type=client_credentials'))).toEqual({
        ok: false, error: 'invalid_client', status: 401, description: expect.any(String), headers: { 'WWW-Authenticate': 'Basic realm="scim-gateway"' },
      });
    });

    it('a client_id without client_secret with 401 invalid_client (no public clients)', () => {
      expect(parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}`))).toMatchObject({ ok: false, error: 'invalid_client', status: 401 });
    });

    it('undecodable Basic credentials with 401 invalid_client and the challenge of the given realm', () => {
      const result = parseTokenRequest({ ...post('grant_type=client_credentials', { ...FORM, authorization: 'Basic !!!' }), realm: 'Contoso "SCIM"' });
      expect(result).toMatchObject({ ok: false, error: 'invalid_client', status: 401, headers: { 'WWW-Authenticate': 'Basic realm="Contoso SCIM"' } });
    });

    it('a Bearer Authorization header with 401 invalid_client: only the two client_secret methods authenticate', () => {
      expect(parseTokenRequest(post('grant_type=client_credentials', { ...FORM, authorization: 'Bearer abc' }))).toMatchObject({ ok: false, error: 'invalid_client', status: 401 });
    });

    it('any scope but scim with invalid_scope', () => {
      for (const scope of ['openid', 'scim+admin', 'SCIM', 'https://graph.microsoft.com/.default']) {
        expect(parseTokenRequest(post(`grant_type=client_credentials&client_id=${ID}&client_secret=${SECRET}&scope=${encodeURIComponent(scope)}`))).toMatchObject({
          ok: false, error: 'invalid_scope', status: 400,
        });
      }
    });
  });
});

describe('token responses', () => {
  it('a success is RFC 6749 §5.1 JSON with Bearer, expires_in and no-store headers', () => {
    const response = tokenSuccessResponse({ accessToken: 'abc.def.ghi', expiresIn: 3600, scope: 'scim' });
    expect(response.status).toBe(200);
    expect(response.headers).toEqual({ 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    expect(JSON.parse(response.body)).toEqual({ access_token: 'abc.def.ghi', token_type: 'Bearer', expires_in: 3600, scope: 'scim' });
  });

  it('an error is {error, error_description} with its status, its own headers and the no-store headers', () => {
    const parsed = parseTokenRequest(post('grant_type=client_credentials'));
    if (parsed.ok) throw new Error('expected a refusal');
    const response = tokenErrorResponse(parsed);
    expect(response.status).toBe(401);
    expect(response.headers).toEqual({
      'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store', Pragma: 'no-cache', 'WWW-Authenticate': 'Basic realm="scim-gateway"',
    });
    expect(JSON.parse(response.body)).toEqual({ error: 'invalid_client', error_description: parsed.description });
  });
});
