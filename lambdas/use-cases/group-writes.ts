/**
 * Writing groups: create, replace, patch and delete, the one code path of `POST/PUT/PATCH/DELETE
 * /Groups` and of every Bulk operation on Groups. Member changes never load the member list,
 * except "replace" and "remove all".
 */
import { randomUUID } from 'node:crypto';
import { assertIfMatch } from '../scim/etag';
import { applyPatch } from '../scim/patch';
import { parseGroupInput, type ScimData } from '../scim/resource';
import { decideWrite, refusalError } from '../provisioning-features';
import type { RequestStamp } from '../domain/items';
import type { ProfileSettings } from '../shared/profile-settings';
import type { WriteOperation } from '../shared/write-stamps';
import type { GroupStore, StoredGroup } from '../store/groups';
import { foldMemberChanges } from '../store/memberships';
import type { WriteContext } from './write-context';

/** A group after a create or replace, with the member ids the request set (for the representation). */
export interface WrittenGroup {
  readonly group: StoredGroup;
  readonly memberIds: string[];
}

/** `settingsOf`: the application's provisioning features (cached per container, shared/profile-settings.ts). */
export const createGroupWrites = (groups: GroupStore, settingsOf: (appId: string) => Promise<ProfileSettings>) => {
  /** The `groups` feature: a write is refused (403 naming the switch) when it is off; reads never ask. */
  const allowedWrite = async (context: WriteContext, operation: WriteOperation): Promise<RequestStamp> => {
    const decision = decideWrite((await settingsOf(context.app.id)).features, { operation: 'writeGroup' });
    if (decision.outcome === 'refused') throw refusalError(decision);
    return context.stamp(operation, decision);
  };

  /** POST /Groups: the new group and its members. */
  const create = async (context: WriteContext, body: unknown): Promise<WrittenGroup> => {
    const { app } = context;
    const { data, members } = parseGroupInput(body);
    const stamp = await allowedWrite(context, 'createGroup');
    const memberIds = members.map((m) => m.value);
    // Unknown members refuse the whole request before the group exists.
    const userNames = await groups.memberships.assertUsersExist(app.id, memberIds);
    const now = new Date().toISOString();
    const group: StoredGroup = { id: randomUUID(), data, version: 1, created: now, lastModified: now };
    await groups.create(app.id, group, stamp, userNames);
    return { group, memberIds };
  };

  /** PUT /Groups/{id}: the group after the write and its members. */
  const replace = async (context: WriteContext, id: string, body: unknown): Promise<WrittenGroup> => {
    const { app } = context;
    const { data, members } = parseGroupInput(body);
    const stamp = await allowedWrite(context, 'updateGroup');
    const { after } = await groups.update(
      app.id,
      id,
      async (current) => {
        assertIfMatch(context.ifMatch, current.version);
        const delta = await foldMemberChanges([{ op: 'replace', members }], () => groups.memberIds(app.id, current.id));
        return { data, delta };
      },
      stamp,
    );
    return { group: after, memberIds: members.map((m) => m.value) };
  };

  /** PATCH /Groups/{id}: the group after the write. */
  const patch = async (context: WriteContext, id: string, body: unknown): Promise<StoredGroup> => {
    const { app } = context;
    const stamp = await allowedWrite(context, 'updateGroup');
    const { after } = await groups.update(
      app.id,
      id,
      async (current) => {
        assertIfMatch(context.ifMatch, current.version);
        const patched = applyPatch('Group', current.data, body);
        const data: ScimData = parseGroupInput(patched.data).data;
        const delta = await foldMemberChanges(patched.memberChanges, () => groups.memberIds(app.id, current.id));
        // Plain member adds and removes commute: only If-Match or a delta read from the current
        // members (replace, remove all) needs the version it saw (store/groups.ts).
        const pinVersion = (context.ifMatch ?? '').trim() !== '' || patched.memberChanges.some((c) => c.op === 'replace' || c.op === 'removeAll');
        return { data, delta, pinVersion };
      },
      stamp,
    );
    return after;
  };

  /** DELETE /Groups/{id}. */
  const remove = async (context: WriteContext, id: string): Promise<void> => {
    const stamp = await allowedWrite(context, 'deleteGroup');
    await groups.remove(context.app.id, id, stamp, (version) => assertIfMatch(context.ifMatch, version));
  };

  return { create, replace, patch, remove };
};
