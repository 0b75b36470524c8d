/**
 * Property-based fuzzing of the admin API (applications and tokens, the console's user reads, the
 * report API), the discovery routes and the console's static files, in process against DynamoDB
 * Local and the file secret store. Same invariants as fuzz-users; on a 4xx neither the table nor
 * the secret file (token hashes) may change.
 */
import { encodeReportCursor, parseReportParams } from '../../lambdas/reports/query';
import { runtimeLoader } from '../helpers/handlers';
import { testRuntime } from '../helpers/runtime';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { appAuthorizer, scimClient, type TestApp } from '../helpers/invoke';
import { createTestTables, type TestTables } from '../helpers/tables';
import { attributeList, encodable, entraUser, jsonValue, listQuery, nastyString, pick, queryString } from './support/arbitraries';
import { recordFigures } from './support/figures';
import { createFuzzer, type FuzzRequest } from './support/fuzz';
import { runs, testTimeout } from './support/scale';

type Handler = Parameters<typeof scimClient>[0];

const RUNS = runs(6, 300);
const ADMIN = { principalId: 'admin:fuzzadm1', kind: 'admin', tokenId: 'fuzzadm1' };

let tables: TestTables;
let secretDir: string;
let fuzz: ReturnType<typeof createFuzzer>;
const handlers: Record<string, Handler> = {};
const appIds: string[] = [];
const tokenIds: string[] = [];
const userIds: string[] = [];
let app: TestApp;

const secrets = (): string => {
  try {
    return readFileSync(path.join(secretDir, 'secrets.json'), 'utf8');
  } catch {
    return '';
  }
};

/** Admin requests also must not change the token hashes when refused. */
const sendAdmin = async (handlerName: string, route: string, method: string, url: string, raw?: string, label = 'request') => {
  const before = secrets();
  const res = await fuzz.send(handlers[handlerName], { route, method, url, raw, authorizer: ADMIN }, label);
  if (res.status >= 400) expect(secrets()).toBe(before);
  return res;
};

const someAppId = fc.oneof(
  { weight: 4, arbitrary: pick(() => appIds) },
  { weight: 1, arbitrary: fc.constantFrom('aaaaaaaaaaaa', 'AAAAAAAAAAAA', 'aaaaaaaaaaa', 'aaaaaaaaaaaaa', '../admin', 'a%2Fb') },
  { weight: 2, arbitrary: nastyString.filter((s) => s !== '' && encodable(s)) },
);

jest.setTimeout(testTimeout());

beforeAll(async () => {
  tables = await createTestTables('rel-admin');
  secretDir = mkdtempSync(path.join(tmpdir(), 'rel-admin-'));
  const load = runtimeLoader(testRuntime(tables, { SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: path.join(secretDir, 'secrets.json'), SCIM_AUTH_CACHE_SECONDS: '0' }));
  for (const name of ['admin', 'admin-users', 'discovery', 'users', 'reports', 'console']) {
    handlers[name] = (await load(name)) as unknown as Handler;
  }
  fuzz = createFuzzer(tables);
  for (const name of ['Fuzz admin one', 'Fuzz admin two']) {
    const res = await fuzz.send(handlers.admin, { route: 'POST /admin/apps', method: 'POST', url: '/admin/apps', raw: JSON.stringify({ name }), authorizer: ADMIN }, 'seed');
    appIds.push(res.body.id);
    tokenIds.push(res.body.tokenId);
  }
  app = { id: appIds[0], name: 'Fuzz admin one' };
  const users = scimClient(handlers.users, app);
  for (let i = 0; i < 3; i++) userIds.push((await users.post('/Users', entraUser(`admin.fuzz.${i}`))).body.id);
  fuzz.invalidate();
});

afterAll(async () => {
  recordFigures('fuzz-admin', { requestsPerRoute: fuzz.tally.counts, byMutation: fuzz.labels.counts, fiveXx: fuzz.tally.fiveXx() });
  rmSync(secretDir, { recursive: true, force: true });
  await tables.drop();
});

const appBody = fc.oneof(
  fc.record({ name: fc.oneof(nastyString, fc.string({ minLength: 1, maxLength: 30 }).map((s) => `App ${s}`)) }),
  fc.record({ name: nastyString, requiredAttributes: fc.oneof(fc.array(fc.oneof(fc.constantFrom('name.givenName', 'emails[type eq "work"].value', 'userName', 'urn:x:y:z', ''), nastyString), { maxLength: 6 }), jsonValue) }, { requiredKeys: [] }),
  jsonValue,
);

