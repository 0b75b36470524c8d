/**
 * Writing users: create, replace, patch and delete, the one code path of `POST/PUT/PATCH/DELETE
 * /Users` and of every Bulk operation on Users. Whatever a user write must do (required
 * attributes, provisioning features, the profile in the same write, uniqueness, If-Match, report
 * stamps) happens here, so both routes do it alike.
 */
import { randomUUID } from 'node:crypto';
import { assertIfMatch } from '../scim/etag';
import { applyPatch } from '../scim/patch';
import { checkRequiredAttributes } from '../scim/required';
import { compileRequiredPolicy, type RequiredPath } from '../scim/required-policy';
import { parseUserInput, type ScimData } from '../scim/resource';
import { decideWrite, refusalError, type FeatureDecision, type ProvisioningFeatures } from '../provisioning-features';
import type { AppContext } from '../shared/http';
import { logger } from '../shared/logger';
import { profileWriterOf, type ProfileSettings } from '../shared/profile-settings';
import type { RecordUnapplied } from '../store/unapplied-requests';
import { userNameOf, type StoredUser, type UserStore } from '../store/users';
import type { WriteContext } from './write-context';

/** Policy entries already warned about in this container (bounded: ids and entries come from storage). */
const warned = new Set<string>();

/**
 * The application's required paths. A stored entry this version cannot use (saved by an older
 * version, or edited by hand) is skipped with a warning: a setting must never turn into a 500.
 */
const requiredPathsOf = (app: AppContext): readonly RequiredPath[] => {
  const { paths, ignored } = compileRequiredPolicy(app.requiredAttributes);
  for (const { entry, problem } of ignored) {
    const key = `${app.id} ${entry}`;
    if (warned.has(key)) continue;
    if (warned.size < 1000) warned.add(key);
    logger.warn('required-attribute policy entry ignored', { appId: app.id, entry, problem });
  }
  return paths;
};

/** A create's or update's resulting user; `before` (updates) relaxes the policy to "no less compliant". */
const validated = (data: unknown, required: readonly RequiredPath[], before?: ScimData): ScimData => {
  const parsed = parseUserInput(data);
  checkRequiredAttributes(parsed, required, before);
  return parsed;
};

/** The features' decision on a user write: a refusal is thrown (403 naming the switch), anything else returned. */
const decided = (features: ProvisioningFeatures, write: Parameters<typeof decideWrite>[1]): FeatureDecision => {
  const decision = decideWrite(features, write);
  if (decision.outcome === 'refused') throw refusalError(decision);
  return decision;
};

/** What a converted decision writes instead (e.g. `active: false` for a delete), else `data`. */
const writtenData = (decision: FeatureDecision, data: ScimData): ScimData => (decision.outcome === 'converted' && decision.write ? decision.write : data);

/**
 * `settingsOf`: the application's mapping and provisioning features (cached per container,
 * shared/profile-settings.ts). `recordUnapplied`: leaves the report row of a request the features
 * answered without a write (store/unapplied-requests.ts).
 */
export const createUserWrites = (users: UserStore, settingsOf: (appId: string) => Promise<ProfileSettings>, recordUnapplied: RecordUnapplied) => {
  /**
   * A request answered 204 that wrote nothing still has its report row ("delete requested, nothing
   * applied"). Recording never throws: the client's answer must not depend on the report.
   */
  const reportUnapplied = async (context: WriteContext, user: StoredUser, decision: FeatureDecision): Promise<void> => {
    const stamp = context.stamp('deleteUser', decision);
    const detail = decision.outcome === 'converted' ? decision.note : 'Nothing was changed.';
    try {
      await recordUnapplied(context.app.id, {
        resourceType: 'User',
        resourceId: user.id,
        userName: userNameOf(user.data),
        externalId: typeof user.data.externalId === 'string' ? user.data.externalId : undefined,
        action: 'delete',
        detail,
        stamp,
      });
    } catch (error) {
      logger.error('could not record an unapplied request', { error: error as Error, requestId: stamp.requestId });
    }
  };

  /** POST /Users: the new user, as stored. */
  const create = async (context: WriteContext, body: unknown): Promise<StoredUser> => {
    const { app } = context;
    const data = validated(body, requiredPathsOf(app));
    const settings = await settingsOf(app.id);
    const decision = decided(settings.features, { operation: 'createUser' });
    const at = new Date();
    const now = at.toISOString();
    const user: StoredUser = { id: randomUUID(), data, version: 1, created: now, lastModified: now };
    await users.create(app.id, user, context.stamp('createUser', decision, at), profileWriterOf(settings));
    return user;
  };

  /** PUT /Users/{id}: the user after the write. */
  const replace = async (context: WriteContext, id: string, body: unknown): Promise<StoredUser> => {
    const { app } = context;
    const required = requiredPathsOf(app);
    // Parsed before the read, so a malformed body costs no round trip; the policy needs the current user.
    const data = parseUserInput(body);
    const settings = await settingsOf(app.id);
    let decision: FeatureDecision | undefined;
    const { after } = await users.update(
      app.id,
      id,
      (current) => {
        assertIfMatch(context.ifMatch, current.version);
        checkRequiredAttributes(data, required, current.data);
        decision = decided(settings.features, { operation: 'updateUser', before: current.data, after: data });
        return writtenData(decision, data);
      },
      () => context.stamp('updateUser', decision!),
      { profile: profileWriterOf(settings) },
    );
    return after;
  };

  /** PATCH /Users/{id}: the user after the write. */
  const patch = async (context: WriteContext, id: string, body: unknown): Promise<StoredUser> => {
    const { app } = context;
    const required = requiredPathsOf(app);
    const settings = await settingsOf(app.id);
    let decision: FeatureDecision | undefined;
    const { after } = await users.update(
      app.id,
      id,
      (current) => {
        assertIfMatch(context.ifMatch, current.version);
        const data = validated(applyPatch('User', current.data, body).data, required, current.data);
        decision = decided(settings.features, { operation: 'updateUser', before: current.data, after: data });
        return writtenData(decision, data);
      },
      () => context.stamp('updateUser', decision!),
      { profile: profileWriterOf(settings) },
    );
    return after;
  };

  /**
   * DELETE /Users/{id} as the `delete` feature says: remove the user; or keep it with `active: false`
   * (`"deactivate"`: the profile follows, in the same write); or change nothing (`"ignore"`).
   * All three answer 204, so Entra forgets the user either way.
   */
  const remove = async (context: WriteContext, id: string): Promise<void> => {
    const { app } = context;
    const settings = await settingsOf(app.id);
    if (settings.features.delete === 'delete') {
      const stamp = context.stamp('deleteUser', { requested: ['delete'], applied: ['delete'] });
      await users.remove(app.id, id, stamp, (version) => assertIfMatch(context.ifMatch, version));
      return;
    }
    let decision: FeatureDecision | undefined;
    const { before, changed } = await users.update(
      app.id,
      id,
      (current) => {
        assertIfMatch(context.ifMatch, current.version);
        decision = decided(settings.features, { operation: 'deleteUser', before: current.data });
        return writtenData(decision, current.data);
      },
      () => context.stamp('deleteUser', decision!),
      { profile: profileWriterOf(settings) },
    );
    // `"ignore"`, or `"deactivate"` on a user already inactive: nothing to write, but a row to report.
    if (!changed && decision) await reportUnapplied(context, before, decision);
  };

  return { create, replace, patch, remove };
};
