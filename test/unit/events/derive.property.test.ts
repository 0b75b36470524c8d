import fc from 'fast-check';
import { deriveEvents } from '../../../lambdas/events/derive';
import type { DirectoryChange } from '../../../lambdas/events/change';
import type { GroupRef } from '../../../lambdas/profiles';
import { insert, modify, remove, stamp, userImage, type UserState } from './fixtures';

const GROUPS: GroupRef[] = ['Admins', 'Everyone', 'Sales', 'Support'].map((displayName, i) => ({ id: `g-${i}`, displayName }));

type Op =
  | { kind: 'department'; value: string }
  | { kind: 'active'; value: boolean }
  | { kind: 'groups'; ids: number[] }
  | { kind: 'stampOnly' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('department' as const), value: fc.constantFrom('Sales', 'Marketing', 'Alumni') }),
  fc.record({ kind: fc.constant('active' as const), value: fc.boolean() }),
  fc.record({ kind: fc.constant('groups' as const), ids: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('stampOnly' as const) }),
);

/**
 * A user's life as the store (with the wiring) writes it: SCIM writes grow `version`, membership
 * writes grow `membershipVersion` by the number of groups they add or remove.
 */
const lifecycle = (ops: Op[], deleted: boolean): { changes: DirectoryChange[]; visible: boolean[] } => {
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
  return { changes, visible };
};

describe('deriveEvents over a user’s life (fast-check)', () => {
  it('sequences strictly increase in stream order, ids are unique, and every visible change (only those) yields events', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), fc.boolean(), (ops, deleted) => {
        const { changes, visible } = lifecycle(ops, deleted);
        const perRecord = changes.map((change) => deriveEvents(change));
        perRecord.forEach((events, i) => expect(events.length > 0).toBe(visible[i]));
        const events = perRecord.flat();
        const sequences = events.map((e) => e.sequence);
        sequences.slice(1).forEach((s, i) => expect(s).toBeGreaterThan(sequences[i]));
        expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        expect(events.every((e) => e.subject.type === 'user' && e.subject.id === 'u-1')).toBe(true);
      }),
    );
  });

  it('replaying the records yields the same events', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10 }), (ops) => {
        const { changes } = lifecycle(ops, true);
        expect(changes.map((c) => deriveEvents(structuredClone(c)))).toEqual(changes.map((c) => deriveEvents(c)));
      }),
    );
  });

  it('never throws, whatever the images hold', () => {
    const image = fc.oneof(
      fc.dictionary(fc.string(), fc.jsonValue()),
      fc.record({ type: fc.constantFrom('User', 'Group', 'Membership'), appId: fc.jsonValue(), id: fc.jsonValue(), userName: fc.jsonValue(), displayName: fc.jsonValue(), version: fc.jsonValue(), active: fc.jsonValue(), membershipVersion: fc.jsonValue(), profile: fc.jsonValue(), lastRequest: fc.jsonValue(), lastModified: fc.jsonValue() }, { requiredKeys: ['type'] }),
    );
    fc.assert(
      fc.property(fc.constantFrom('INSERT' as const, 'MODIFY' as const, 'REMOVE' as const), fc.option(image, { nil: undefined }), fc.option(image, { nil: undefined }), (eventName, oldImage, newImage) => {
        const events = deriveEvents({ eventId: 'r', eventName, sequenceNumber: '1', oldImage: oldImage as Record<string, unknown>, newImage: newImage as Record<string, unknown> }, { deletionNote: () => ({ at: 'not a time' }) });
        for (const event of events) expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
      }),
      { numRuns: 500 },
    );
  });
});