describe('fuzzing the admin API, discovery and the console (in process)', () => {
  it('POST /admin/apps with random bodies → 201 or a SCIM 4xx; nothing stored on a 4xx', async () => {
    await fuzz.check(fc.oneof(appBody.map((b) => JSON.stringify(b) ?? ''), fc.constantFrom('{"name":"a","name":"b"}', '{"__proto__":{"x":1},"name":"p"}', `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`)), async (raw) => {
      const res = await sendAdmin('admin', 'POST /admin/apps', 'POST', '/admin/apps', raw, 'app body');
      if (res.status === 201) appIds.push(res.body.id);
    }, RUNS);
  });

  it('GET /admin/apps and GET /admin/apps/{appId} with random ids → never a 5xx', async () => {
    await fuzz.check(someAppId, async (id) => {
      await sendAdmin('admin', 'GET /admin/apps/{appId}', 'GET', `/admin/apps/${encodeURIComponent(id)}`);
      await sendAdmin('admin', 'GET /admin/apps', 'GET', `/admin/apps${queryString({ x: id })}`);
    }, RUNS);
  });

  it('PATCH /admin/apps/{appId} with random bodies → 200 or a SCIM 4xx; nothing changed on a 4xx', async () => {
    await fuzz.check(fc.tuple(someAppId, appBody), async ([id, body]) => {
      await sendAdmin('admin', 'PATCH /admin/apps/{appId}', 'PATCH', `/admin/apps/${encodeURIComponent(id)}`, JSON.stringify(body) ?? '', 'app update');
    }, RUNS);
  });

  it('POST and DELETE /admin/apps/{appId}/tokens with random bodies and ids → never a 5xx', async () => {
    await fuzz.check(
      fc.tuple(someAppId, fc.oneof(fc.record({ expiresAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), nastyString) }, { requiredKeys: [] }), jsonValue), fc.oneof(pick(() => tokenIds), nastyString.filter((s) => s !== '' && encodable(s)))),
      async ([id, body, tokenId]) => {
        await sendAdmin('admin', 'POST /admin/apps/{appId}/tokens', 'POST', `/admin/apps/${encodeURIComponent(id)}/tokens`, JSON.stringify(body) ?? '', 'token body');
        await sendAdmin('admin', 'DELETE /admin/apps/{appId}/tokens/{tokenId}', 'DELETE', `/admin/apps/${encodeURIComponent(id)}/tokens/${encodeURIComponent(tokenId)}`);
      },
      RUNS,
    );
  });

  it('DELETE /admin/apps/{appId} with random ids and force values → 204 or a SCIM 4xx', async () => {
    await fuzz.check(fc.tuple(someAppId, fc.option(fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1', ''), nastyString))), async ([id, force]) => {
      // The first application keeps its users for the other properties.
      const target = id === appIds[0] ? 'zzzzzzzzzzzz' : id;
      await sendAdmin('admin', 'DELETE /admin/apps/{appId}', 'DELETE', `/admin/apps/${encodeURIComponent(target)}${force === null ? '' : queryString({ force })}`);
    }, RUNS);
  });

  it('GET /admin/apps/{appId}/users and /users/{id} with random filters, paging and ids → never a 5xx', async () => {
    const userId = fc.oneof(pick(() => userIds), nastyString.filter((s) => s !== '' && encodable(s)));
    await fuzz.check(fc.tuple(someAppId, listQuery(() => [{ p: 'x', q: 'y' }]), userId), async ([id, q, userId]) => {
      await sendAdmin('admin-users', 'GET /admin/apps/{appId}/users', 'GET', `/admin/apps/${encodeURIComponent(id)}/users${queryString(q)}`, undefined, 'list query');
      await sendAdmin('admin-users', 'GET /admin/apps/{appId}/users/{id}', 'GET', `/admin/apps/${encodeURIComponent(id)}/users/${encodeURIComponent(userId)}`);
    }, RUNS);
  });

  it('GET /admin/reports with random parameters and forged cursors → never a 5xx', async () => {
    const params = fc.record(
      {
        endUser: fc.oneof(fc.constantFrom('admin.fuzz.1', 'nobody'), nastyString),
        application: fc.oneof(pick(() => appIds), fc.constantFrom('Fuzz admin one', 'FUZZ ADMIN TWO'), nastyString),
        from: fc.oneof(fc.constantFrom('24h', '30m', '7d', '91d', '2020-01-01', 'now', '2026-02-30', '1e9h', '999999d'), nastyString),
        to: fc.oneof(fc.constantFrom('now', '1h', '2099-01-01T00:00:00Z'), nastyString),
        action: fc.oneof(fc.constantFrom('create', 'update,delete', 'CREATE, read', 'bogus'), nastyString),
        status: fc.oneof(fc.constantFrom('success', 'failure', 'Failure'), nastyString),
        limit: fc.oneof(fc.constantFrom('1', '50', '500', '501', '0', '-1', '1.5'), nastyString),
      },
      { requiredKeys: [] },
    );
    // Mostly well-formed parameters (so queries reach the store), sometimes anything at all.
    const wellFormed = fc.record(
      {
        endUser: fc.constantFrom('admin.fuzz.1', 'nobody', 'ADMIN.FUZZ.2'),
        application: fc.oneof(pick(() => appIds), fc.constantFrom('Fuzz admin one')),
        from: fc.constantFrom('24h', '30m', '7d', '2026-01-01'),
        action: fc.constantFrom('create', 'update,delete'),
        status: fc.constantFrom('success', 'failure'),
        limit: fc.constantFrom('1', '50', '500'),
      },
      { requiredKeys: [] },
    );
    const anyParams = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 2, arbitrary: params }, { weight: 1, arbitrary: fc.record({ unknown: nastyString }) });
    await fuzz.check(fc.tuple(anyParams, fc.integer({ min: 0, max: 4 }), fc.constantFrom(1, 10, 500, 1400)), async ([q, cursorKind, keyLength]) => {
      const query: Record<string, string> = { ...(q as Record<string, string>) };
      if (cursorKind > 0) {
        let cursor: string;
        try {
          const parsed = parseReportParams(query);
          const now = new Date();
          const after = `${new Date(now.getTime() - 60_000).toISOString()}#${'e'.repeat(keyLength)}#${cursorKind}`;
          cursor = encodeReportCursor(parsed, { at: now, after });
        } catch {
          cursor = Buffer.from(JSON.stringify({ v: 1, q: 'x', at: Date.now(), k: 'y' })).toString('base64url');
        }
        query.cursor = cursorKind === 4 ? `${cursor}x` : cursor;
      }
      await sendAdmin('reports', 'GET /admin/reports', 'GET', `/admin/reports${queryString(query)}`, undefined, cursorKind ? 'forged cursor' : 'parameters');
    }, RUNS);
  });

  it('discovery routes with random ids and parameters → never a 5xx', async () => {
    const request = (route: string, url: string): FuzzRequest => ({ route, method: 'GET', url: `/apps/${app.id}/scim/v2${url}`, authorizer: appAuthorizer(app) });
    await fuzz.check(fc.tuple(fc.oneof(fc.constantFrom('urn:ietf:params:scim:schemas:core:2.0:User', 'User', 'Group', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'), nastyString.filter((s) => s !== '' && encodable(s))), attributeList), async ([id, attributes]) => {
      const q = queryString({ attributes });
      await fuzz.send(handlers.discovery, request('GET /ServiceProviderConfig', `/ServiceProviderConfig${q}`), 'get');
      await fuzz.send(handlers.discovery, request('GET /Schemas', `/Schemas${q}`), 'list');
      await fuzz.send(handlers.discovery, request('GET /Schemas/{id}', `/Schemas/${encodeURIComponent(id)}`), 'get');
      await fuzz.send(handlers.discovery, request('GET /ResourceTypes', `/ResourceTypes${q}`), 'list');
      await fuzz.send(handlers.discovery, request('GET /ResourceTypes/{id}', `/ResourceTypes/${encodeURIComponent(id)}`), 'get');
    }, RUNS);
  });

  it('GET /console/{file} with traversal and random names → the file or a SCIM 404, never a 5xx', async () => {
    const names = fc.oneof(
      fc.constantFrom('..', '../package.json', '..%2F..%2Fpackage.json', '%2e%2e%2fsecrets.json', 'index.html', '.env', '__proto__', 'constructor', 'hasOwnProperty', 'toString'),
      nastyString.filter((s) => s !== '' && encodable(s)),
    );
    await fuzz.check(names, async (name) => {
      const res = await fuzz.send(handlers.console, { route: 'GET /console/{file}', method: 'GET', url: `/console/${encodeURIComponent(name)}`, authorizer: null }, 'file name');
      if (res.status === 200) expect(res.raw).not.toMatch(/"dependencies"|scgw_|SCIM_SECRET/);
    }, RUNS);
  });

  it('an application token’s context is refused on every admin route (403), nothing changed', async () => {
    const appContext = appAuthorizer(app);
    const cases: Array<[string, string, string, string, string?]> = [
      ['admin', 'GET /admin/apps', 'GET', '/admin/apps'],
      ['admin', 'POST /admin/apps', 'POST', '/admin/apps', '{"name":"sneaky"}'],
      ['admin', 'GET /admin/apps/{appId}', 'GET', `/admin/apps/${app.id}`],
      ['admin', 'PATCH /admin/apps/{appId}', 'PATCH', `/admin/apps/${app.id}`, '{"name":"renamed"}'],
      ['admin', 'DELETE /admin/apps/{appId}', 'DELETE', `/admin/apps/${app.id}?force=true`],
      ['admin', 'POST /admin/apps/{appId}/tokens', 'POST', `/admin/apps/${app.id}/tokens`, '{}'],
      ['admin', 'DELETE /admin/apps/{appId}/tokens/{tokenId}', 'DELETE', `/admin/apps/${app.id}/tokens/${tokenIds[0]}`],
      ['admin-users', 'GET /admin/apps/{appId}/users', 'GET', `/admin/apps/${app.id}/users`],
      ['admin-users', 'GET /admin/apps/{appId}/users/{id}', 'GET', `/admin/apps/${app.id}/users/x`],
      ['reports', 'GET /admin/reports', 'GET', '/admin/reports'],
    ];
    for (const [handler, route, method, url, raw] of cases) {
      const before = secrets();
      const res = await fuzz.send(handlers[handler], { route, method, url, raw, authorizer: appContext }, 'scim token');
      expect([route, res.status]).toEqual([route, 403]);
      expect(secrets()).toBe(before);
    }
  });
});
