/**
 * Section 4: scale curves. `userName eq` lookups in applications of N/100, N/10 and N users, and
 * adding one member to groups of 10, M/100 and M members, through the real handlers on DynamoDB
 * Local. Each size is its own application or group, and samples are taken round-robin across the
 * sizes (rotating which goes first), so a busy moment of the machine hits every size alike.
 * Target: large/small ≤ 1.2.
 */
import { keys, UniqueKind } from '../../lambdas/store/keys';
import type { SectionContext } from '../lib/context';
import * as entra from '../lib/entra-bodies';
import { expectStatus, scimEvent, type BenchApp } from '../lib/events';
import { membershipItem, readTemplate, userItems, writeItems, type UserSeed } from '../lib/seed';
import { ratio, round, summarize } from '../lib/stats';
import type { TableSpec } from '../lib/table';

export const SCALE_TARGET_RATIO = 1.2;

export interface CurvePoint {
  size: number;
  medianMs: number;
  p99Ms: number;
  roundTrips: number;
}

export interface Curve {
  name: string;
  points: CurvePoint[];
  /** median(largest) / median(smallest). */
  ratio: number;
  targetMet: boolean;
}

export interface ScaleResults {
  samples: number;
  seededItems: number;
  seedSeconds: number;
  seedItemsPerSecond: number;
  userLookup: Curve;
  addMember: Curve;
}

/** Distinct sizes, smallest first: e.g. (100000, [100, 10]) → 1000, 10000, 100000. */
const sizesOf = (largest: number, fractions: number[], floor: number): number[] => {
  const smallest = Math.min(floor, largest);
  return [...new Set([...fractions.map((f) => Math.max(smallest, Math.round(largest / f))), largest])].sort((a, b) => a - b);
};

const rotated = (length: number, by: number): number[] => Array.from({ length }, (_v, i) => (i + by) % length);

