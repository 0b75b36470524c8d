/**
 * Writing users: create, replace, patch and delete, the one code path of `POST/PUT/PATCH/DELETE
 * /Users` and of every Bulk operation on Users. Whatever a user write must do (required
 * attributes, uniqueness, If-Match, report stamps) happens here, so both routes do it alike.
 */
import { randomUUID } from 'node:crypto';
import { assertIfMatch } from '../scim/etag';
import { applyPatch } from '../scim/patch';
import { checkRequiredAttributes } from '../scim/required';
import { compileRequiredPolicy, type RequiredPath } from '../scim/required-policy';
import { parseUserInput, type ScimData } from '../scim/resource';
import type { AppContext } from '../shared/http';
import { logger } from '../shared/logger';
import type { StoredUser, UserStore } from '../store/users';
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

export const createUserWrites = (users: UserStore) => {
  /** POST /Users: the new user, as stored. */
  const create = async (context: WriteContext, body: unknown): Promise<StoredUser> => {
    const { app } = context;
    const data = validated(body, requiredPathsOf(app));
    const now = new Date().toISOString();
    const user: StoredUser = { id: randomUUID(), data, version: 1, created: now, lastModified: now };
    await users.create(app.id, user, context.stamp);
    return user;
  };

  /** PUT /Users/{id}: the user after the write. */
  const replace = async (context: WriteContext, id: string, body: unknown): Promise<StoredUser> => {
    const { app } = context;
    const required = requiredPathsOf(app);
    // Parsed before the read, so a malformed body costs no round trip; the policy needs the current user.
    const data = parseUserInput(body);
    const { after } = await users.update(
      app.id,
      id,
      (current) => {
        assertIfMatch(context.ifMatch, current.version);
        checkRequiredAttributes(data, required, current.data);
        return data;
      },
      context.stamp,
    );
    return after;
  };

  /** PATCH /Users/{id}: the user after the write. */
  const patch = async (context: WriteContext, id: string, body: unknown): Promise<StoredUser> => {
    const { app } = context;
    const required = requiredPathsOf(app);
    const { after } = await users.update(
      app.id,
      id,
      (current) => {
        assertIfMatch(context.ifMatch, current.version);
        return validated(applyPatch('User', current.data, body).data, required, current.data);
      },
      context.stamp,
    );
    return after;
  };

  /** DELETE /Users/{id}. */
  const remove = async (context: WriteContext, id: string): Promise<void> => {
    await users.remove(context.app.id, id, context.stamp, (version) => assertIfMatch(context.ifMatch, version));
  };

  return { create, replace, patch, remove };
};
