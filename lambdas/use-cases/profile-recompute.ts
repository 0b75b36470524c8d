/**
 * Recomputing every profile of an application after its mapping changed, in the background:
 * the mapping save writes a job item (store/profile-settings.ts); the stream consumer, on each
 * record of that item, runs one page here and records its progress on the job, and that write is
 * the record that brings the next page. So the same code runs in AWS (the stream Lambda) and on
 * a laptop (the local gateway's stream poller), a crash resumes from the last recorded page
 * (records are retried), and the job item is the progress the admin API shows.
 *
 * SCIM handlers may keep the previous mapping cached for SCIM_AUTH_CACHE_SECONDS after the save,
 * and a user written with it then carries the old `profileMappingVersion`. The job therefore ends
 * only after a pass that started once every cache held the new mapping (`settledAt`): a first
 * pass that started earlier is followed by a second, which rewrites only users still behind.
 * Until the job is `done`, the admin API says profiles are being recomputed.
 */
import type { ProfileGroupRef, UserItem } from '../domain/items';
import { ScimError } from '../scim/errors';
import { profileSettingsOf, profileWriterOf } from '../shared/profile-settings';
import { inParallel } from '../store/profile-groups';
import { createProfileRecomputeStore } from '../store/profile-recompute';
import { createProfileSettingsStore, type RecomputeJob } from '../store/profile-settings';
import { membershipGroups, storedProfileGroups } from '../store/profile-writes';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Users per page (one stream record each); a page takes well under a second. */
export const RECOMPUTE_PAGE = 250;
/** Failures the job keeps for the admin to read (the count is exact). */
const KEPT_FAILURES = 10;
const CONCURRENCY = 16;
/** Rewrites of one user tried when it races with its own writes. */
const ATTEMPTS = 3;

type Outcome = 'skipped' | 'updated' | { failed: string };

export const createProfileRecompute = (client: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) => {
  const settingsStore = createProfileSettingsStore(client, tableName);
  const store = createProfileRecomputeStore(client, tableName);

  const recomputeUser = async (appId: string, first: UserItem, writer: ReturnType<typeof profileWriterOf>): Promise<Outcome> => {
    let item: UserItem | undefined = first;
    for (let attempt = 1; item && attempt <= ATTEMPTS; attempt++) {
      if (item.profileMappingVersion === writer.mappingVersion) return 'skipped';
      const groups: ProfileGroupRef[] = storedProfileGroups(item) ?? (await membershipGroups(client, tableName, appId, item.id));
      let profile: Record<string, unknown>;
      try {
        profile = writer.compute({ id: item.id, data: item.resource, version: item.version, lastModified: item.lastModified }, groups);
      } catch (error) {
        // The user keeps its profile; the job lists why (the user's next write is refused the same way).
        if (error instanceof ScimError) return { failed: error.detail };
        throw error;
      }
      if (await store.rewrite(appId, item, profile, writer.mappingVersion)) return 'updated';
      item = await store.user(appId, item.id);
    }
    return 'skipped';
  };

  return {
    /** One page of the application's job, if it is running; records the progress (the next page's trigger). */
    async runPage(appId: string): Promise<RecomputeJob | undefined> {
      const job = await settingsStore.job(appId);
      if (!job || job.state !== 'running') return job;
      const stored = await settingsStore.read(appId);
      // The application is gone, or a newer mapping replaced this job (its own job item is the next record).
      if (!stored || stored.mappingVersion !== job.mappingVersion) return job;
      const writer = profileWriterOf(profileSettingsOf(stored));
      const page = await store.usersPage(appId, job.cursor, RECOMPUTE_PAGE);
      const outcomes: Outcome[] = new Array(page.items.length);
      await inParallel([...page.items.keys()], CONCURRENCY, async (i) => {
        outcomes[i] = await recomputeUser(appId, page.items[i], writer);
      });
      const failures = outcomes.flatMap((o, i) => (typeof o === 'object' ? [{ id: page.items[i]?.id ?? '', detail: o.failed }] : []));
      const at = now();
      const next: RecomputeJob = {
        ...job,
        processed: job.processed + page.items.length,
        updated: job.updated + outcomes.filter((o) => o === 'updated').length,
        failed: job.failed + failures.length,
        failures: [...job.failures, ...failures].slice(0, KEPT_FAILURES),
      };
      delete next.cursor;
      if (page.lastKey) next.cursor = page.lastKey;
      // A new pass tries every user still behind again, those that failed too: its failures are counted
      // afresh, so the finished job counts each user that kept its previous profile once.
      else if (job.passStartedAt < job.settledAt) Object.assign(next, { pass: job.pass + 1, passStartedAt: at.toISOString(), failed: 0, failures: [] });
      else Object.assign(next, { state: 'done', finishedAt: at.toISOString() });
      await settingsStore.advance(job, next);
      return next;
    },
  };
};

export type ProfileRecompute = ReturnType<typeof createProfileRecompute>;
