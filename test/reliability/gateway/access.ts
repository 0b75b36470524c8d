/**
 * Access control through the local gateway: application A's token on every route of application B
 * and on the admin API, the admin token on the SCIM routes, a revoked token, and a search of
 * everything the gateway wrote (DEBUG logs, report, admin reads, table items, secret file) for
 * any token. Runs last on the shared gateway, so the search covers every other suite's traffic.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAIN_TABLE_NAME, REPORT_TABLE_NAME } from '../../../lib/local/gateway';
import { ROUTES, type Route } from '../../../lambdas/shared/routes';
import { entraGroup, entraUser, PATCH_URN, SEARCH_URN } from '../support/arbitraries';
import { recordFigures } from '../support/figures';
import { scimPath, type Gateway, type LocalApp } from '../support/gateway';
import { answerViolations, describeViolations, TOKEN_PATTERN } from '../support/invariants';

export const accessSuite = (shared: () => Gateway): void => {
  describe('access control through the local gateway', () => {
    let gw: Gateway;
    let a: LocalApp;
    let b: LocalApp;
    const tokens: string[] = [];
    const ids: Record<string, string> = {};
    let extraToken: { tokenId: string; secretToken: string };
    let db: DynamoDBDocumentClient;

    const figures: Record<string, unknown> = {};

    beforeAll(async () => {
      gw = shared();
      a = await gw.createApp('Access A');
      b = await gw.createApp('Access B');
      tokens.push(gw.adminToken, a.secretToken, b.secretToken);
      // Rotation: a second token for B, then revoke the first.
      const created = await gw.request('POST', `/admin/apps/${b.id}/tokens`, { body: '{}', headers: { 'Content-Type': 'application/json' } });
      expect(created.status).toBe(201);
      extraToken = created.body;
      tokens.push(extraToken.secretToken);
      const asB = (method: string, rest: string, body?: unknown) => gw.request(method, scimPath(b, rest), { token: extraToken.secretToken, body: body === undefined ? undefined : JSON.stringify(body) });
      ids.user = (await asB('POST', '/Users', entraUser('secret.b.user'))).body.id;
      ids.other = (await asB('POST', '/Users', entraUser('secret.b.other'))).body.id;
      ids.group = (await asB('POST', '/Groups', { ...entraGroup('Secret B group'), members: [{ value: ids.user }] })).body.id;
      await gw.request('POST', scimPath(a, '/Users'), { token: a.secretToken, body: JSON.stringify(entraUser('a.user')) });
      db = gw.db();
    });

    afterAll(() => recordFigures('access', figures));

    const stateOfB = async () => {
      const users = await gw.request('GET', scimPath(b, '/Users'), { token: extraToken.secretToken });
      const groups = await gw.request('GET', scimPath(b, '/Groups'), { token: extraToken.secretToken });
      return JSON.stringify([users.body.Resources, groups.body.Resources]);
    };

    /** A concrete URL and body for a route, pointed at application B's resources. */
    const concrete = (route: Route): { url: string; body?: string } => {
      const url = route.path
        .replace('{appId}', b.id)
        .replace('{tokenId}', extraToken.tokenId)
        .replace('{file}', 'index.html')
        .replace('{id}', route.path.includes('/Groups') ? ids.group : route.path.includes('/Schemas') ? 'urn:ietf:params:scim:schemas:core:2.0:User' : route.path.includes('/ResourceTypes') ? 'User' : ids.user);
      const bodies: Record<string, unknown> = {
        createUser: entraUser('planted.by.a'),
        replaceUser: entraUser('hijacked.by.a'),
        patchUser: { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'active', value: false }] },
        createGroup: entraGroup('Planted by A'),
        replaceGroup: entraGroup('Hijacked by A'),
        patchGroup: { schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value: ids.other }] }] },
        searchUsers: { schemas: [SEARCH_URN], filter: 'userName sw "secret"' },
        searchGroups: { schemas: [SEARCH_URN] },
        createApp: { name: 'Planted app' },
        updateApp: { name: 'Renamed by A' },
        createToken: {},
      };
      return { url, body: route.operation in bodies ? JSON.stringify(bodies[route.operation]) : undefined };
    };

    it('application A’s token on every route of application B (and every admin route) → 403, no B data, nothing changed', async () => {
      const before = await stateOfB();
      const outcomes: Record<string, number> = {};
      for (const route of ROUTES.filter((r) => r.auth !== 'none')) {
        const { url, body } = concrete(route);
        const res = await gw.request(route.method, url, { token: a.secretToken, body, headers: body ? { 'Content-Type': 'application/scim+json' } : {} });
        outcomes[`${route.method} ${route.path}`] = res.status;
        expect([`${route.method} ${route.path}`, res.status]).toEqual([`${route.method} ${route.path}`, 403]);
        expect(describeViolations(url, answerViolations(res, { secrets: tokens }))).toBe('');
        for (const secret of ['secret.b.user', 'Secret B group', ids.user, ids.group]) if (!url.includes(secret)) expect(res.raw).not.toContain(secret);
      }
      expect(await stateOfB()).toBe(before);
      figures.crossApplication = outcomes;
    });

    it('the admin token is refused on the SCIM routes, and SCIM tokens on the admin API (403)', async () => {
      const outcomes: Record<string, number> = {};
      for (const route of ROUTES.filter((r) => r.auth === 'scim')) {
        const { url, body } = concrete(route);
        const res = await gw.request(route.method, url, { token: gw.adminToken, body });
        outcomes[`admin token: ${route.method} ${route.path}`] = res.status;
        expect([route.path, res.status]).toEqual([route.path, 403]);
      }
      for (const route of ROUTES.filter((r) => r.auth === 'admin')) {
        const { url, body } = concrete(route);
        const res = await gw.request(route.method, url.replace(b.id, a.id), { token: a.secretToken, body, headers: { 'Content-Type': 'application/json' } });
        outcomes[`own SCIM token: ${route.method} ${route.path}`] = res.status;
        expect([route.path, res.status]).toEqual([route.path, 403]);
      }
      figures.scopeSeparation = outcomes;
    });

    it('a revoked token is refused at once (401) and the remaining one still works', async () => {
      const revoked = await gw.request('DELETE', `/admin/apps/${b.id}/tokens/${b.secretToken.split('_')[2]}`);
      expect(revoked.status).toBe(204);
      expect((await gw.request('GET', scimPath(b, '/Users'), { token: b.secretToken })).status).toBe(401);
      expect((await gw.request('GET', scimPath(b, '/Users'), { token: extraToken.secretToken })).status).toBe(200);
    });

    it('no token appears in the gateway’s logs, the report, the admin API’s reads, the table or the secret file', async () => {
      // Failures worth logging: wrong tokens, a token in the query string, cross-application calls.
      await gw.request('GET', `${scimPath(a, '/Users')}?access_token=${a.secretToken}`, { token: null });
      await gw.request('GET', scimPath(a, '/Users'), { token: `${a.secretToken}x` });
      await gw.request('GET', scimPath(b, '/Users'), { token: a.secretToken });
      await gw.request('POST', scimPath(a, '/Users'), { token: a.secretToken, body: '{"userName":' });
      await new Promise((r) => setTimeout(r, 3_000)); // the stream poller carries the events to the report

      const log = gw.logSinceStart();
      const reports = await gw.request('GET', '/admin/reports?from=1h&limit=500');
      const apps = await gw.request('GET', '/admin/apps');
      const app = await gw.request('GET', `/admin/apps/${b.id}`);
      const users = await gw.request('GET', `/admin/apps/${a.id}/users`);
      const items: Record<string, unknown>[] = [];
      for (const table of [MAIN_TABLE_NAME, REPORT_TABLE_NAME]) items.push(...((await db.send(new ScanCommand({ TableName: table }))).Items ?? []));
      const secretFile = readFileSync(path.join(gw.dataDir, 'secrets.json'), 'utf8');

      // Every token the gateway ever issued, to every suite that ran on it.
      tokens.push(...gw.apps.map((app) => app.secretToken));
      const places: Record<string, string> = {
        'gateway log (DEBUG)': log,
        'report API': reports.raw,
        'admin API reads': apps.raw + app.raw + users.raw,
        'table items': JSON.stringify(items),
        'secret file': secretFile,
      };
      // Every token issued, searched everywhere. (Token-shaped strings a client put in a path or a
      // body — the fuzzers send some — are its own data, so the shape alone is searched only where
      // no client data goes: the secret file.)
      for (const [where, text] of Object.entries(places)) {
        expect([where, tokens.filter((t) => text.includes(t))]).toEqual([where, []]);
      }
      expect(secretFile).not.toMatch(TOKEN_PATTERN);
      // The authorizer's and handlers' DEBUG/INFO logs were captured, not only the access log.
      expect(log).toContain('"level":"DEBUG"');
      // The report really holds the provisioning (and refused) events searched above.
      expect(reports.body.reports.length).toBeGreaterThan(0);
      figures.reportRowsSearched = reports.body.reports?.length ?? 0;
      expect(secretFile).not.toMatch(/scgw_/);
      expect(log.length).toBeGreaterThan(1_000); // DEBUG logging did run
      figures.secretsSearched = Object.fromEntries(Object.entries(places).map(([k, v]) => [k, `${v.length} characters, 0 tokens`]));
    });
  });
};
