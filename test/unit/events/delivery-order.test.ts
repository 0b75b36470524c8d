import fc from 'fast-check';
import { deduplicationId, nextDueAt, orderingKey, sendableNow, type PendingDelivery } from '../../../lambdas/events/delivery-order';

const NOW = 1_000_000;
const pending = (eventId: string, subject: string, position: number, extra: Partial<PendingDelivery> = {}): PendingDelivery => ({
  eventId,
  subject,
  position,
  dueAt: NOW,
  inFlight: false,
  ...extra,
});
const ids = (deliveries: PendingDelivery[]) => deliveries.map((d) => d.eventId);

describe('sendableNow', () => {
  it('sends the first event of each subject, in parallel across subjects', () => {
    const queue = [pending('a1', 'alice', 1), pending('b1', 'bob', 2), pending('a2', 'alice', 3), pending('b2', 'bob', 4)];
    expect(ids(sendableNow(queue, NOW))).toEqual(['a1', 'b1']);
  });

  it('holds a subject’s later event while its earlier one is being attempted', () => {
    const queue = [pending('a1', 'alice', 1, { inFlight: true }), pending('a2', 'alice', 2), pending('b1', 'bob', 3)];
    expect(ids(sendableNow(queue, NOW))).toEqual(['b1']);
  });

  it('holds a subject’s later event while its earlier one waits to be retried, without holding other subjects', () => {
    const queue = [pending('a1', 'alice', 1, { dueAt: NOW + 60_000 }), pending('a2', 'alice', 2), pending('b1', 'bob', 3)];
    expect(ids(sendableNow(queue, NOW))).toEqual(['b1']);
    expect(nextDueAt(queue)).toBe(NOW);
    expect(nextDueAt(queue.filter((d) => d.subject === 'alice'))).toBe(NOW + 60_000);
  });

  it('sends the next event once the earlier one is acknowledged or dead-lettered (no longer pending)', () => {
    const queue = [pending('a2', 'alice', 2), pending('a3', 'alice', 3)];
    expect(ids(sendableNow(queue, NOW))).toEqual(['a2']);
  });

  it('follows queue position, not list order', () => {
    expect(ids(sendableNow([pending('a2', 'alice', 7), pending('a1', 'alice', 3)], NOW))).toEqual(['a1']);
  });

  it('sends the earliest due first, within the endpoint’s free attempts', () => {
    const queue = [pending('c', 'carol', 3, { dueAt: NOW - 10 }), pending('a', 'alice', 1), pending('b', 'bob', 2, { dueAt: NOW - 20 }), pending('d', 'dave', 4, { inFlight: true })];
    expect(ids(sendableNow(queue, NOW, 3))).toEqual(['b', 'c']);
    expect(sendableNow(queue, NOW, 1)).toEqual([]);
  });

  it('nothing pending: nothing to send, nothing to wait for', () => {
    expect(sendableNow([], NOW)).toEqual([]);
    expect(nextDueAt([])).toBeUndefined();
  });

  it('never sends two events of one subject at once, nor one before an earlier one of its subject (fast-check)', () => {
    const delivery = fc.record({
      subject: fc.constantFrom('alice', 'bob', 'carol'),
      dueAt: fc.integer({ min: NOW - 5, max: NOW + 5 }),
      inFlight: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(delivery, { maxLength: 30 }), fc.integer({ min: 1, max: 5 }), (drafts, maxInFlight) => {
        const queue = drafts.map((d, i) => ({ ...d, eventId: `e${i}`, position: i }));
        const chosen = sendableNow(queue, NOW, maxInFlight);
        const inFlight = queue.filter((d) => d.inFlight).length;
        expect(chosen.length).toBeLessThanOrEqual(Math.max(0, maxInFlight - inFlight));
        for (const d of chosen) {
          expect(d.dueAt).toBeLessThanOrEqual(NOW);
          expect(queue.some((other) => other.subject === d.subject && (other.inFlight || other.position < d.position))).toBe(false);
        }
        expect(new Set(chosen.map((d) => d.subject)).size).toBe(chosen.length);
      }),
    );
  });
});

describe('orderingKey and deduplicationId', () => {
  const event = { appId: 'app-1', subject: { type: 'user', id: 'u-1' } };

  it('names endpoint, application and subject', () => {
    expect(orderingKey('wh-1', event)).toBe('wh-1:app-1:user:u-1');
    expect(deduplicationId('wh-1', 'evt_1')).toBe('wh-1:evt_1');
  });

  it('a replay gets its own deduplication id, so SQS does not drop it', () => {
    expect(deduplicationId('wh-1', 'evt_1', 'rpl_9')).not.toBe(deduplicationId('wh-1', 'evt_1'));
  });

  it('is always an id SQS accepts, and equal subjects give equal keys (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string({ maxLength: 300 }), (webhookId, appId, id) => {
        const key = orderingKey(webhookId, { appId, subject: { type: 'user', id } });
        expect(key).toMatch(/^[\x21-\x7e]{1,128}$/);
        expect(orderingKey(webhookId, { appId, subject: { type: 'user', id } })).toBe(key);
        expect(deduplicationId(webhookId, id)).toMatch(/^[\x21-\x7e]{1,128}$/);
      }),
    );
  });

  it('different subjects with long ids keep different keys', () => {
    const long = 'x'.repeat(200);
    expect(orderingKey('wh', { appId: 'a', subject: { type: 'user', id: `${long}1` } })).not.toBe(orderingKey('wh', { appId: 'a', subject: { type: 'user', id: `${long}2` } }));
  });
});
