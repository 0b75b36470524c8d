/**
 * Directory event reliability on DynamoDB Local: the event stage and the webhook sender (the code
 * the local gateway and the AWS sender run), with a scripted receiver and a clock the test moves.
 * A duplicate stream delivery appends and queues nothing twice; 500 and 429 are retried on the
 * schedule (Retry-After honoured) while later events of the subject wait; a slow receiver times
 * out and is retried; 410 disables the endpoint and dead-letters what it had pending, which can be
 * redelivered with the same ids; a sender that fails after sending sends again (at least once).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryChange } from '../../lambdas/events';
import { appStoreDeps } from '../../lambdas/shared/app-stores';
import { secretStoreOf } from '../../lambdas/shared/app-stores';
import type { Runtime } from '../../lambdas/shared/runtime';
import { createDeliveryQueue, type DeliveryQueue } from '../../lambdas/store/delivery-queue';
import { createEventLog, type EventLog } from '../../lambdas/store/event-log';
import { createNoteReader } from '../../lambdas/store/notes';
import { createWebhookStore, type WebhookStore } from '../../lambdas/store/webhooks';
import { createApplications } from '../../lambdas/use-cases/applications';
import { readRecentEvents } from '../../lambdas/use-cases/event-reads';
import { createEventStage, eventBusPublisher } from '../../lambdas/use-cases/event-stage';
import type { EventBusEntry } from '../../lambdas/store/event-bus';
import { Webhook as SignatureCheck } from 'standardwebhooks';
import { pingEvent } from '../../lambdas/events';
import { createWebhookSender, SECRETS_CACHE_MS } from '../../lambdas/use-cases/webhook-sender';
import { createWebhooks } from '../../lambdas/use-cases/webhooks';
import { testRuntime } from '../helpers/runtime';
import { createTestTables, type TestTables } from '../helpers/tables';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** A user item's stream record: `version` grows with each change. */
const userRecord = (appId: string, id: string, n: number, department: string, active = true): DirectoryChange => {
  const image = (version: number, dept: string) => ({
    type: 'User',
    appId,
    id,
    userName: `${id}@contoso.com`,
    active,
    version,
    lastModified: new Date(T0 + version * 1000).toISOString(),
    profile: { userName: `${id}@contoso.com`, active, attributes: { department: dept }, groups: [], version, updatedAt: new Date(T0 + version * 1000).toISOString() },
  });
  return {
    eventId: `rec-${id}-${n}`,
    eventName: n === 1 ? 'INSERT' : 'MODIFY',
    sequenceNumber: String(1000 + n * 10 + id.length),
    approximateCreationTime: T0 + n * 1000,
    ...(n === 1 ? {} : { oldImage: image(n - 1, `${department}-before`) }),
    newImage: image(n, department),
  };
};

