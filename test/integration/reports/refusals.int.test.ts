/**
 * Refused connections in the provisioning report, over the real stores on DynamoDB Local: the
 * authorizer (application items, file secret store, refusal counter) → the main table's stream →
 * the stream handler → GET /admin/reports?action=authenticate. One row per application, reason
 * and minute, carrying the count.
 */
import { testRuntime } from '../../helpers/runtime';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayTokenAuthorizerEvent, DynamoDBStreamEvent } from 'aws-lambda';
import { createAuthorizer, type Authorizer } from '../../../lambdas/handlers/authorizer';
import { appStoreDeps } from '../../../lambdas/shared/app-stores';
import { createAuthLookups } from '../../../lambdas/store/auth-lookups';
import { createRefusalRecorder } from '../../../lambdas/store/auth-refusals';
import { createApplications, type Applications } from '../../../lambdas/use-cases/applications';
import { createWorld, type World } from './world';

const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod';
const API_URL = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod';
const OTHER_APPLICATION = 'the Secret Token belongs to another application: use the Tenant URL and Secret Token of the same application';

type Row = Record<string, unknown>;

describe('refused connections in the provisioning report', () => {
  let world: World;
  let dir: string;
  let applications: Applications;
  let deps: () => ReturnType<typeof appStoreDeps>;
  let authorizerAt: (at: Date) => Authorizer;
  let entra: { id: string; token: string };
  let okta: { id: string; token: string };
  /** Whole minutes, an hour ago: every refusal of one test falls in a known minute. */
  const minute = (n: number) => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000 + n * 60_000);

  const call = async (authorize: Authorizer, token: string, appId: string): Promise<string> => {
    const event: APIGatewayTokenAuthorizerEvent = { type: 'TOKEN', authorizationToken: token, methodArn: `${PREFIX}/GET/apps/${appId}/scim/v2/Users` };
    try {
      return (await authorize(event)).principalId;
    } catch (error) {
      return (error as Error).message;
    }
  };

  /** Every stream event handed to the stream handler so far (a redelivery test replays them). */
  const delivered: DynamoDBStreamEvent[] = [];
  const authenticateRows = async (appId: string): Promise<Row[]> => {
    const events = await world.stream.events();
    delivered.push(...events);
    for (const event of events) expect(await world.handleStream(event)).toEqual({ batchItemFailures: [] });
    const { status, body } = await world.reports({ application: appId, action: 'authenticate', from: '3h' });
    expect(status).toBe(200);
    return body.reports;
  };

  beforeAll(async () => {
    world = await createWorld('refusals');
    dir = await mkdtemp(join(tmpdir(), 'scgw-refusals-'));
    const file = join(dir, 'secrets.json');
    await writeFile(file, '{}');
    const rt = testRuntime(world.tables, { SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: file, SCIM_AUTH_CACHE_SECONDS: '0' });
    deps = () => appStoreDeps(rt);
    applications = createApplications(deps());
    const lookups = createAuthLookups(deps(), 0);
    // A generous wait: these tests count recorded refusals, and a loaded machine can take over 300 ms.
    const refusals = createRefusalRecorder(world.db, world.tables.tableName, { timeoutMs: 10_000 });
    authorizerAt = (at) => createAuthorizer({ lookups, refusals, now: () => at });
    const create = async (name: string) => {
      const created = await applications.create({ name }, API_URL);
      return { id: created.app.id, token: created.secretToken };
    };
    entra = await create('Entra ID');
    okta = await create('Okta');
  });
  afterAll(async () => {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a flood of one refusal in one minute is one authenticate row with its count; the next minute starts a new row', async () => {
    // Act: 40 wrong tokens in one minute, 2 in the next.
    const wrong = `Bearer ${entra.token.slice(0, -4)}AAAA`;
    for (let i = 0; i < 40; i++) expect(await call(authorizerAt(new Date(minute(1).getTime() + i * 1000)), wrong, entra.id)).toBe('Unauthorized');
    for (let i = 0; i < 2; i++) expect(await call(authorizerAt(new Date(minute(2).getTime() + i)), wrong, entra.id)).toBe('Unauthorized');
    // Assess
    const rows = await authenticateRows(entra.id);
    expect(rows).toEqual([
      expect.objectContaining({ time: minute(2).toISOString(), action: 'authenticate', status: 'failure', reason: 'unknown-token', count: 2, httpStatus: 401 }),
      expect.objectContaining({ time: minute(1).toISOString(), action: 'authenticate', status: 'failure', reason: 'unknown-token', count: 40, httpStatus: 401 }),
    ]);
    expect(rows[0]).toMatchObject({ appId: entra.id, appName: 'Entra ID', resourceType: 'Connection', detail: expect.stringContaining('not one of this application') });
  });

  it('redelivered stream records rewrite the same rows: none duplicated, counts unchanged', async () => {
    // Prepare
    const before = await authenticateRows(entra.id);
    expect(delivered.length).toBeGreaterThan(0);
    // Act: every record again, as a retried event source mapping would deliver it.
    for (const event of delivered) expect(await world.handleStream(event)).toEqual({ batchItemFailures: [] });
    // Assess
    expect(await authenticateRows(entra.id)).toEqual(before);
  });

  it('says revoked, expired, malformed header and token of another application, each under the application whose Tenant URL was called', async () => {
    // Prepare: a token revoked through the admin use case; an expired one pruned by a later token change.
    const spare = await applications.createToken(okta.id);
    await applications.revokeToken(okta.id, spare.tokenId);
    const at = minute(5);
    // Act
    expect(await call(authorizerAt(at), `Bearer ${spare.secretToken}`, okta.id)).toBe('Unauthorized');
    expect(await call(authorizerAt(at), 'Basic b2t0YTpva3Rh', okta.id)).toBe('Unauthorized');
    expect(await call(authorizerAt(at), `Bearer ${entra.token}`, okta.id)).toMatch(/^app:/); // allowed on Entra's URL only → 403 on Okta's
    // Assess
    const rows = await authenticateRows(okta.id);
    expect(rows.map((r) => `${r.reason} ${r.httpStatus} ×${r.count}`).sort()).toEqual(['malformed-header 401 ×1', 'other-application 403 ×1', 'revoked 401 ×1']);
    expect(rows.find((r) => r.reason === 'other-application')).toMatchObject({ appName: 'Okta', detail: OTHER_APPLICATION });
    expect(await authenticateRows(entra.id)).toHaveLength(2); // nothing new for Entra
  });

  it('says expired for a token whose expiry passed, also once a later token change pruned it from the secret', async () => {
    // Prepare: a token that expired at minute 6 (issued by a clock set back then).
    const at = (n: number) => createApplications({ ...deps(), now: () => minute(n) });
    const expiring = await at(6).createToken(entra.id, { expiresAt: new Date(minute(6).getTime() + 30_000).toISOString() });
    // Act: refused while still stored (minute 7); a token change at minute 7 prunes it; refused again (minute 8).
    expect(await call(authorizerAt(minute(7)), `Bearer ${expiring.secretToken}`, entra.id)).toBe('Unauthorized');
    await at(7).revokeToken(entra.id, (await at(7).createToken(entra.id)).tokenId);
    expect((await applications.get(entra.id)).tokens.map((t) => t.id)).not.toContain(expiring.tokenId);
    expect(await call(authorizerAt(minute(8)), `Bearer ${expiring.secretToken}`, entra.id)).toBe('Unauthorized');
    // Assess
    const expired = (await authenticateRows(entra.id)).filter((r) => r.reason === 'expired');
    expect(expired.map((r) => [r.time, r.count])).toEqual([
      [minute(8).toISOString(), 1],
      [minute(7).toISOString(), 1],
    ]);
  });
});
