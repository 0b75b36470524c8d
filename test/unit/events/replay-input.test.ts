import fc from 'fast-check';
import { DEFAULT_EVENT_RETENTION_DAYS, parseReplayRequest, replayError } from '../../../lambdas/events/replay-input';

const NOW = new Date('2024-05-31T12:00:00.000Z');

describe('parseReplayRequest', () => {
  it('takes a span, in UTC with milliseconds', () => {
    expect(parseReplayRequest({ from: '2024-05-31T09:00:00+02:00', to: '2024-05-31T10:00:00Z' }, NOW)).toEqual({
      ok: true,
      value: { from: '2024-05-31T07:00:00.000Z', to: '2024-05-31T10:00:00.000Z' },
    });
  });

  it('takes types (each once) and a webhook', () => {
    expect(parseReplayRequest({ from: '2024-05-30T00:00:00Z', to: '2024-05-31T00:00:00Z', types: ['user.*', 'user.*', 'group.deleted'], webhookId: 'wh-1' }, NOW)).toEqual({
      ok: true,
      value: { from: '2024-05-30T00:00:00.000Z', to: '2024-05-31T00:00:00.000Z', types: ['user.*', 'group.deleted'], webhookId: 'wh-1' },
    });
  });

  it('a span that runs into the future ends now', () => {
    expect(parseReplayRequest({ from: '2024-05-31T11:00:00Z', to: '2024-06-30T00:00:00Z' }, NOW)).toMatchObject({ ok: true, value: { to: NOW.toISOString() } });
  });

  it.each<[string, unknown, { at: string; problem: string }]>([
    ['no span', {}, { at: 'from', problem: '"from" must be an ISO 8601 date-time such as "2024-05-31T07:00:00Z"' }],
    ['a date without a time', { from: '2024-05-30', to: '2024-05-31T00:00:00Z' }, { at: 'from', problem: '"2024-05-30" is not an ISO 8601 date-time with a zone, such as "2024-05-31T07:00:00Z"' }],
    ['to before from', { from: '2024-05-31T10:00:00Z', to: '2024-05-31T09:00:00Z' }, { at: 'to', problem: '"to" must be later than "from"' }],
    ['from beyond retention', { from: '2024-01-01T00:00:00Z', to: '2024-05-31T00:00:00Z' }, { at: 'from', problem: `events are kept ${DEFAULT_EVENT_RETENTION_DAYS} days; "from" must be 2024-03-02T12:00:00.000Z or later` }],
    ['from in the future', { from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z' }, { at: 'from', problem: '"from" is not in the past' }],
    ['from now', { from: NOW.toISOString(), to: '2024-06-02T00:00:00Z' }, { at: 'from', problem: '"from" is not in the past' }],
    ['a bad type', { from: '2024-05-31T10:00:00Z', to: '2024-05-31T11:00:00Z', types: ['user.gone'] }, { at: 'types[0]', problem: expect.stringMatching(/^"user.gone" is not an event type/) }],
    ['an unknown field', { from: '2024-05-31T10:00:00Z', to: '2024-05-31T11:00:00Z', since: 'x' }, { at: 'replay', problem: 'unknown field "since"; the fields are "from", "to", "types", "webhookId"' }],
  ])('refuses %s', (_, body, problem) => {
    const parsed = parseReplayRequest(body, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toContainEqual(problem);
  });

  it('a shorter retention moves the oldest allowed start', () => {
    expect(parseReplayRequest({ from: '2024-05-20T00:00:00Z', to: '2024-05-21T00:00:00Z' }, NOW, 7).ok).toBe(false);
  });

  it('replayError is a 400 invalidValue naming each problem', () => {
    expect(replayError([{ at: 'to', problem: '"to" must be later than "from"' }]).toBody()).toMatchObject({ status: '400', scimType: 'invalidValue', detail: 'Invalid replay: to: "to" must be later than "from".' });
  });

  it('never throws, and an accepted span lies in the retention window and ends by now (fast-check)', () => {
    const iso = fc.date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2025-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ from: fc.oneof(iso, fc.string()), to: fc.oneof(iso, fc.string()) })), (body) => {
        const parsed = parseReplayRequest(body, NOW);
        if (!parsed.ok) return;
        const [from, to] = [Date.parse(parsed.value.from), Date.parse(parsed.value.to)];
        expect(from).toBeGreaterThanOrEqual(NOW.getTime() - DEFAULT_EVENT_RETENTION_DAYS * 86_400_000);
        expect(from).toBeLessThan(to);
        expect(to).toBeLessThanOrEqual(NOW.getTime());
      }),
    );
  });
});