export const runScale = async (ctx: SectionContext): Promise<{ results: ScaleResults; table: TableSpec }> => {
  const env = await ctx.environment();
  const { users, groups } = env.handlers;
  const tag = `sc${Date.now().toString(36)}`;
  const samples = ctx.sizes.scaleSamples;
  const warmUp = Math.min(10, samples);

  // Users curve: N/100, N/10, N (each its own application). Members curve: 10, M/100, M.
  const userSizes = sizesOf(ctx.sizes.users, [100, 10], 1);
  const memberSizes = [...new Set([Math.min(10, ctx.sizes.members), ...sizesOf(ctx.sizes.members, [100], 10)])];
  const apps: BenchApp[] = userSizes.map((size, i) => ({ id: `bench-scale-${tag}-${i}`, name: `Bench scale ${size}` }));
  const groupApp = apps[apps.length - 1];

  // Templates: one user, its sentinel and one membership, written by the real handlers.
  const first = await expectStatus(users, scimEvent(groupApp, 'POST', '/Users', entra.entraCreateUser(tag, 0)), [201]);
  const firstId = (first.body as { id: string }).id;
  const groupIds: string[] = [];
  for (const size of memberSizes) {
    const created = await expectStatus(groups, scimEvent(groupApp, 'POST', '/Groups', entra.entraCreateGroup(tag, size)), [201]);
    groupIds.push((created.body as { id: string }).id);
  }
  await expectStatus(groups, scimEvent(groupApp, 'PATCH', `/Groups/${groupIds[0]}`, entra.entraAddMembers([firstId])), [204]);
  const template = {
    user: await readTemplate(env.documentClient, env.tableName, keys.user(groupApp.id, firstId)),
    sentinel: await readTemplate(env.documentClient, env.tableName, keys.unique(groupApp.id, UniqueKind.userName, entra.userNameOf(tag, 0))),
  };
  const { pk, sk } = keys.membership(groupApp.id, groupIds[0], firstId);
  const membershipTemplate = await readTemplate(env.documentClient, env.tableName, { pk, sk });

  const seedOf = (app: number, n: number): UserSeed => ({
    id: `${tag}-${app}-${String(n).padStart(7, '0')}`,
    userName: entra.userNameOf(`${tag}a${app}`, n),
    email: entra.workEmailOf(`${tag}a${app}`, n),
  });
  // Users added to the groups while timing: seeded in the groups' application, in no group yet.
  const extraUsers = (warmUp + samples) * memberSizes.length;
  const extraSeed = (n: number): UserSeed => seedOf(99, n);

  const userItemsTotal = userSizes.reduce((a, b) => a + b, 0) + extraUsers;
  const memberItemsTotal = memberSizes.reduce((a, b) => a + b, 0);
  const seedBar = ctx.progress('seeding users and memberships', userItemsTotal * 2 + memberItemsTotal);
  const seedStarted = performance.now();
  for (const [i, size] of userSizes.entries()) {
    await writeItems(env.raw, env.tableName, size, (n) => userItems(apps[i].id, template, seedOf(i, n)), seedBar);
  }
  await writeItems(env.raw, env.tableName, extraUsers, (n) => userItems(groupApp.id, template, extraSeed(n)), seedBar);
  for (const [g, size] of memberSizes.entries()) {
    // Members are the largest application's users (ids beyond it stand for users never read here).
    await writeItems(env.raw, env.tableName, size, (n) => {
      const seed = seedOf(apps.length - 1, n);
      return [membershipItem(groupApp.id, membershipTemplate, groupIds[g], seed.id, seed.userName)];
    }, seedBar);
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  seedBar.done(`${Math.round((userItemsTotal * 2 + memberItemsTotal) / seedSeconds)} items/s`);

  const timeBar = ctx.progress('scale curves (timed requests)', (warmUp + samples) * (userSizes.length + memberSizes.length));
  const lookupMs: number[][] = userSizes.map(() => []);
  const lookupTrips: number[] = userSizes.map(() => 0);
  const addMs: number[][] = memberSizes.map(() => []);
  const addTrips: number[] = memberSizes.map(() => 0);
  let extra = 0;
  for (let s = 0; s < warmUp + samples; s++) {
    const timed = s >= warmUp;
    // Rotate which size goes first, so no size always follows the previous round's writes.
    for (const i of rotated(userSizes.length, s)) {
      const size = userSizes[i];
      // Spread over the application: the n-th sample reads a different user each time.
      const seed = seedOf(i, Math.floor(((s * 7919) % size + size) % size));
      const event = scimEvent(apps[i], 'GET', `/Users?${entra.userNameFilter(seed.userName)}`);
      // Every size measured alike: the store has seen the name once (its userName hint, store/owner-hints.ts,
      // as for every name after Entra's first cycle), else the small application, whose few users repeat, would read once and the others twice.
      await expectStatus(users, scimEvent(apps[i], 'GET', `/Users?${entra.userNameFilter(seed.userName)}`), [200]);
      const started = performance.now();
      const { result, metered } = await env.meter.measure(() => expectStatus(users, event, [200]));
      const ms = performance.now() - started;
      if ((result.body as { totalResults: number }).totalResults !== 1) throw new Error(`userName ${seed.userName} not found in the ${size}-user application`);
      if (timed) lookupMs[i].push(ms);
      lookupTrips[i] = metered.roundTrips;
      timeBar.tick();
    }
    for (const g of rotated(memberSizes.length, s)) {
      const event = scimEvent(groupApp, 'PATCH', `/Groups/${groupIds[g]}`, entra.entraAddMembers([extraSeed(extra++).id]));
      const started = performance.now();
      const { metered } = await env.meter.measure(() => expectStatus(groups, event, [204]));
      const ms = performance.now() - started;
      if (timed) addMs[g].push(ms);
      addTrips[g] = metered.roundTrips;
      timeBar.tick();
    }
  }
  timeBar.done();

  const curve = (name: string, sizes: number[], ms: number[][], trips: number[]): Curve => {
    const points = sizes.map((size, i) => {
      const summary = summarize(ms[i]);
      return { size, medianMs: round(summary.median, 2), p99Ms: round(summary.p99, 2), roundTrips: trips[i] };
    });
    const r = round(ratio(points[points.length - 1].medianMs, points[0].medianMs), 2);
    return { name, points, ratio: r, targetMet: r <= SCALE_TARGET_RATIO };
  };
  const seededItems = userItemsTotal * 2 + memberItemsTotal;
  const results: ScaleResults = {
    samples,
    seededItems,
    seedSeconds: round(seedSeconds, 1),
    seedItemsPerSecond: Math.round(seededItems / seedSeconds),
    userLookup: curve('GET /Users?filter=userName eq — users in the application', userSizes, lookupMs, lookupTrips),
    addMember: curve('PATCH /Groups/{id} add 1 member — members in the group', memberSizes, addMs, addTrips),
  };
  const rows = [results.userLookup, results.addMember].flatMap((c) =>
    c.points.map((p, i) => [i === 0 ? c.name : '', p.size, p.medianMs, p.p99Ms, p.roundTrips, i === c.points.length - 1 ? c.ratio : '', i === c.points.length - 1 ? (c.targetMet ? 'yes' : 'NO') : '']),
  );
  const table: TableSpec = {
    title: '4. Scale curves (real handlers in process, DynamoDB Local)',
    headers: ['curve', 'size', 'median ms', 'p99 ms', 'round trips', 'large/small', '≤1.2'],
    rows,
    notes: [
      `${samples} timed requests per size after ${warmUp} warm-up, taken round-robin across sizes (rotating which goes first); large/small compares medians.`,
      `seeded ${seededItems} items (users + userName sentinels + memberships, cloned from handler-written items) in ${results.seedSeconds} s = ${results.seedItemsPerSecond} items/s (BatchWriteItem, 8 in flight).`,
    ],
  };
  return { results, table };
};
