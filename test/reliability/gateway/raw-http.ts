/**
 * Raw HTTP against the local gateway process: what a broken or hostile client sends on the wire.
 * Every request here must be refused with a clear 4xx (a SCIM Error whenever the gateway or a
 * handler answers), and afterwards both applications hold exactly what they held before.
 */
import fc from 'fast-check';
import { recordFigures, Tally } from '../support/figures';
import { answerViolations, describeViolations } from '../support/invariants';
import { httpCall, rawCall, scimPath, type Gateway, type LocalApp } from '../support/gateway';
import { encodable, entraUser, nastyString } from '../support/arbitraries';
import { runs, seed } from '../support/scale';

export const rawHttpSuite = (shared: () => Gateway): void => {
  describe('raw HTTP against the local gateway', () => {
    let gw: Gateway;
    let a: LocalApp;
    let b: LocalApp;
    let userOfB: string;
    const tally = new Tally();

    /** What an application holds, as its own token reads it. */
    const stateOf = async (app: LocalApp): Promise<string> => {
      const users = await gw.request('GET', scimPath(app, '/Users?count=1000'), { token: app.secretToken });
      const groups = await gw.request('GET', scimPath(app, '/Groups?count=1000&excludedAttributes=members'), { token: app.secretToken });
      return JSON.stringify([users.body?.Resources, groups.body?.Resources]);
    };

    const expectRefused = (what: string, answer: { status: number; headers: Record<string, string>; raw: string }, secrets: string[] = []) => {
      tally.add(what, answer.status);
      expect([what, answer.status >= 400 && answer.status < 500]).toEqual([what, true]);
      // Every refusal with a body is a SCIM Error; only answers to HEAD carry none.
      if (answer.raw !== '') {
        const violations = answerViolations(answer, { secrets });
        expect(describeViolations(what, violations)).toBe('');
      }
    };

    let before: [string, string];

    beforeAll(async () => {
      gw = shared();
      a = await gw.createApp('Raw HTTP A');
      b = await gw.createApp('Raw HTTP B');
      userOfB = (await gw.request('POST', scimPath(b, '/Users'), { token: b.secretToken, body: JSON.stringify(entraUser('owned.by.b')) })).body.id;
      await gw.request('POST', scimPath(a, '/Users'), { token: a.secretToken, body: JSON.stringify(entraUser('owned.by.a')) });
      before = [await stateOf(a), await stateOf(b)];
    });

    afterAll(() => {
      recordFigures('raw-http', { requests: tally.counts, fiveXx: tally.fiveXx() });
    });

    afterEach(async () => {
      // Nothing any case sent may have written anything, in either application.
      expect([await stateOf(a), await stateOf(b)]).toEqual(before);
    });

    it('POST /Users with a body the handler cannot read → 400 invalidSyntax or 415, nothing written', async () => {
      const valid = JSON.stringify(entraUser('never.created'));
      const cases: Array<[string, Record<string, string>, Buffer | string]> = [
        ['text/plain', { 'Content-Type': 'text/plain' }, valid],
        ['application/xml', { 'Content-Type': 'application/xml' }, '<User><userName>x</userName></User>'],
        ['form-urlencoded', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'userName=never.created'],
        ['multipart', { 'Content-Type': 'multipart/form-data; boundary=x' }, `--x\r\nContent-Disposition: form-data; name="userName"\r\n\r\nx\r\n--x--`],
        ['invalid UTF-8 (C3 28)', {}, Buffer.concat([Buffer.from('{"userName":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])],
        ['overlong UTF-8 (C0 AF)', {}, Buffer.concat([Buffer.from('{"userName":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
        ['UTF-8 surrogate (ED A0 80)', {}, Buffer.concat([Buffer.from('{"userName":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
        ['stray FF byte', {}, Buffer.concat([Buffer.from('{"userName":"'), Buffer.from([0xff]), Buffer.from('"}')])],
        ['UTF-16 body', {}, Buffer.from(valid, 'utf16le')],
        ['truncated JSON', {}, valid.slice(0, 40)],
        ['empty body', {}, ''],
        ['JSON with a BOM and garbage', {}, `\ufeff${valid}}}`],
        ['__proto__ key', {}, `{"__proto__":{"admin":true},"userName":"never.created"}`],
        ['10,000-level nesting', {}, `{"userName":"never.created","name":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`],
        ['body over the handler limit (1.1 MB)', {}, `{"userName":"never.created","displayName":"${'x'.repeat(1_100_000)}"}`],
      ];
      for (const [what, headers, body] of cases) {
        const res = await gw.request('POST', scimPath(a, '/Users'), { token: a.secretToken, body, headers: { 'Content-Type': 'application/scim+json', ...headers } });
        expectRefused(`POST /Users: ${what}`, res, [a.secretToken]);
      }
    });

    it('bodies over the gateway limit and lying Content-Length headers → 413 or 400, nothing written', async () => {
      const head = (length: number | string, extra = '') =>
        `POST ${scimPath(a, '/Users')} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${a.secretToken}\r\nContent-Type: application/scim+json\r\nContent-Length: ${length}\r\n${extra}\r\n`;
      const declaredHuge = await rawCall(gw.port, head(11 * 1024 * 1024));
      expectRefused('declared 11 MB body', { status: declaredHuge.status, headers: headersOf(declaredHuge.text), raw: bodyOf(declaredHuge.text) });

      const streamed = await httpCall(gw.port, 'POST', scimPath(a, '/Users'), {
        headers: { Authorization: `Bearer ${a.secretToken}`, 'Content-Type': 'application/scim+json', 'Transfer-Encoding': 'chunked' },
        body: Buffer.alloc(11 * 1024 * 1024, 0x20),
      }).catch((error: Error) => ({ status: 413, headers: {}, raw: '', body: undefined, ms: 0, error }));
      expectRefused('streamed 11 MB chunked body', streamed);

      // Fewer bytes than declared, then the client stops sending (half-close): the request is incomplete.
      const short = await rawCall(gw.port, `${head(500)}{"userName":"never.created"}`, { endAfterWrite: true, timeoutMs: 10_000 });
      tally.add('Content-Length larger than the body', short.status);
      // Regression: the adapter answered 500 ("the local gateway failed: aborted") to an incomplete body.
      expect([0, 400]).toContain(short.status);

      const smuggled = await rawCall(gw.port, `${head(5, 'Transfer-Encoding: chunked\r\n')}0\r\n\r\n`);
      expectRefused('Content-Length with Transfer-Encoding', { status: smuggled.status, headers: headersOf(smuggled.text), raw: bodyOf(smuggled.text) });

      const badLength = await rawCall(gw.port, head('12abc'));
      expectRefused('non-numeric Content-Length', { status: badLength.status, headers: headersOf(badLength.text), raw: bodyOf(badLength.text) });
    });

    it('very long headers and URLs → API Gateway\'s 431/414 with a SCIM Error body, never a 5xx', async () => {
      const huge = 'h'.repeat(100_000);
      const longHeader = await rawCall(gw.port, `GET ${scimPath(a, '/Users')} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${a.secretToken}\r\nX-Long: ${huge}\r\n\r\n`);
      expect([longHeader.status, bodyOf(longHeader.text) !== '']).toEqual([431, true]);
      expectRefused('100 KB header', { status: longHeader.status, headers: headersOf(longHeader.text), raw: bodyOf(longHeader.text) });
      const longToken = await gw.request('GET', scimPath(a, '/Users'), { token: `scgw_${a.id}_aaaaaaaa_${'A'.repeat(8000)}` });
      expectRefused('8 KB bearer token', longToken);
      const longUrl = await rawCall(gw.port, `GET ${scimPath(a, `/Users/${'u'.repeat(100_000)}`)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${a.secretToken}\r\n\r\n`);
      expect([longUrl.status, bodyOf(longUrl.text) !== '']).toEqual([414, true]);
      expectRefused('100 KB URL', { status: longUrl.status, headers: headersOf(longUrl.text), raw: bodyOf(longUrl.text) });
      const longId = await gw.request('GET', scimPath(a, `/Users/${'u'.repeat(8000)}`), { token: a.secretToken });
      expectRefused('8 KB id', longId, [a.secretToken]);
      const longFilter = await gw.request('GET', scimPath(a, `/Users?filter=${encodeURIComponent(`userName eq "${'z'.repeat(7000)}" and`)}`), { token: a.secretToken });
      expectRefused('7 KB broken filter', longFilter, [a.secretToken]);
      const manyHeaders = await rawCall(gw.port, `GET ${scimPath(a, '/Users')} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${a.secretToken}\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`);
      expect(manyHeaders.status === 200 || (manyHeaders.status >= 400 && manyHeaders.status < 500)).toBe(true);
      tally.add('3,000 headers', manyHeaders.status);
    });

    it('path tricks (.., encoded slashes, another application’s id, admin paths) never reach another application or the admin API', async () => {
      const token = a.secretToken;
      const cases: string[] = [
        '/apps/../admin/apps',
        `/apps/${a.id}/../../admin/apps`,
        `/apps/${a.id}/scim/v2/../../../admin/apps`,
        `/apps/${a.id}/scim/v2/../../${b.id}/scim/v2/Users`,
        `/apps/${a.id}/scim/v2/%2E%2E/%2E%2E/${b.id}/scim/v2/Users`,
        `/apps/${a.id}%2F..%2F${b.id}/scim/v2/Users`,
        `/apps/${a.id}/scim/v2/Users/..%2F..%2F..%2F${b.id}%2Fscim%2Fv2%2FUsers%2F${userOfB}`,
        `/apps/${a.id}/scim/v2/Users/${userOfB}`,
        `/apps/${b.id}/scim/v2/Users`,
        `/apps/${b.id}/scim/v2/Users/${userOfB}`,
        `/apps/${b.id.toUpperCase()}/scim/v2/Users`,
        `//apps/${b.id}/scim/v2/Users`,
        `/apps/${b.id}/scim/v2/Users/`,
        `/apps/${b.id}/scim/v2//Users`,
        `/APPS/${b.id}/scim/v2/Users`,
        `/apps/${b.id};/scim/v2/Users`,
        `/apps/${b.id}%00/scim/v2/Users`,
        `/apps/${encodeURIComponent(b.id)}/scim/v2/Users`,
        `/apps/%2A/scim/v2/Users`,
        '/apps/*/scim/v2/Users',
        '/admin/apps',
        `/admin/apps/${b.id}`,
        `/admin/apps/${a.id}/tokens`,
        '/admin/reports',
        `/admin/apps/${b.id}/users`,
        `/admin/apps/${a.id}/scim/v2/Users`,
        `/apps/${a.id}/scim/v2/admin/apps`,
        `http://localhost/apps/${b.id}/scim/v2/Users`,
      ];
      for (const path of cases) {
        const res = await gw.request('GET', path, { token });
        expectRefused(`GET ${path}`, res, [token]);
        // A 404 may quote the path it was sent; B's data (its user's id, not from the path, or name) never appears.
        if (!path.includes(userOfB)) expect(res.raw).not.toContain(userOfB);
        expect(res.raw).not.toContain('owned.by.b');
      }
      for (const [method, path, body] of [
        ['DELETE', `/apps/${b.id}/scim/v2/Users/${userOfB}`, undefined],
        ['PATCH', `/apps/${b.id}/scim/v2/Users/${userOfB}`, '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}'],
        ['PUT', `/apps/${b.id}/scim/v2/Users/${userOfB}`, JSON.stringify(entraUser('hijacked'))],
        ['POST', `/apps/${b.id}/scim/v2/Users`, JSON.stringify(entraUser('planted'))],
        ['POST', '/admin/apps', '{"name":"planted"}'],
        ['DELETE', `/admin/apps/${b.id}?force=true`, undefined],
      ] as const) {
        const res = await gw.request(method, path, { token, body });
        expectRefused(`${method} ${path} with another application's token`, res, [token]);
      }
    });

    it('tokens in the query string or malformed Authorization headers → 401, and the token is never logged', async () => {
      const token = a.secretToken;
      const cases: Array<[string, string | null, Record<string, string>]> = [
        [`${scimPath(a, '/Users')}?access_token=${token}`, null, {}],
        [`${scimPath(a, '/Users')}?token=${encodeURIComponent(token)}&Authorization=Bearer%20${token}`, null, {}],
        [scimPath(a, '/Users'), null, { Authorization: token }],
        [scimPath(a, '/Users'), null, { Authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` }],
        [scimPath(a, '/Users'), null, { Authorization: `Bearer ${token} extra` }],
        [scimPath(a, '/Users'), null, { Authorization: `Bearer ${token.slice(0, -1)}` }],
        [scimPath(a, '/Users'), null, { Authorization: `Bearer ${token}x` }],
        [scimPath(a, '/Users'), null, { Authorization: 'Bearer' }],
        [scimPath(a, '/Users'), null, { Authorization: `Bearer ${token.replace(a.id, b.id)}` }],
        [scimPath(a, '/Users'), null, { 'X-Api-Key': token }],
        [scimPath(a, '/Users'), null, { Cookie: `token=${token}` }],
      ];
      for (const [path, tokenArg, headers] of cases) {
        const res = await gw.request('GET', path, { token: tokenArg, headers });
        expectRefused(`GET ${path.slice(0, 60)} ${Object.keys(headers).join(',')}`, res, [token]);
        expect(res.status).toBe(401);
      }
      expect(gw.logSinceStart()).not.toContain(token);
    });

    it('methods not in the route table → 405 with Allow (or the parser’s 400), nothing written', async () => {
      const token = a.secretToken;
      const cases: Array<[string, string]> = [
        ['PATCH', scimPath(a, '/Users')],
        ['DELETE', scimPath(a, '/Users')],
        ['PUT', scimPath(a, '/Users')],
        ['POST', scimPath(a, '/Users/some-id')],
        ['PUT', scimPath(a, '/ServiceProviderConfig')],
        ['DELETE', scimPath(a, '/Schemas')],
        ['OPTIONS', scimPath(a, '/Users')],
        ['TRACE', scimPath(a, '/Users')],
        ['PROPFIND', scimPath(a, '/Users')],
        ['PUT', '/admin/apps'],
        ['DELETE', '/admin/reports'],
        ['HEAD', scimPath(a, '/Bulk')],
        ['POST', scimPath(a, '/Bulk')],
        ['GET', scimPath(a, '/Me')],
      ];
      for (const [method, path] of cases) {
        const res = await gw.request(method, path, { token, body: method === 'GET' || method === 'HEAD' || method === 'TRACE' ? undefined : '{}' });
        expectRefused(`${method} ${path}`, res, [token]);
        if (res.status === 405) expect(res.headers.allow).toBeTruthy();
      }
      const unknownMethod = await rawCall(gw.port, `FOO ${scimPath(a, '/Users')} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      expectRefused('FOO', { status: unknownMethod.status, headers: headersOf(unknownMethod.text), raw: bodyOf(unknownMethod.text) });
    });

    it('random paths, methods and headers → never a 5xx, nothing written', async () => {
      const segment = fc.oneof(
        fc.constantFrom('apps', a.id, b.id, 'scim', 'v2', 'Users', 'Groups', 'admin', 'reports', 'tokens', '..', '.', '', '%2F', '%2e%2e', 'console', 'Schemas', userOfB),
        // Over-long URLs have their own test (414).
        nastyString.filter((s) => encodable(s) && s.length < 1000).map((s) => encodeURIComponent(s)),
      );
      const methods = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD');
      const tokens = fc.constantFrom(a.secretToken, b.secretToken, gw.adminToken, '', 'scgw_admin_boot_AAAAAAAAAAAAAAAAAAAAAAAA', 'garbage');
      const details = await fc.check(
        fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 8 }), methods, tokens, async (segments, method, token) => {
          const path = `/${segments.join('/')}`;
          const res = await gw
            .request(method, path, { token: token || null, body: method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? undefined : '{"x":' })
            .catch((error: Error) => {
              throw new Error(`${method} ${path.slice(0, 300)}: ${error.message}`);
            });
          tally.add('random path', res.status);
          if (res.status >= 500) throw new Error(`${method} ${path} → ${res.status} ${res.raw}`);
          if (res.raw) {
            // A 404 may quote the path it was sent (which may hold "sk" or "APP#"): that is no leak.
            const requestText = `${path}\n${decodeSafely(path)}`;
            const violations = answerViolations(res, { secrets: [a.secretToken, b.secretToken, gw.adminToken].filter((t) => t !== token), requestText });
            if (violations.length && res.status >= 400) throw new Error(describeViolations(`${method} ${path}`, violations));
          }
        }),
        { numRuns: runs(20, 2_000), seed: seed(), endOnFailure: true },
      );
      if (details.failed) throw new Error(String((details.errorInstance as Error)?.message ?? details.errorInstance).slice(0, 3000));
    });
  });
};

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function headersOf(text: string): Record<string, string> {
  const head = text.split('\r\n\r\n')[0] ?? '';
  const out: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function bodyOf(text: string): string {
  const i = text.indexOf('\r\n\r\n');
  return i < 0 ? '' : text.slice(i + 4);
}
