/**
 * The local gateway's authorizer cache: an Allow is reused per Authorization header until it is
 * older than its limit or anything an authorizer reads has been written (the generation moved).
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { createAuthorizerCache } from '../../../lib/local/authorizer-cache';

const allow = (principalId: string): APIGatewayAuthorizerResult => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ['arn:*'] }] },
});

describe('createAuthorizerCache', () => {
  let generation = 0;
  beforeEach(() => {
    generation = 0;
    jest.useFakeTimers({ now: new Date('2026-12-05T12:00:00Z') });
  });
  afterEach(() => jest.useRealTimers());

  const cache = () => createAuthorizerCache({ maxAgeMs: 1000, generation: () => generation, maxEntries: 2 });

  it('returns the Allow stored for the same header, and nothing for another one', () => {
    const c = cache();
    c.set('Bearer a', allow('a'), c.generation());
    expect(c.get('Bearer a')?.principalId).toBe('a');
    expect(c.get('Bearer b')).toBeUndefined();
  });

  it('drops every entry once anything an authorizer reads is written (revocation, rotation, settings)', () => {
    const c = cache();
    c.set('Bearer a', allow('a'), c.generation());
    generation += 1;
    expect(c.get('Bearer a')).toBeUndefined();
  });

  it('does not keep an answer computed while a write happened', () => {
    const c = cache();
    const before = c.generation();
    generation += 1; // the admin API revoked the token while the authorizer was reading it
    c.set('Bearer a', allow('a'), before);
    expect(c.get('Bearer a')).toBeUndefined();
  });

  it('forgets an entry after maxAgeMs (a token reaching its expiry passes at most that long)', () => {
    const c = cache();
    c.set('Bearer a', allow('a'), c.generation());
    jest.advanceTimersByTime(999);
    expect(c.get('Bearer a')).toBeDefined();
    jest.advanceTimersByTime(1);
    expect(c.get('Bearer a')).toBeUndefined();
  });

  it('keeps at most maxEntries, the oldest going first', () => {
    const c = cache();
    for (const name of ['a', 'b', 'c']) c.set(`Bearer ${name}`, allow(name), c.generation());
    expect(c.get('Bearer a')).toBeUndefined();
    expect(c.get('Bearer b')?.principalId).toBe('b');
    expect(c.get('Bearer c')?.principalId).toBe('c');
  });
});