describe('directory event delivery (stage + sender on DynamoDB Local)', () => {
  let tables: TestTables;
  let dir: string;
  let rt: Runtime;
  let appId: string;
  let log: EventLog;
  let queue: DeliveryQueue;
  let store: WebhookStore;
  let clock: number;
  /** What the receiver does with the next request. */
  let script: (url: string, init: RequestInit) => Promise<Response>;
  const sent: string[] = [];

  const fetchFake = (async (url: string, init: RequestInit) => {
    sent.push(JSON.parse(String(init.body)).id);
    return script(url, init);
  }) as unknown as typeof fetch;
  const newSender = (timeoutMs = 1000) =>
    createWebhookSender({ webhooks: store, queue, urlMode: 'local', fetch: fetchFake, now: () => new Date(clock), random: () => 0, timeoutMs });
  /** One pass, then wait for the attempts it started. */
  const pass = async (sender: ReturnType<typeof newSender>) => {
    await sender.pump((error) => {
      throw error;
    });
    while (sender.inFlightCount() > 0) await new Promise((r) => setTimeout(r, 10));
  };
  const stage = () => createEventStage({ log, queue, webhooks: store, notes: createNoteReader(rt.dynamo, tables.tableName), now: () => clock });
  const webhooksOf = () =>
    createWebhooks({ apps: appStoreDeps(rt).apps, webhooks: store, queue, log, sender: newSender(), urlMode: 'local', retentionDays: 90, now: () => new Date(clock) });
  const newWebhook = async () => (await webhooksOf().create(appId, { url: 'http://127.0.0.1:9/hook' })).id;

  beforeAll(async () => {
    tables = await createTestTables('webhooks');
    dir = await mkdtemp(join(tmpdir(), 'scim-webhooks-'));
    rt = testRuntime(tables, { SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: join(dir, 'secrets.json'), SCIM_WEBHOOK_URL_MODE: 'local' });
    appId = (await createApplications(appStoreDeps(rt)).create({ name: 'Webhooks' }, 'http://localhost')).app.id;
    log = createEventLog(rt.dynamo, tables.reportTableName, { retentionDays: 90, now: () => clock });
    queue = createDeliveryQueue(rt.dynamo, tables.reportTableName, { historyDays: 90 });
    store = createWebhookStore(rt.dynamo, tables.reportTableName, secretStoreOf(rt.config), rt.config.SCIM_SECRET_PREFIX);
  });
  afterAll(async () => {
    await tables?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock = T0 + 60_000;
    sent.length = 0;
    script = async () => new Response(null, { status: 204 });
  });

  it('a duplicate stream delivery appends and queues each event once', async () => {
    const webhookId = await newWebhook();
    const records = [userRecord(appId, 'dup', 1, 'Sales'), userRecord(appId, 'dup', 2, 'Marketing')];
    const first = await stage()(records);
    const again = await stage()(records);
    expect(first).toEqual({ appended: 2, queued: 2 });
    expect(again).toEqual({ appended: 0, queued: 0 });
    expect(await queue.pending(webhookId)).toHaveLength(2);
    await webhooksOf().remove(appId, webhookId);
  });

  it('a 500 is retried after 30 s while the subject’s later events wait; then both go in order', async () => {
    const webhookId = await newWebhook();
    await stage()([userRecord(appId, 'ann', 1, 'Sales'), userRecord(appId, 'ann', 2, 'Marketing')]);
    const [first, second] = (await queue.pending(webhookId)).map((d) => d.eventId);
    const sender = newSender();
    script = async () => new Response(null, { status: 500 });
    await pass(sender);
    expect(sent).toEqual([first]);
    expect((await queue.pending(webhookId))[0]).toEqual(expect.objectContaining({ attempts: 1, lastStatus: 500, dueAt: clock + 30_000, lastError: 'HTTP 500' }));
    clock += 10_000;
    await pass(sender);
    expect(sent).toEqual([first]); // not due yet, and the second waits behind it
    clock += 21_000;
    script = async () => new Response(null, { status: 200 });
    await pass(sender);
    await pass(sender);
    expect(sent).toEqual([first, first, second]);
    expect(await queue.pending(webhookId)).toEqual([]);
    await webhooksOf().remove(appId, webhookId);
  });

  it('a 429 with Retry-After waits as long as the receiver asked', async () => {
    const webhookId = await newWebhook();
    await stage()([userRecord(appId, 'ben', 1, 'Sales')]);
    script = async () => new Response(null, { status: 429, headers: { 'Retry-After': '120' } });
    await pass(newSender());
    expect((await queue.pending(webhookId))[0]).toEqual(expect.objectContaining({ attempts: 1, lastStatus: 429, dueAt: clock + 120_000 }));
    await webhooksOf().remove(appId, webhookId);
  });

  it('a slow receiver times out and the event is retried', async () => {
    const webhookId = await newWebhook();
    await stage()([userRecord(appId, 'cat', 1, 'Sales')]);
    script = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'TimeoutError' }))));
    await pass(newSender(50));
    expect((await queue.pending(webhookId))[0]).toEqual(expect.objectContaining({ attempts: 1, lastError: 'no response within 15 s' }));
    await webhooksOf().remove(appId, webhookId);
  });

  it('410 disables the endpoint and dead-letters what it had pending; a redelivery keeps the id', async () => {
    const webhookId = await newWebhook();
    await stage()([userRecord(appId, 'dan', 1, 'Sales'), userRecord(appId, 'eve', 1, 'Sales'), userRecord(appId, 'dan', 2, 'Legal')]);
    script = async () => new Response(null, { status: 410 });
    const sender = newSender();
    await pass(sender);
    const hooks = webhooksOf();
    expect(await hooks.get(appId, webhookId)).toEqual(expect.objectContaining({ enabled: false, disabledReason: 'HTTP 410' }));
    expect(await queue.pending(webhookId)).toEqual([]);
    const history = await hooks.deliveries(appId, webhookId, 50);
    expect(history.map((d) => d.state)).toEqual(['dead', 'dead', 'dead']);
    // Re-enabled and redelivered a second later: the same event id arrives, from the same sender at
    // once (it settled that delivery itself, but a redelivery is queued anew, not a stale read).
    await hooks.update(appId, webhookId, { enabled: true });
    const letter = history.find((d) => sent.includes(d.eventId))!; // one this sender attempted and settled
    clock += 1000;
    await hooks.redeliver(appId, webhookId, letter.eventId);
    script = async () => new Response(null, { status: 204 });
    sent.length = 0;
    await pass(sender);
    expect(sent).toEqual([letter.eventId]);
    await expect(hooks.redeliver(appId, webhookId, letter.eventId)).rejects.toThrow(/No dead letter/);
    await hooks.remove(appId, webhookId);
  });

  it('a sender that fails after sending sends the event again (at least once, same id)', async () => {
    const webhookId = await newWebhook();
    await stage()([userRecord(appId, 'fay', 1, 'Sales')]);
    const failing = createWebhookSender({
      webhooks: store,
      queue: { ...queue, finish: async () => Promise.reject(new Error('crashed before recording')) },
      urlMode: 'local',
      fetch: fetchFake,
      now: () => new Date(clock),
    });
    const errors: unknown[] = [];
    await failing.pump((error) => errors.push(error));
    while (failing.inFlightCount() > 0) await new Promise((r) => setTimeout(r, 10));
    expect(errors).toHaveLength(1);
    expect(await queue.pending(webhookId)).toHaveLength(1);
    await pass(newSender());
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe(sent[1]);
    expect(await queue.pending(webhookId)).toEqual([]);
    await webhooksOf().remove(appId, webhookId);
  });

  it('rotating the secret signs with both secrets', async () => {
    const hooks = webhooksOf();
    const made = await hooks.create(appId, { url: 'http://127.0.0.1:9/hook' });
    const { secret } = await hooks.rotateSecret(appId, made.id);
    expect(secret).not.toBe(made.secret);
    const signatures: string[] = [];
    script = async (_url, init) => {
      signatures.push(String((init.headers as Record<string, string>)['webhook-signature']));
      return new Response(null, { status: 204 });
    };
    await hooks.test(appId, made.id);
    expect(signatures[0].split(' ')).toHaveLength(2);
    await hooks.remove(appId, made.id);
  });

  it('the sender reads the signing secrets once per rotation, not per attempt, and signs with a new secret at once', async () => {
    const hooks = webhooksOf();
    const made = await hooks.create(appId, { url: 'http://127.0.0.1:9/hook' });
    let secretReads = 0;
    const counting: WebhookStore = { ...store, secrets: (a, id) => ((secretReads += 1), store.secrets(a, id)) };
    const sender = createWebhookSender({ webhooks: counting, queue, urlMode: 'local', fetch: fetchFake, now: () => new Date(clock), random: () => 0, timeoutMs: 1000 });
    const requests: { headers: Record<string, string>; body: string }[] = [];
    script = async (_url, init) => {
      requests.push({ headers: init.headers as Record<string, string>, body: String(init.body) });
      return new Response(null, { status: 204 });
    };
    /** One ping through the sender, with the webhook as a delivery reads it (fresh from the table). */
    const ping = async () => {
      await sender.attempt((await store.get(appId, made.id))!, pingEvent(appId, made.id, new Date(clock), (n) => Buffer.alloc(n, requests.length)));
      return requests.at(-1)!;
    };
    /** Whether `secret` signed the request (Standard Webhooks: one `v1,…` per signing secret; the test clock is in the past, so no timestamp check). */
    const verifies = (secret: string, request: { headers: Record<string, string>; body: string }) => {
      const { 'webhook-id': id, 'webhook-timestamp': seconds, 'webhook-signature': signatures } = request.headers;
      return signatures.split(' ').includes(new SignatureCheck(secret).sign(id, new Date(Number(seconds) * 1000), request.body));
    };

    for (let i = 0; i < 3; i++) expect(verifies(made.secret, await ping())).toBe(true);
    expect(secretReads).toBe(1);

    const { secret } = await hooks.rotateSecret(appId, made.id);
    const afterRotation = await ping();
    expect(secretReads).toBe(2);
    expect(verifies(secret, afterRotation)).toBe(true);
    expect(verifies(made.secret, afterRotation)).toBe(true); // the old one signs beside it for 24 h
    expect(await hooks.get(appId, made.id)).not.toHaveProperty('secretsVersion');

    clock += SECRETS_CACHE_MS; // the cache's bound: read again even though nothing changed
    await ping();
    expect(secretReads).toBe(3);
    await hooks.remove(appId, made.id);
  });

  it('the admin reads the log newest first, paging back with before, filtered by type', async () => {
    const records = [userRecord(appId, 'recent', 1, 'Sales'), userRecord(appId, 'recent', 2, 'Marketing'), userRecord(appId, 'recent', 3, 'Legal')];
    await stage()(records);
    const oldestFirst = (await log.after(appId, undefined, 500))!.filter((e) => e.body.includes('recent@contoso.com'));
    const ids = oldestFirst.map((e) => e.eventId);
    expect(ids).toHaveLength(3);

    // Prepare: the newest two, then what lies before them.
    const first = await readRecentEvents(log, appId, { order: 'newest', limit: '2', types: 'user.updated' });
    const updates = oldestFirst.filter((e) => e.type === 'user.updated').map((e) => e.eventId).reverse();
    expect(first.data.map((e) => e.id)).toEqual(updates.slice(0, 2));
    const newestTwo = (await log.before(appId, undefined, 2))!.map((e) => e.eventId);
    expect(newestTwo.slice(0, 2)).toEqual([ids[2], ids[1]]);
    const older = await readRecentEvents(log, appId, { order: 'newest', before: ids[1], limit: '500' });
    expect(older.data.map((e) => e.id)).toContain(ids[0]);
    expect(older.data.map((e) => e.id)).not.toContain(ids[2]);
    expect(older.hasMore).toBe(false);
    expect(older.nextBefore).toBeNull();
    await expect(readRecentEvents(log, appId, { order: 'newest', before: 'evt_00000000000000000000000000000000' })).rejects.toMatchObject({ status: 400 });
  });

  it('with an event bus, a record whose put is refused fails, and its retry puts the same events again', async () => {
    const put: EventBusEntry[][] = [];
    let refuse = true;
    const bus = {
      put: async (batch: readonly EventBusEntry[]) => {
        if (refuse) throw new Error('EventBridge refused');
        put.push([...batch]);
      },
    };
    const tooLarge: string[] = [];
    const publishing = () =>
      createEventStage({ log, queue, webhooks: store, notes: createNoteReader(rt.dynamo, tables.tableName), now: () => clock, publish: eventBusPublisher(bus, 'directory', (e) => tooLarge.push(e.DetailType)) });
    const record = userRecord(appId, 'bus', 1, 'Sales');
    let done = -1;
    await expect(publishing()([record], (i) => (done = i))).rejects.toThrow('EventBridge refused');
    expect(done).toBe(-1); // the record is not done: the mapping retries it
    refuse = false;
    await publishing()([record]);
    const logged = (await log.after(appId, undefined, 500))!.filter((e) => e.body.includes('bus@contoso.com'));
    expect(logged).toHaveLength(1); // logged once, put on the bus by the retry
    expect(put.flat().map((e) => ({ source: e.Source, type: e.DetailType, bus: e.EventBusName, id: JSON.parse(e.Detail).id }))).toEqual([
      { source: 'scim-gateway', type: 'user.created', bus: 'directory', id: logged[0].eventId },
    ]);
    expect(tooLarge).toEqual([]);
  });

  it('the sender tells how long its oldest pending delivery has waited (the age alarm), 0 once none waits', async () => {
    const webhookId = await newWebhook();
    await stage()([userRecord(appId, 'aged', 1, 'Sales')]);
    script = async () => new Response(null, { status: 500 });
    const sender = newSender();
    expect(sender.oldestPendingAgeMs()).toBe(0);
    clock += 5_000;
    await pass(sender); // queued at the stage's clock, failed now: 5 s old
    expect(sender.oldestPendingAgeMs()).toBe(5_000);
    script = async () => new Response(null, { status: 204 });
    clock += 60_000;
    await pass(sender); // due again: delivered
    await pass(sender); // nothing pending any more
    expect(sender.oldestPendingAgeMs()).toBe(0);
    await webhooksOf().remove(appId, webhookId);
  });
});
