/** A user's life as random operations, and the stream records the store (with the wiring) writes for it. */
import fc from 'fast-check';
import type { DirectoryChange } from '../../../lambdas/events/change';
import type { GroupRef } from '../../../lambdas/profiles';
import { insert, modify, remove, stamp, userImage, type UserImageFixture, type UserState } from './fixtures';

export const GROUPS: GroupRef[] = ['Admins', 'Everyone', 'Sales', 'Support'].map((displayName, i) => ({ id: `g-${i}`, displayName }));

export type Op =
  | { kind: 'department'; value: string }
  | { kind: 'active'; value: boolean }
  | { kind: 'groups'; ids: number[] }
  | { kind: 'stampOnly' };

export const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('department' as const), value: fc.constantFrom('Sales', 'Marketing', 'Alumni') }),
  fc.record({ kind: fc.constant('active' as const), value: fc.boolean() }),
  fc.record({ kind: fc.constant('groups' as const), ids: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('stampOnly' as const) }),
);

/**
 * A user's life as the store (with the wiring) writes it: SCIM writes grow `version`, membership
 * writes grow `membershipVersion` by the number of groups they add or remove.
 */
export const lifecycle = (ops: Op[], deleted: boolean): { changes: DirectoryChange[]; visible: boolean[]; last: UserImageFixture } => {
  let state: UserState = { version: 1, membershipVersion: 0, active: true, attributes: { department: 'Sales' }, groups: [] };
  const changes: DirectoryChange[] = [insert(userImage(state))];
  const visible = [true];
  ops.forEach((o, n) => {
    const before = userImage(state);
    let next: UserState = { ...state, lastRequest: stamp(`req-${n}`) };
    let changed = false;
    if (o.kind === 'department') {
      changed = state.attributes?.department !== o.value;
      next = { ...next, version: state.version! + 1, attributes: { department: o.value } };
    } else if (o.kind === 'active') {
      changed = state.active !== o.value;
      next = { ...next, version: state.version! + 1, active: o.value };
    } else if (o.kind === 'groups') {
      const wanted = o.ids.map((i) => GROUPS[i]);
      const had = new Set(state.groups!.map((g) => g.id));
      const differ = wanted.filter((g) => !had.has(g.id)).length + state.groups!.filter((g) => !wanted.some((w) => w.id === g.id)).length;
      changed = differ > 0;
      next = { ...next, membershipVersion: state.membershipVersion! + differ, groups: wanted };
    }
    state = next;
    changes.push(modify(before, userImage(state)));
    visible.push(changed);
  });
  if (deleted) {
    changes.push(remove(userImage(state)));
    visible.push(true);
  }
  return { changes, visible, last: userImage(state) };
};

