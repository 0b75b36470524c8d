/**
 * Section 1: DynamoDB round trips and consumed capacity per SCIM operation, through the real
 * handlers in process on DynamoDB Local, printed beside the targets of issue 8.
 */
import type { SectionContext } from '../lib/context';
import * as entra from '../lib/entra-bodies';
import { expectStatus, scimEvent, type BenchApp, type LambdaHandler } from '../lib/events';
import type { BenchEnvironment } from '../lib/environment';
import type { Metered } from '../lib/meter';
import { keys } from '../../lambdas/store/keys';
import { MAIN_TABLE } from '../../lib/tables';
import { itemSize } from '../lib/item-size';
import { readTemplate } from '../lib/seed';
import { round, summarize } from '../lib/stats';
import type { TableSpec } from '../lib/table';

/** One operation's meter reading (its command records left out), beside its target. */
export interface OperationCost extends Omit<Metered, 'records'> {
  id: string;
  label: string;
  status: number;
  /** Wall time of the request in process (handler + DynamoDB Local). */
  ms: number;
  target: string;
  targetMet: boolean;
  note?: string;
}

export interface RoundTripResults {
  operations: OperationCost[];
  /** Median latency of one DynamoDB Local read command (GetItem/Query), as seen by the SDK, warm (ms). */
  readLatencyMs: number;
  /** Median latency of one TransactWriteItems (a user create), warm (ms). */
  writeLatencyMs: number;
  /** Approximate DynamoDB size of the stored user item written by POST /Users (bytes). */
  userItemBytes: number;
  /** What its profile and event stamp add, and the write units that adds to one write of the item, index copies included (target ≤ 1). */
  profile: { bytes: number; itemBytesWithout: number; writeUnitsAdded: number; transactionalWriteUnitsAdded: number; targetMet: boolean };
}

/**
 * The profile's share of a user item: the profile itself and the request stamp's fields directory
 * events read (operation, requested, applied, at), against the item without them (as before
 * profiles). DynamoDB bills each started KB of each copy written: the table's, and each index's
 * that copies the whole item (none since issue 18: lib/tables.ts projects keys and type), twice in
 * a transaction.
 */
const profileCost = (item: Record<string, unknown>): RoundTripResults['profile'] => {
  const without: Record<string, unknown> = { ...item };
  delete without.profile;
  delete without.profileMappingVersion;
  if (without.lastRequest && typeof without.lastRequest === 'object') {
    const stamp: Record<string, unknown> = { ...(without.lastRequest as Record<string, unknown>) };
    for (const field of ['operation', 'requested', 'applied', 'at']) delete stamp[field];
    without.lastRequest = stamp;
  }
  const withBytes = itemSize(item);
  const withoutBytes = itemSize(without);
  // The table's copy, and each index's that copies whole items and holds this one.
  const copies = 1 + MAIN_TABLE.globalSecondaryIndexes.filter((gsi) => gsi.projection.type === 'all' && item[gsi.partitionKey] !== undefined).length;
  const writeUnitsAdded = (Math.ceil(withBytes / 1024) - Math.ceil(withoutBytes / 1024)) * copies;
  return { bytes: withBytes - withoutBytes, itemBytesWithout: withoutBytes, writeUnitsAdded, transactionalWriteUnitsAdded: writeUnitsAdded + (Math.ceil(withBytes / 1024) - Math.ceil(withoutBytes / 1024)), targetMet: writeUnitsAdded <= 1 };
};

interface Target {
  text: string;
  met(m: Metered): boolean;
  note?: (m: Metered) => string | undefined;
}

const atMost = (n: number, what = 'round trips'): Target => ({ text: n === 1 ? '1' : `≤${n}`, met: (m) => m.roundTrips <= n, note: () => (what === 'round trips' ? undefined : what) });

/** Issue 8: k members cost ⌈k/100⌉ write round trips + at most one check per chunk. */
const memberTarget = (k: number, adding: boolean): Target => {
  const chunks = Math.ceil(k / 100);
  return {
    text: `${chunks} write${chunks > 1 ? 's' : ''} + ≤${chunks} check${chunks > 1 ? 's' : ''}`,
    met: (m) => m.writes <= chunks && m.reads <= chunks,
    note: (m) => {
      const design = adding
        ? `design: 2 transaction actions per added member (user counter bump + membership put) + 1 group guard → ⌈k/49⌉ = ${Math.ceil(k / 49)} writes`
        : `design: 2 transaction actions per removed member (membership delete + the group's key out of the user item's profile groups, unread; issue 15) + 1 group guard → ⌈k/49⌉ = ${Math.ceil(k / 49)} writes`;
      const reads = adding
        ? `reads: group GetItem (version) + ⌈k/100⌉ BatchGet of the members' items (existence, userName, profile groups) = ${1 + Math.ceil(k / 100)}`
        : 'reads: group GetItem (version) = 1; the members are not read';
      return m.writes <= chunks && m.reads <= chunks ? undefined : `${design}; ${reads}`;
    },
  };
};

