/** The real discovery handler: what the server advertises, per application. */
import { createDiscoveryHandler } from '../../lambdas/handlers/discovery';
import type { Runtime } from '../../lambdas/shared/runtime';
import { createAppStore } from '../../lambdas/store/application-items';
import { createStreamUpkeep } from '../../lambdas/store/stream-upkeep';
import { createTestTables, type TestTables } from '../helpers/tables';
import { testRuntime } from '../helpers/runtime';
import { scimClient } from '../helpers/invoke';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:Contoso:2.0:User';
let tables: TestTables;
let rt: Runtime;
let scim: ReturnType<typeof scimClient>;

beforeAll(async () => {
  tables = await createTestTables('discovery');
  rt = testRuntime(tables);
  const now = new Date().toISOString();
  await createAppStore(rt.dynamo, tables.tableName).create({
    id: 'discoapp0001',
    name: 'Discovery',
    requiredAttributes: ['userName'],
    created: now,
    lastModified: now,
    tokens: [],
    extensionAttributes: [],
    version: 1,
  });
  // What the stream consumer records when a user carries a custom extension attribute.
  await createStreamUpkeep(rt.dynamo, tables.tableName).addExtensionAttributes('discoapp0001', [`${CUSTOM}:badgeColor`]);
  const handler = createDiscoveryHandler(rt);
  scim = scimClient(handler, { id: 'discoapp0001', name: 'Discovery' });
});
afterAll(() => tables.drop());

describe('discovery handler', () => {
  it('GET /ServiceProviderConfig → patch, filter, sort, etag and RFC 9865 cursor paging supported', async () => {
    const res = await scim.get('/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/scim+json');
    expect(res.body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, sort: { supported: true }, etag: { supported: true }, bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 } });
    expect(res.body.pagination).toMatchObject({ cursor: true, index: true });
  });

  it('GET /Schemas → User, EnterpriseUser, Group and the custom extension in use', async () => {
    const res = await scim.get('/Schemas');
    expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    const ids = res.body.Resources.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:Group', CUSTOM]));
    expect(res.raw).toContain('User Account');
    expect(res.raw).not.toContain('null');
    const custom = await scim.get(`/Schemas/${CUSTOM}`);
    expect(custom.body.attributes.map((a: { name: string }) => a.name)).toEqual(['badgeColor']);
  });

  it('GET /ResourceTypes → User first with endpoint /Users; unknown id → 404', async () => {
    const res = await scim.get('/ResourceTypes');
    expect(res.body.Resources[0]).toMatchObject({ id: 'User', endpoint: '/Users' });
    expect((await scim.get('/ResourceTypes/Group')).body.endpoint).toBe('/Groups');
    expect((await scim.get('/ResourceTypes/Nope')).status).toBe(404);
  });
});
