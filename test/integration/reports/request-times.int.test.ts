/**
 * Report rows carry the time and the request of the change itself, deletes and member removals
 * included: the real Users and Groups handlers on DynamoDB Local (whose stream times are rounded
 * to the minute) → the stream → the stream handler → GET /admin/reports.
 */
import { createGroupsHandler } from '../../../lambdas/handlers/groups';
import { createUsersHandler } from '../../../lambdas/handlers/users';
import { randomUUID } from 'node:crypto';
import { scimClient, type RequestOptions, type TestApp } from '../../helpers/invoke';
import { appItem, createWorld, type World } from './world';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const app: TestApp = { id: 'apptimes0001', name: 'Entra ID' };
const ENTRA_AGENT = 'Azure Active Directory SCIM Client';

type Row = Record<string, unknown>;

describe('report rows carry the true time and request of every change', () => {
  let world: World;
  let users: ReturnType<typeof scimClient>;
  let groups: ReturnType<typeof scimClient>;

  /** A request with a known id, and when it was sent and answered. */
  interface Sent {
    requestId: string;
    sent: number;
    answered: number;
    status: number;
    body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- SCIM JSON
  }
  const send = async (call: (options: RequestOptions) => Promise<{ status: number; body: unknown }>): Promise<Sent> => {
    const requestId = randomUUID();
    const sent = Date.now();
    const { status, body } = await call({ requestId, headers: { 'User-Agent': ENTRA_AGENT } });
    return { requestId, sent, answered: Date.now(), status, body };
  };
  const newUser = (userName: string) => send((o) => users.post('/Users', { userName, active: true }, o));
  const newGroup = (displayName: string, members: string[] = []) =>
    send((o) => groups.post('/Groups', { displayName, members: members.map((value) => ({ value })) }, o));
  const memberPatch = (op: string, userId: string) => ({ schemas: [PATCH_OP], Operations: [{ op, path: 'members', value: [{ value: userId }] }] });

  const rowsOf = async (query: Record<string, string>): Promise<Row[]> => {
    expect((await world.pump()).every((answer) => answer.batchItemFailures.length === 0)).toBe(true);
    const { status, body } = await world.reports({ ...query, limit: '500' });
    expect(status).toBe(200);
    return [...body.reports].reverse(); // oldest first
  };

  /** The row was written with the request's own id, and a time taken while the request ran. */
  const expectOfRequest = (row: Row, request: Sent) => {
    expect(row.requestId).toBe(request.requestId);
    expect(row.userAgent).toBe(ENTRA_AGENT);
    expect(row.sourceIp).toBe('203.0.113.7');
    const time = Date.parse(String(row.time));
    expect(time).toBeGreaterThanOrEqual(request.sent);
    expect(time).toBeLessThanOrEqual(request.answered);
    expect(Math.abs(time - request.sent)).toBeLessThanOrEqual(1000);
  };

  beforeAll(async () => {
    world = await createWorld('request-times');
    await world.put(appItem(app.id, app.name));
    users = scimClient(createUsersHandler(world.rt), app);
    groups = scimClient(createGroupsHandler(world.rt), app);
  });
  afterAll(() => world.close());

  it('create, update, remove member, delete in quick succession → four rows in that order, each within 1 s of its request, each with its request id', async () => {
    // Prepare
    const userName = `${randomUUID()}@contoso.com`;
    const create = await newUser(userName);
    const userId = create.body.id as string;
    const group = await newGroup(`Sales ${randomUUID()}`, [userId]);
    // Act
    const update = await send((o) => users.patch(`/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: 'Alice' }] }, o));
    const removal = await send((o) => groups.patch(`/Groups/${group.body.id}`, memberPatch('Remove', userId), o));
    const deletion = await send((o) => users.delete(`/Users/${userId}`, o));
    expect([create.status, group.status, update.status, removal.status, deletion.status]).toEqual([201, 201, 200, 204, 204]);
    // Assess
    const rows = await rowsOf({ endUser: userName, action: 'create,update,member-removed,delete' });
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'member-removed', 'delete']);
    [create, update, removal, deletion].forEach((request, i) => expectOfRequest(rows[i], request));
  });

  it('a user delete is one row with its request, however many memberships it takes along (more than one transaction holds)', async () => {
    // Prepare: more memberships than fit in the deleting transaction, so some go in earlier ones.
    const userName = `${randomUUID()}@contoso.com`;
    const userId = (await newUser(userName)).body.id as string;
    for (let i = 0; i < 100; i++) expect((await newGroup(`Team ${i} ${randomUUID()}`, [userId])).status).toBe(201);
    // Act
    const deletion = await send((o) => users.delete(`/Users/${userId}`, o));
    expect(deletion.status).toBe(204);
    // Assess
    const rows = await rowsOf({ endUser: userName, action: 'delete,member-removed' });
    expect(rows.map((r) => r.action)).toEqual(['delete']);
    expectOfRequest(rows[0], deletion);
  });

  it('a group delete is one row with its request; the memberships swept after it are not member removals', async () => {
    // Prepare
    const userName = `${randomUUID()}@contoso.com`;
    const userId = (await newUser(userName)).body.id as string;
    const displayName = `Staff ${randomUUID()}`;
    const group = await newGroup(displayName, [userId]);
    // Act
    const deletion = await send((o) => groups.delete(`/Groups/${group.body.id}`, o));
    expect(deletion.status).toBe(204);
    await world.pump(); // the consumer sweeps the group's memberships; their REMOVEs follow
    // Assess
    const groupRows = (await rowsOf({ application: app.id, action: 'delete' })).filter((r) => r.groupId === group.body.id);
    expect(groupRows).toHaveLength(1);
    expectOfRequest(groupRows[0], deletion);
    expect((await rowsOf({ endUser: userName })).map((r) => r.action)).toEqual(['create', 'member-added']);
  });

  it('a member removed, added back and removed again: each removal row has its own request and time', async () => {
    // Prepare
    const userName = `${randomUUID()}@contoso.com`;
    const userId = (await newUser(userName)).body.id as string;
    const group = await newGroup(`Ops ${randomUUID()}`, [userId]);
    // Act: all before the stream consumer runs, so both removal notes exist when it reads them.
    const first = await send((o) => groups.patch(`/Groups/${group.body.id}`, memberPatch('Remove', userId), o));
    const again = await send((o) => groups.patch(`/Groups/${group.body.id}`, memberPatch('Add', userId), o));
    const second = await send((o) => groups.patch(`/Groups/${group.body.id}`, memberPatch('Remove', userId), o));
    expect([first.status, again.status, second.status]).toEqual([204, 204, 204]);
    // Assess
    const rows = await rowsOf({ endUser: userName, action: 'member-added,member-removed' });
    expect(rows.map((r) => r.action)).toEqual(['member-added', 'member-removed', 'member-added', 'member-removed']);
    expectOfRequest(rows[1], first);
    expectOfRequest(rows[2], again);
    expectOfRequest(rows[3], second);
  });
});
