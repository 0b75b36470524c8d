/**
 * The required-attribute policy across the pieces that carry it, on DynamoDB Local and the file
 * secret store: saved through the real admin handler, read by the real authorizer (cache off),
 * enforced by the real Users handler with the context the authorizer returned.
 */
import { createAdminHandler } from '../../lambdas/handlers/admin';
import { createAuthorizerHandler } from '../../lambdas/handlers/authorizer';
import { createUsersHandler } from '../../lambdas/handlers/users';
import { appStoreDeps } from '../../lambdas/shared/app-stores';
import { createApplications } from '../../lambdas/use-cases/applications';
import { testRuntime } from '../helpers/runtime';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayProxyResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { keys } from '../../lambdas/store/keys';
import { invoke } from '../helpers/invoke';
import { createTestTables, type TestTables } from '../helpers/tables';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorize = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const DEPARTMENT = `${ENTERPRISE}:department`;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let tables: TestTables;
let dir: string;
let admin: Handler;
let users: Handler;
let authorize: Authorize;
let adminContext: Record<string, string>;

/** What API Gateway passes on after the authorizer allowed a token: its context, as strings. */
const contextOf = async (token: string, path: string): Promise<Record<string, string>> => {
  const result = await authorize({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: `${PREFIX}/GET${path}` });
  return { ...Object.fromEntries(Object.entries(result.context ?? {}).map(([k, v]) => [k, String(v)])), principalId: result.principalId };
};

const adminCall = (method: string, path: string, body?: unknown) => invoke(admin, method, path, body, { authorizer: adminContext });

interface CreatedApp {
  id: string;
  secretToken: string;
  requiredAttributes: string[];
}

const createApp = async (requiredAttributes?: unknown): Promise<CreatedApp> => {
  const res = await adminCall('POST', '/admin/apps', { name: `Entra ${randomUUID().slice(0, 8)}`, ...(requiredAttributes ? { requiredAttributes } : {}) });
  expect(res.status).toBe(201);
  return res.body as CreatedApp;
};

/** An Entra client on the application's Tenant URL, authorised afresh on every call (so it sees policy changes). */
const entra = (app: CreatedApp) => {
  const prefix = `/apps/${app.id}/scim/v2`;
  return async (method: string, path: string, body?: unknown) =>
    invoke(users, method, `${prefix}${path}`, body, { authorizer: await contextOf(app.secretToken, `${prefix}${path}`) });
};

/** entra-scim.md §3.1's Create User body: no department, no displayName. */
const entraUser = () => {
  const userName = `Test_User_${randomUUID()}@contoso.com`;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: randomUUID(),
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  };
};

const expectScimError = (res: { status: number; body: any }, status: number, detail: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail: expect.stringMatching(detail) });
};

beforeAll(async () => {
  tables = await createTestTables('required');
  dir = await mkdtemp(join(tmpdir(), 'scgw-required-'));
  const rt = testRuntime(tables, { SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: join(dir, 'secrets.json'), SCIM_AUTH_CACHE_SECONDS: '0' });
  admin = createAdminHandler(rt) as unknown as Handler;
  users = createUsersHandler(rt) as unknown as Handler;
  authorize = createAuthorizerHandler(rt) as Authorize;
  const { token } = await createApplications(appStoreDeps(rt)).ensureAdminToken();
  adminContext = await contextOf(token!, '/admin/apps');
});

