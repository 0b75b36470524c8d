import fc from 'fast-check';
import { deriveEvents } from '../../../lambdas/events/derive';
import { lifecycle, op } from './lifecycle';

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
