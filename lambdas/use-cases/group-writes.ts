/**
 * Writing groups: create, replace, patch and delete, the one code path of `POST/PUT/PATCH/DELETE
 * /Groups` and of every Bulk operation on Groups. Member changes never load the member list,
 * except "replace" and "remove all".
 */
import { randomUUID } from 'node:crypto';
import { assertIfMatch } from '../scim/etag';
import { applyPatch } from '../scim/patch';
import { parseGroupInput, type ScimData } from '../scim/resource';
import type { GroupStore, StoredGroup } from '../store/groups';
import { foldMemberChanges } from '../store/memberships';
import type { WriteContext } from './write-context';

/** A group after a create or replace, with the member ids the request set (for the representation). */
export interface WrittenGroup {
  readonly group: StoredGroup;
  readonly memberIds: string[];
}

export const createGroupWrites = (groups: GroupStore) => {
  /** POST /Groups: the new group and its members. */
  const create = async (context: WriteContext, body: unknown): Promise<WrittenGroup> => {
    const { app } = context;
    const { data, members } = parseGroupInput(body);
    const memberIds = members.map((m) => m.value);
    // Unknown members refuse the whole request before the group exists.
    const userNames = await groups.memberships.assertUsersExist(app.id, memberIds);
    const now = new Date().toISOString();
    const group: StoredGroup = { id: randomUUID(), data, version: 1, created: now, lastModified: now };
    await groups.create(app.id, group, context.stamp, userNames);
    return { group, memberIds };
  };

  /** PUT /Groups/{id}: the group after the write and its members. */
  const replace = async (context: WriteContext, id: string, body: unknown): Promise<WrittenGroup> => {
    const { app } = context;
    const { data, members } = parseGroupInput(body);
    const { after } = await groups.update(
      app.id,
      id,
      async (current) => {
        assertIfMatch(context.ifMatch, current.version);
        const delta = await foldMemberChanges([{ op: 'replace', members }], () => groups.memberIds(app.id, current.id));
        return { data, delta };
      },
      context.stamp,
    );
    return { group: after, memberIds: members.map((m) => m.value) };
  };

  /** PATCH /Groups/{id}: the group after the write. */
  const patch = async (context: WriteContext, id: string, body: unknown): Promise<StoredGroup> => {
    const { app } = context;
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
      context.stamp,
    );
    return after;
  };

  /** DELETE /Groups/{id}. */
  const remove = async (context: WriteContext, id: string): Promise<void> => {
    await groups.remove(context.app.id, id, context.stamp, (version) => assertIfMatch(context.ifMatch, version));
  };

  return { create, replace, patch, remove };
};
