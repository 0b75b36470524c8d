/**
 * Directory events end to end on the real local gateway (`scim-gateway local`), with a webhook
 * receiver on loopback: an Entra-style cycle and a day of changes reach the receiver as signed
 * events (Standard Webhooks, verified with the `standardwebhooks` package), every logged event
 * once, with per-subject sequences strictly increasing in arrival order; a receiver that fails
 * for a while loses nothing and keeps the order; a replay resends the very same ids; the directory
 * read API agrees with the last event of each subject; token scopes hold both ways.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { runEventsCommand, runWebhooksCommand } from '../../lib/cli/events';
import { freePort } from '../../lib/local/dynamodb-local';
import type { LocalState } from '../../lib/local/local-state';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../helpers/webhook-receiver';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Received = ReceivedRequest;
type Envelope = { id: string; type: string; sequence: number; subject: { type: string; id: string }; data: Record<string, unknown> };

jest.setTimeout(240_000);

describe('directory events on the local gateway', () => {
  let dataDir: string;
  let gateway: GatewayProcess;
  let state: LocalState;
  let receiver: WebhookReceiver | undefined;
  let receiverUrl: string;
  /** What the receiver answers now. */
  let answer = 204;
  const received: Received[] = [];
  let secret: string;
  let webhookId: string;
  let directoryToken: string;
  const started = new Date(Date.now() - 60_000).toISOString();

  const call = async (method: string, url: string, token: string, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  };
  const admin = (method: string, pathname: string, body?: unknown) => call(method, `${state.apiUrl}/admin${pathname}`, state.adminToken!, body);
  const scim = (method: string, pathname: string, body?: unknown) => call(method, `${state.apps[0].tenantUrl}${pathname}`, state.apps[0].secretToken, body);
  const directory = (pathname: string, token = directoryToken) => call('GET', `${state.apiUrl}/apps/${state.apps[0].id}/directory/v1${pathname}`, token);

  /** Every event in the log, through the read API, following `nextAfter`. */
  const loggedEvents = async (): Promise<Envelope[]> => {
    const all: Envelope[] = [];
    let after = '';
    for (;;) {
      const page = await directory(`/events?limit=500${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      all.push(...(page.body!.data as Envelope[]));
      if (!page.body!.hasMore) return all;
      after = page.body!.nextAfter;
    }
  };
  const delivered = () => received.filter((r) => r.status >= 200 && r.status < 300).map((r) => JSON.parse(r.body) as Envelope);
  const events = () => delivered().filter((e) => e.type !== 'ping');

  /** Waits until `done` holds (the stream poller, the stage and the sender run in the background). */
  const eventually = async (done: () => boolean | Promise<boolean>, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('timed out waiting for events');
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  /**
   * Every logged event has reached the receiver, the log holds what `expected` waits for, and it has
   * not grown for four polls (a second): some events come a stream pass later (a deleted group
   * leaves its members' profiles through the stream consumer), later still on a loaded machine.
   */
  const allDelivered = async (expected: (logged: Envelope[]) => boolean = () => true) => {
    let last = -1;
    let steady = 0;
    await eventually(async () => {
      const logged = await loggedEvents();
      const ids = new Set(events().map((e) => e.id));
      steady = logged.length === last ? steady + 1 : 0;
      last = logged.length;
      return steady >= 4 && expected(logged) && logged.every((e) => ids.has(e.id));
    });
  };

  const user = (userName: string, department: string) => ({
    schemas: [USER_SCHEMA, ENTERPRISE],
    userName,
    externalId: userName.split('@')[0],
    active: true,
    name: { givenName: userName.split('@')[0], familyName: 'Test' },
    emails: [{ type: 'work', value: userName, primary: true }],
    [ENTERPRISE]: { department },
  });
  const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations });

  beforeAll(async () => {
    receiver = await startWebhookReceiver(received, () => answer);
    receiverUrl = receiver.url;
    dataDir = mkdtempSync(path.join(tmpdir(), 'scim-e2e-events-'));
    gateway = spawnGateway(['--in-memory', '--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
    await gateway.waitFor(/Press Ctrl-C to stop/);
    state = readLocalJson(dataDir);
  });

  afterAll(async () => {
    await gateway?.stop();
    await receiver?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('POST /admin/apps/{appId}/webhooks shows the secret once; a test ping arrives signed', async () => {
    const made = await admin('POST', `/apps/${state.apps[0].id}/webhooks`, { url: receiverUrl, description: 'e2e receiver' });
    expect(made.status).toBe(201);
    expect(made.body!.secret).toMatch(/^whsec_/);
    ({ secret, id: webhookId } = made.body as { secret: string; id: string });
    const listed = await admin('GET', `/apps/${state.apps[0].id}/webhooks`);
    expect(listed.body!.webhooks).toEqual([expect.objectContaining({ id: webhookId, url: receiverUrl, enabled: true })]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    const ping = await admin('POST', `/apps/${state.apps[0].id}/webhooks/${webhookId}/test`);
    expect(ping.body).toEqual(expect.objectContaining({ delivered: true, status: 204 }));
    const arrived = received.at(-1)!;
    expect(new Webhook(secret).verify(arrived.body, arrived.headers as Record<string, string>)).toEqual(expect.objectContaining({ type: 'ping', id: ping.body!.id }));
  });

  it('directory tokens read the directory only, and Secret Tokens cannot', async () => {
    const made = await admin('POST', `/apps/${state.apps[0].id}/directory-tokens`);
    expect(made.status).toBe(201);
    directoryToken = made.body!.token;
    expect(directoryToken).toMatch(/^scgw_dir_/);
    expect((await directory('/users')).status).toBe(200);
    expect((await directory('/users', state.apps[0].secretToken)).status).toBe(403);
    expect((await directory('/users', state.adminToken!)).status).toBe(403);
    expect((await call('GET', `${state.apps[0].tenantUrl}/Users`, directoryToken)).status).toBe(403);
    expect((await call('GET', `${state.apiUrl}/admin/apps`, directoryToken)).status).toBe(403);
  });

  it('an Entra cycle and a day of changes reach the receiver: every event once, signed, in per-subject order', async () => {
    const ids: Record<string, string> = {};
    for (const [name, department] of [['alice@contoso.com', 'Sales'], ['bob@contoso.com', 'Sales'], ['carol@contoso.com', 'Support']]) {
      const created = await scim('POST', '/Users', user(name, department));
      expect(created.status).toBe(201);
      ids[name] = created.body!.id;
    }
    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Sales', externalId: 'sales' });
    expect(group.status).toBe(201);
    const groupId = group.body!.id as string;
    expect((await scim('PATCH', `/Groups/${groupId}`, patch({ op: 'add', path: 'members', value: [{ value: ids['alice@contoso.com'] }, { value: ids['bob@contoso.com'] }] }))).status).toBe(204);
    // The day: a move, a disable, a member leaves, a rename, a leaver deleted, the group deleted.
    expect((await scim('PATCH', `/Users/${ids['alice@contoso.com']}`, patch({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Marketing' }))).status).toBe(200);
    expect((await scim('PATCH', `/Users/${ids['bob@contoso.com']}`, patch({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
    expect((await scim('PATCH', `/Groups/${groupId}`, patch({ op: 'remove', path: `members[value eq "${ids['alice@contoso.com']}"]` }))).status).toBe(204);
    expect((await scim('PATCH', `/Groups/${groupId}`, patch({ op: 'replace', path: 'displayName', value: 'Sales EMEA' }))).status).toBe(204);
    expect((await scim('DELETE', `/Users/${ids['carol@contoso.com']}`)).status).toBe(204);
    expect((await scim('DELETE', `/Groups/${groupId}`)).status).toBe(204);

    // Bob leaves the deleted group last: his profile is updated by the stream consumer after the delete.
    await allDelivered((logged) => logged.some((e) => e.type === 'group.member_removed' && e.subject.id === ids['bob@contoso.com']));
    const got = events();
    const types = got.map((e) => e.type);
    for (const type of ['user.created', 'group.created', 'group.member_added', 'user.updated', 'user.deactivated', 'group.member_removed', 'group.updated', 'user.deleted', 'group.deleted']) {
      expect(types).toContain(type);
    }
    expect(types.filter((t) => t === 'user.created')).toHaveLength(3);
    // Signatures verify; ids are unique; each subject's sequences grow in arrival order.
    for (const request of received) expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
    const last = new Map<string, number>();
    for (const event of got) {
      const key = `${event.subject.type}:${event.subject.id}`;
      expect(event.sequence).toBeGreaterThan(last.get(key) ?? 0);
      last.set(key, event.sequence);
    }
    // The log holds exactly what was delivered.
    expect((await loggedEvents()).map((e) => e.id).sort()).toEqual(got.map((e) => e.id).sort());
  });

  it('the directory read API agrees with the last event of each subject', async () => {
    const users = await directory('/users');
    expect(users.status).toBe(200);
    const lastOf = new Map<string, Envelope>();
    for (const event of events()) if (event.subject.type === 'user') lastOf.set(event.subject.id, event);
    expect(users.body!.data).toHaveLength(2); // carol was deleted
    for (const read of users.body!.data as Record<string, unknown>[]) {
      const last = lastOf.get(String(read.id))!;
      expect(read.sequence).toBe(last.sequence);
      const profile = last.type.startsWith('group.member') ? (last.data.user as Record<string, unknown>) : last.data;
      const { sequence: _sequence, ...readProfile } = read;
      expect(readProfile).toEqual(profile);
    }
    const one = await directory(`/users/${(users.body!.data as { id: string }[])[0].id}`);
    expect(one.status).toBe(200);
    expect((await directory('/users/nobody')).status).toBe(404);
    expect((await directory('/events?after=nonsense')).status).toBe(400);
  });

  it('a receiver failing for a while loses nothing and keeps each subject in order', async () => {
    const before = events().length;
    answer = 503;
    const alice = ((await directory('/users')).body!.data as { id: string; userName: string }[]).find((u) => u.userName === 'alice@contoso.com')!;
    for (const department of ['Finance', 'Legal', 'Research']) {
      expect((await scim('PATCH', `/Users/${alice.id}`, patch({ op: 'replace', path: `${ENTERPRISE}:department`, value: department }))).status).toBe(200);
    }
    await eventually(() => received.some((r) => r.status === 503));
    await new Promise((r) => setTimeout(r, 2000));
    answer = 204;
    await allDelivered();
    const moves = events().slice(before).filter((e) => e.subject.id === alice.id);
    expect(moves.map((e) => (e.data.attributes as Record<string, unknown> | undefined)?.department)).toEqual(['Finance', 'Legal', 'Research']);
    expect(moves.map((e) => e.sequence)).toEqual([...moves.map((e) => e.sequence)].sort((a, b) => a - b));
    // Only one failed attempt per subject before it was acknowledged: later events waited behind it.
    expect(received.filter((r) => r.status === 503).length).toBe(1);
    const history = await admin('GET', `/apps/${state.apps[0].id}/webhooks/${webhookId}/deliveries?limit=500`);
    expect(history.body!.deliveries.filter((d: { state: string }) => d.state !== 'delivered')).toEqual([]);
  });

  it('POST /admin/apps/{appId}/events/replay resends the logged events with their original ids', async () => {
    const logged = (await loggedEvents()).map((e) => e.id);
    const before = received.length;
    const replay = await admin('POST', `/apps/${state.apps[0].id}/events/replay`, { from: started, to: new Date(Date.now() + 60_000).toISOString(), webhookId });
    expect(replay.status).toBe(202);
    expect(replay.body!.events).toBe(logged.length);
    await eventually(() => received.length - before >= logged.length);
    const replayed = received.slice(before).map((r) => (JSON.parse(r.body) as Envelope).id);
    expect([...replayed].sort()).toEqual([...logged].sort());
  });

  it('the CLI lists and tests webhooks and tails the application\'s events', async () => {
    let output = '';
    const io = { stdout: (text: string) => void (output += text), env: {} };
    const app = ['--app', state.apps[0].name, '--data-dir', dataDir];
    expect(await runWebhooksCommand(['list', ...app], io)).toBe(0);
    expect(output).toContain(webhookId);
    expect(await runWebhooksCommand(['test', webhookId, ...app], io)).toBe(0);
    expect(output).toMatch(/Ping evt_[0-9a-f]{32} delivered \(HTTP 204\)/);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 1500);
    output = '';
    expect(await runEventsCommand(['tail', '--from-start', '--types', 'user.created', ...app], io, stop.signal)).toBe(0);
    expect(output.trim().split('\n')).toHaveLength(3);
    expect(output).toContain('alice@contoso.com');
  });
});
