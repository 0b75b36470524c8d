/**
 * An application's profile settings on its application item: the attribute mapping (with a
 * version that grows on every save), the provisioning features, and the recompute job a mapping
 * change starts. Saving a mapping writes the new mapping and the job in one transaction, so a
 * mapping is never saved without the recompute that brings the stored profiles up to it.
 * Values are stored as given (the handlers validate them with the pure cores) and read back raw:
 * reading them is the cores' job (compileMapping, readFeatures are total).
 */
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../domain/items';
import { ScimError } from '../scim/errors';
import { noteApplicationWrite } from './auth-lookups';
import { Attr, keys } from './keys';

export interface StoredProfileSettings {
  /** The stored mapping; undefined: never saved (the default mapping applies). */
  mapping?: unknown;
  /** 0 until a mapping is saved. */
  mappingVersion: number;
  /** The stored features; undefined: never saved (all on). */
  features?: unknown;
}

export type RecomputeState = 'running' | 'done';

/** Progress of the background recompute after a mapping change (store item, read by the admin API). */
export interface RecomputeJob {
  appId: string;
  /** The mapping version the job brings profiles to. */
  mappingVersion: number;
  state: RecomputeState;
  /** 1, then 2 when writes with an older cached mapping may have happened during the first pass. */
  pass: number;
  /** Where the pass continues (the users list's last key); absent: from the start. */
  cursor?: Record<string, string>;
  /** Users read, profiles rewritten, and users whose profile could not be computed (kept as they were). */
  processed: number;
  updated: number;
  failed: number;
  /** A few of the failures: user id and the problem, for the admin. */
  failures: { id: string; detail: string }[];
  startedAt: string;
  passStartedAt: string;
  /** Before this time SCIM handlers may still hold the previous mapping in their cache. */
  settledAt: string;
  finishedAt?: string;
}

const notFound = (appId: string) => ScimError.notFound(`No application with id "${appId}".`);

export const createProfileSettingsStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const appExists = 'attribute_exists(#pk) AND #type = :app';
  const names = { '#pk': Attr.pk, '#type': Attr.type };

  return {
    /** Strongly consistent: a write right after a save uses the saved settings (handler caches aside). */
    async read(appId: string): Promise<StoredProfileSettings | undefined> {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.app(appId),
          ConsistentRead: true,
          ProjectionExpression: '#type, mapping, mappingVersion, features',
          ExpressionAttributeNames: { '#type': Attr.type },
        }),
      );
      if (!Item || Item.type !== ItemType.app) return undefined;
      return { mapping: Item.mapping, mappingVersion: typeof Item.mappingVersion === 'number' ? Item.mappingVersion : 0, features: Item.features };
    },

    /**
     * Saves the mapping as version `current + 1` (409 if another save got there first) and starts
     * its recompute job in the same transaction. `settledAt`: when every handler cache holds it.
     */
    async saveMapping(appId: string, mapping: unknown, current: number, now: Date, settledAt: Date): Promise<RecomputeJob> {
      const next = current + 1;
      const at = now.toISOString();
      const job: RecomputeJob = {
        appId,
        mappingVersion: next,
        state: 'running',
        pass: 1,
        processed: 0,
        updated: 0,
        failed: 0,
        failures: [],
        startedAt: at,
        passStartedAt: at,
        settledAt: settledAt.toISOString(),
      };
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.app(appId),
                  UpdateExpression: 'SET mapping = :mapping, mappingVersion = :next, lastModified = :now, version = version + :one',
                  ConditionExpression: `${appExists} AND ${current === 0 ? '(attribute_not_exists(mappingVersion) OR mappingVersion = :current)' : 'mappingVersion = :current'}`,
                  ExpressionAttributeNames: names,
                  ExpressionAttributeValues: { ':mapping': mapping, ':next': next, ':current': current, ':now': at, ':one': 1, ':app': ItemType.app },
                },
              },
              { Put: { TableName: tableName, Item: { ...keys.recomputeJob(appId), type: ItemType.recomputeJob, ...job } } },
            ],
          }),
        );
      } catch (error) {
        if ((error as Error)?.name !== 'TransactionCanceledException') throw error;
        if (!(await this.read(appId))) throw notFound(appId);
        throw ScimError.conflict('The mapping was changed by another request at the same time; read it again and retry.');
      } finally {
        noteApplicationWrite();
      }
      return job;
    },

    async saveFeatures(appId: string, features: unknown, now: Date): Promise<void> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.app(appId),
            UpdateExpression: 'SET features = :features, lastModified = :now, version = version + :one',
            ConditionExpression: appExists,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':features': features, ':now': now.toISOString(), ':one': 1, ':app': ItemType.app },
          }),
        );
      } catch (error) {
        if ((error as Error)?.name === 'ConditionalCheckFailedException') throw notFound(appId);
        throw error;
      } finally {
        noteApplicationWrite();
      }
    },

    async job(appId: string): Promise<RecomputeJob | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.recomputeJob(appId), ConsistentRead: true }));
      return Item?.type === ItemType.recomputeJob ? (Item as unknown as RecomputeJob) : undefined;
    },

    /**
     * Records a page's progress, conditioned on the job being where `from` left it (same mapping
     * version, pass and cursor): a retried or duplicate page, or a job a newer mapping replaced,
     * writes nothing. Returns whether it was written. The write is the next page's trigger.
     */
    async advance(from: RecomputeJob, next: RecomputeJob): Promise<boolean> {
      // An update, not a put: the stream function may update main-table items, not put them.
      const fields = ['processed', 'updated', 'failed', 'failures', 'pass', 'passStartedAt', 'state', 'finishedAt', 'cursor'] as const;
      const set = fields.filter((f) => next[f] !== undefined);
      const remove = fields.filter((f) => next[f] === undefined);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.recomputeJob(from.appId),
            UpdateExpression: `SET ${set.map((f) => `#${f} = :${f}`).join(', ')}${remove.length ? ` REMOVE ${remove.map((f) => `#${f}`).join(', ')}` : ''}`,
            ConditionExpression: 'mappingVersion = :mv AND #pass = :fromPass AND #processed = :fromProcessed AND #state = :running',
            ExpressionAttributeNames: Object.fromEntries(fields.map((f) => [`#${f}`, f])),
            ExpressionAttributeValues: {
              ...Object.fromEntries(set.map((f) => [`:${f}`, next[f]])),
              ':mv': from.mappingVersion,
              ':fromPass': from.pass,
              ':fromProcessed': from.processed,
              ':running': 'running',
            },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error)?.name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
  };
};