const sample = (s: number) => Array.from({ length: s }, (_v, i) => i);

export const runRoundTrips = async (ctx: SectionContext): Promise<{ results: RoundTripResults; table: TableSpec }> => {
  const env: BenchEnvironment = await ctx.environment();
  const { users, groups } = env.handlers;
  const tag = `rt${Date.now().toString(36)}`;
  const app: BenchApp = { id: `bench-rt-${tag}`, name: 'Bench round trips' };
  const operations: OperationCost[] = [];
  const bar = ctx.progress('round trips per operation', 106 + 20);

  // Members to add and remove: created through the handler; their writes time a warm TransactWriteItems.
  const memberIds: string[] = [];
  const writeMs: number[] = [];
  for (const n of sample(106)) {
    const { result: created, metered } = await env.meter.measure(() => expectStatus(users, scimEvent(app, 'POST', '/Users', entra.entraCreateUser(`${tag}m`, n)), [201]));
    memberIds.push((created.body as { id: string }).id);
    if (n >= 6) writeMs.push(...metered.records.map((r) => r.ms));
    bar.tick();
  }
  const five = memberIds.slice(0, 5);
  const hundred = memberIds.slice(5, 105);

  const measure = async (
    id: string,
    label: string,
    handler: LambdaHandler,
    method: string,
    path: string,
    body: unknown,
    expected: number,
    target: Target | undefined,
  ) => {
    const event = scimEvent(app, method, path, body);
    const started = performance.now();
    const { result, metered } = await env.meter.measure(() => expectStatus(handler, event, [expected]));
    const ms = performance.now() - started;
    operations.push({
      id,
      label,
      status: result.status,
      roundTrips: metered.roundTrips,
      reads: metered.reads,
      writes: metered.writes,
      readUnits: round(metered.readUnits, 2),
      writeUnits: round(metered.writeUnits, 2),
      commands: metered.commands,
      ms: round(ms, 2),
      target: target?.text ?? '—',
      targetMet: target ? target.met(metered) : true,
      note: target?.note?.(metered),
    });
    bar.tick();
    return result;
  };

  const n = 1;
  const created = await measure('createUser', 'POST /Users (Entra body)', users, 'POST', '/Users', entra.entraCreateUser(tag, n), 201, atMost(1));
  const userId = (created.body as { id: string }).id;
  await measure('getUser', 'GET /Users/{id}', users, 'GET', `/Users/${userId}`, undefined, 200, atMost(1));
  await measure('filterUserName', 'GET /Users?filter=userName eq', users, 'GET', `/Users?${entra.userNameFilter(entra.userNameOf(tag, n))}`, undefined, 200, atMost(2));
  await measure('filterExternalId', 'GET /Users?filter=externalId eq', users, 'GET', `/Users?${entra.externalIdFilter(entra.externalIdOf(tag, n))}`, undefined, 200, atMost(2));
  await measure('filterWorkEmail', 'GET /Users?filter=emails[type eq "work"].value eq', users, 'GET', `/Users?${entra.workEmailFilter(entra.workEmailOf(tag, n))}`, undefined, 200, atMost(2));
  await measure('patchDefaultNoKeys', 'PATCH /Users/{id} (default dialect, 6 ops, no key change)', users, 'PATCH', `/Users/${userId}`, entra.entraPatchDefaultNoKeyChange(tag, n, 1), 200, atMost(2));
  await measure('patchFlagNoKeys', 'PATCH /Users/{id} (flag dialect, no key change)', users, 'PATCH', `/Users/${userId}`, entra.entraPatchFlagNoKeyChange(tag, n, 1), 200, atMost(2));
  await measure('replaceUser', 'PUT /Users/{id} (no key change)', users, 'PUT', `/Users/${userId}`, entra.replaceUser(tag, n), 200, atMost(2));
  await measure('patchDefault', 'PATCH /Users/{id} (Entra default dialect, 6 ops: new externalId and work e-mail)', users, 'PATCH', `/Users/${userId}`, entra.entraPatchDefaultDialect(tag, n, 1), 200, atMost(2));
  await measure('patchFlag', 'PATCH /Users/{id} (flag dialect, pathless: new work e-mail)', users, 'PATCH', `/Users/${userId}`, entra.entraPatchFlagDialect(tag, n, 1), 200, atMost(2));
  await measure('disableUser', 'PATCH /Users/{id} active "False"', users, 'PATCH', `/Users/${userId}`, entra.entraDisableUser(), 200, atMost(2));

  // The groups handler's first write reads the application's provisioning features, which it then
  // keeps (shared/profile-settings.ts), as the users handler did during the member creates above:
  // one unmeasured create, so the figures are the steady state every write after a container's first sees.
  await expectStatus(groups, scimEvent(app, 'POST', '/Groups', entra.entraCreateGroup(tag, 0)), [201]);
  const group = await measure('createGroup', 'POST /Groups (no members)', groups, 'POST', '/Groups', entra.entraCreateGroup(tag, 1), 201, atMost(1));
  const groupId = (group.body as { id: string }).id;
  await measure('addMember1', 'PATCH /Groups/{id} add 1 member', groups, 'PATCH', `/Groups/${groupId}`, entra.entraAddMembers([userId]), 204, memberTarget(1, true));
  await measure('addMember5', 'PATCH /Groups/{id} add 5 members', groups, 'PATCH', `/Groups/${groupId}`, entra.entraAddMembers(five), 204, memberTarget(5, true));
  await measure('addMember100', 'PATCH /Groups/{id} add 100 members', groups, 'PATCH', `/Groups/${groupId}`, entra.entraAddMembers(hundred), 204, memberTarget(100, true));
  await measure('removeMember1', 'PATCH /Groups/{id} remove 1 (flag dialect)', groups, 'PATCH', `/Groups/${groupId}`, entra.entraRemoveMemberFlag(five[0]), 204, memberTarget(1, false));
  await measure('removeMember100', 'PATCH /Groups/{id} remove 100 (default dialect)', groups, 'PATCH', `/Groups/${groupId}`, entra.entraRemoveMembersDefault(hundred), 204, memberTarget(100, false));
  await measure('getGroupNoMembers', 'GET /Groups/{id}?excludedAttributes=members', groups, 'GET', `/Groups/${groupId}?excludedAttributes=members`, undefined, 200, atMost(1));
  await measure('filterGroupName', 'GET /Groups?excludedAttributes=members&filter=displayName eq', groups, 'GET', `/Groups?excludedAttributes=members&${entra.displayNameFilter(entra.groupNameOf(tag, 1))}`, undefined, 200, atMost(2));
  await measure('listPage', 'GET /Users?startIndex=1&count=100 (107 users)', users, 'GET', '/Users?startIndex=1&count=100', undefined, 200, undefined);
  await measure('deleteUser', 'DELETE /Users/{id} (member of 1 group)', users, 'DELETE', `/Users/${userId}`, undefined, 204, atMost(2));
  await measure('deleteGroup', 'DELETE /Groups/{id}', groups, 'DELETE', `/Groups/${groupId}`, undefined, 204, undefined);
  // Warm reads: lookups of the members, timed per command.
  const readMs: number[] = [];
  for (const id of memberIds.slice(0, 50)) {
    const { metered } = await env.meter.measure(() => expectStatus(users, scimEvent(app, 'GET', `/Users/${id}`), [200]));
    readMs.push(...metered.records.map((r) => r.ms));
  }
  const userItem = await readTemplate(env.documentClient, env.tableName, keys.user(app.id, memberIds[0]));
  bar.done();

  const results: RoundTripResults = {
    operations,
    readLatencyMs: round(summarize(readMs).median, 2),
    writeLatencyMs: round(summarize(writeMs).median, 2),
    userItemBytes: itemSize(userItem),
    profile: profileCost(userItem),
  };
  const table: TableSpec = {
    title: '1. DynamoDB round trips and consumed capacity per SCIM operation (real handlers, DynamoDB Local)',
    headers: ['operation', 'round trips', 'reads', 'writes', 'RRU', 'WRU', 'commands', 'target', 'met'],
    rows: operations.map((o) => [o.label, o.roundTrips, o.reads, o.writes, o.readUnits, o.writeUnits, o.commands, o.target, o.target === '—' ? '—' : o.targetMet ? 'yes' : 'NO']),
    notes: [
      ...operations.filter((o) => o.note).map((o) => `${o.id}: ${o.note}`),
      'RRU/WRU: ConsumedCapacity (TOTAL) as DynamoDB Local reports it, summed over the request (transactional writes count 2 units per KB per item, index writes included).',
      `a stored user item (Entra default attributes) is ≈ ${results.userItemBytes} bytes, so each transactional write of it costs ${2 * Math.ceil(results.userItemBytes / 1024)} WRU.`,
      `its profile and event stamp take ≈ ${results.profile.bytes} bytes (the item is ≈ ${results.profile.itemBytesWithout} bytes without them): ≈ +${results.profile.writeUnitsAdded} WRU per plain write (PATCH/PUT without key changes), +${results.profile.transactionalWriteUnitsAdded} per transactional one (create, rename), counting the table's copy (twice in a transaction) and each index's that copies whole users (none: the indexes hold keys and type). Target ≤ 1 WRU per write: ${results.profile.targetMet ? 'met' : 'NOT met (the item crosses 1 KB)'}.`,
      `warm DynamoDB Local latency per command (median): reads ${results.readLatencyMs} ms, TransactWriteItems ${results.writeLatencyMs} ms.`,
    ],
  };
  return { results, table };
};