afterAll(async () => {
  await tables.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('required-attribute policy', () => {
  it('POST /admin/apps with requiredAttributes ["department"] keeps the enterprise URN form, and POST /Users without it → 400 naming it, not 500', async () => {
    const app = await createApp(['department']);
    expect(app.requiredAttributes).toEqual(['userName', DEPARTMENT]);
    const scim = entra(app);

    expectScimError(await scim('POST', '/Users', entraUser()), 400, new RegExp(`^Attribute "${DEPARTMENT}" is required by this application\\.$`));
    const full = await scim('POST', '/Users', { ...entraUser(), [ENTERPRISE]: { department: 'Sales' } });
    expect(full.status).toBe(201);
  });

  it('POST and PATCH /admin/apps with an unusable path → 400 naming it and what would be valid; nothing saved', async () => {
    expectScimError(
      await adminCall('POST', '/admin/apps', { name: `Bad ${randomUUID().slice(0, 8)}`, requiredAttributes: ['foo.bar'] }),
      400,
      /^Invalid application: requiredAttributes\[0\]: "foo\.bar" does not name a User attribute: "foo" is not an attribute .*Valid entries are paths as SCIM requests write them .*entra-default\.$/,
    );
    const app = await createApp(['displayName']);
    expectScimError(
      await adminCall('PATCH', `/admin/apps/${app.id}`, { requiredAttributes: ['name.givenName', 'groups'] }),
      400,
      /^Invalid application update: requiredAttributes\[1\]: "groups" is read-only/,
    );
    expect((await adminCall('GET', `/admin/apps/${app.id}`)).body.requiredAttributes).toEqual(['userName', 'displayName']);
  });

  it('"requiredAttributes": ["entra-default"] is kept as the preset and enforces its six attributes', async () => {
    const app = await createApp(['entra-default']);
    expect(app.requiredAttributes).toEqual(['userName', 'entra-default']);
    const scim = entra(app);

    expectScimError(await scim('POST', '/Users', entraUser()), 400, /^Attribute "displayName" is required by this application\.$/);
    const { emails: _none, ...noMail } = { ...entraUser(), displayName: 'Joy Young' };
    expectScimError(await scim('POST', '/Users', noMail), 400, /"emails\[type eq "work"\]\.value"/);
    expect((await scim('POST', '/Users', { ...entraUser(), displayName: 'Joy Young' })).status).toBe(201);
  });

  it("after the policy is tightened, Entra's PATCH active \"False\", reactivation, other edits and DELETE of a user lacking the new attributes succeed; removing a required value → 400", async () => {
    const app = await createApp();
    const scim = entra(app);
    const user = (await scim('POST', '/Users', entraUser())).body;
    expect(user.id).toEqual(expect.any(String));

    const tightened = await adminCall('PATCH', `/admin/apps/${app.id}`, { requiredAttributes: ['entra-default', 'department'] });
    expect(tightened.status).toBe(200);
    expect(tightened.body.requiredAttributes).toEqual(['userName', 'entra-default', DEPARTMENT]);

    const disable = await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect([disable.status, disable.body.active]).toEqual([200, false]);
    const enable = await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect([enable.status, enable.body.active]).toEqual([200, true]);
    const rename = await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'name.familyName', value: 'Young' }] });
    expect(rename.status).toBe(200);
    const put = await scim('PUT', `/Users/${user.id}`, { ...rename.body, active: false });
    expect(put.status).toBe(200);

    expectScimError(
      await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'name.givenName' }] }),
      400,
      /^Attribute "name\.givenName" is required by this application and cannot be removed\.$/,
    );
    const { emails: _gone, ...withoutMail } = put.body;
    expectScimError(await scim('PUT', `/Users/${user.id}`, withoutMail), 400, /"emails\[type eq "work"\]\.value" is required by this application and cannot be removed/);
    expect((await scim('GET', `/Users/${user.id}`)).body).toMatchObject({ name: { givenName: 'givenName', familyName: 'Young' }, emails: user.emails });

    expect((await scim('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${user.id}`)).status).toBe(404);
  });

  it.each<[string, unknown]>([
    ['an unknown attribute', ['foo.bar']],
    ['a short name saved before short names resolved', ['department']],
    ['a preset', ['entra-default']],
    ['an unknown preset', ['okta-default']],
    ['an unknown schema URN', ['urn:x:y:z']],
    ['a read-only attribute', ['groups', 'id', 'meta.created']],
    ['a malformed value filter', ['emails[type co "work"].value', 'emails[type eq "work"']],
    ['empty and blank entries', ['', '   ']],
    ['non-strings', [5, null, true, { path: 'displayName' }, ['displayName']]],
    ['an empty list', []],
    ['a bare string', 'department'],
    ['a string set', new Set(['department', 'foo.bar'])],
    ['a number', 42],
    ['a map', { 0: 'displayName' }],
    ['a 200-character path', [`${'x'.repeat(190)}.givenName`]],
  ])('a stored policy holding %s never turns POST /Users into a 500', async (_kind, stored) => {
    const app = await createApp();
    await DynamoDBDocumentClient.from(tables.client).send(
      new UpdateCommand({
        TableName: tables.tableName,
        Key: keys.app(app.id),
        UpdateExpression: 'SET requiredAttributes = :stored',
        ExpressionAttributeValues: { ':stored': stored },
      }),
    );
    const scim = entra(app);

    const bare = await scim('POST', '/Users', { userName: `bare-${randomUUID()}` });
    expect([201, 400]).toContain(bare.status);
    const full = await scim('POST', '/Users', { ...entraUser(), displayName: 'Joy Young', active: true, [ENTERPRISE]: { department: 'Sales' } });
    expect(full.status).toBe(201);
  });
});
