import fc from 'fast-check';
import { entrySize, eventBridgeBatches, eventBridgeEntry, MAX_ENTRIES_PER_PUT, MAX_PUT_BYTES, type EventBridgeEntry } from '../../../lambdas/events/eventbridge';
import { storyEvents } from './docs-story';

const entryOf = (detailBytes: number): EventBridgeEntry => ({ Source: 'scim-gateway', DetailType: 'user.updated', Detail: 'x'.repeat(detailBytes), EventBusName: 'bus', Time: new Date(0) });

describe('eventBridgeEntry', () => {
  it('carries the envelope as detail, the type as detail-type, scim-gateway as source, the change’s time', () => {
    const event = storyEvents()[3];
    const entry = eventBridgeEntry(event, 'directory-events');
    expect(entry).toEqual({ Source: 'scim-gateway', DetailType: 'user.deactivated', Detail: JSON.stringify(event), EventBusName: 'directory-events', Time: new Date(event.timestamp) });
    expect(JSON.parse(entry.Detail)).toEqual(event);
  });

  it('counts size as PutEvents does: 14 bytes of time, then source, detail-type and detail in UTF-8', () => {
    expect(entrySize({ ...entryOf(0), Detail: 'é' })).toBe(14 + 12 + 12 + 2);
  });
});

describe('eventBridgeBatches', () => {
  it('packs at most 10 entries a request', () => {
    const { batches } = eventBridgeBatches(Array.from({ length: 23 }, () => entryOf(10)));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
  });

  it('sets apart an entry no request can hold, and sends the others', () => {
    const big = entryOf(MAX_PUT_BYTES);
    const { batches, tooLarge } = eventBridgeBatches([entryOf(1), big, entryOf(2)]);
    expect(tooLarge).toEqual([big]);
    expect(batches).toEqual([[entryOf(1), entryOf(2)]]);
  });

  it('keeps every request within 10 entries and 256 KB, and every entry, in order (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 40 }), (sizes) => {
        const entries = sizes.map((n, i) => ({ ...entryOf(n), DetailType: `t${i}` }));
        const { batches, tooLarge } = eventBridgeBatches(entries);
        for (const batch of batches) {
          expect(batch.length).toBeGreaterThan(0);
          expect(batch.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_PUT);
          expect(batch.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(MAX_PUT_BYTES);
        }
        expect([...batches.flat(), ...tooLarge].map((e) => e.DetailType).sort()).toEqual(entries.map((e) => e.DetailType).sort());
        expect(batches.flat().map((e) => e.DetailType)).toEqual(entries.filter((e) => !tooLarge.includes(e)).map((e) => e.DetailType));
      }),
    );
  });
});
