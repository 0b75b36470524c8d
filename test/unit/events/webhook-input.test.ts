import fc from 'fast-check';
import { matchesTypes, normalizePatterns } from '../../../lambdas/events/event-filter';
import { EVENT_ID_PATTERN } from '../../../lambdas/events/event-id';
import { pingEvent } from '../../../lambdas/events/ping';
import { EVENT_TYPES } from '../../../lambdas/events/types';
import { parseWebhookCreate, parseWebhookUpdate, webhookError } from '../../../lambdas/events/webhook-input';
import { checkWebhookUrl, isLoopbackHost, isPublicAddress } from '../../../lambdas/events/webhook-url';

const URL_OK = 'https://app.example.com/webhooks/scim';

describe('parseWebhookCreate', () => {
  it('takes a URL alone: every event type', () => {
    expect(parseWebhookCreate({ url: URL_OK }, 'deployed')).toEqual({ ok: true, value: { url: URL_OK } });
  });

  it('takes types (exact and wildcards, each once) and a trimmed description', () => {
    const parsed = parseWebhookCreate({ url: URL_OK, types: ['user.deactivated', 'group.*', 'user.deactivated'], description: '  HR sync ' }, 'deployed');
    expect(parsed).toEqual({ ok: true, value: { url: URL_OK, types: ['user.deactivated', 'group.*'], description: 'HR sync' } });
  });

  it('names each bad types entry by its place, and lists the types', () => {
    const parsed = parseWebhookCreate({ url: URL_OK, types: ['user.created', 'user.moved', 7] }, 'deployed');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.at)).toEqual(['types[1]', 'types[2]']);
    expect(parsed.problems[0].problem).toBe(
      '"user.moved" is not an event type; use user.created, user.updated, user.deactivated, user.reactivated, user.deleted, group.created, group.updated, group.deleted, group.member_added, group.member_removed, user.*, group.*',
    );
    expect(parsed.problems[1].problem).toMatch(/^a non-text value is not an event type/);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['no url', {}, 'url', /"url" must be text/],
    ['an empty types list', { url: URL_OK, types: [] }, 'types', /at least one event type; leave it out for every type/],
    ['types that are not a list', { url: URL_OK, types: 'user.created' }, 'types', /must be a list of event types/],
    ['an unknown field', { url: URL_OK, secret: 'mine' }, 'webhook', /unknown field "secret"; the fields are "url", "types", "description"/],
    ['a body that is not an object', ['https://x'], 'webhook', /must be a JSON object/],
    ['a long description', { url: URL_OK, description: 'x'.repeat(257) }, 'description', /at most 256 characters/],
    ['an http URL when deployed', { url: 'http://app.example.com/hook' }, 'url', /use https/],
    ['the metadata address', { url: 'https://169.254.169.254/latest' }, 'url', /not a public internet address/],
  ])('refuses %s', (_, body, at, problem) => {
    const parsed = parseWebhookCreate(body, 'deployed');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toContainEqual({ at, problem: expect.stringMatching(problem) });
  });

  it('locally takes http to a loopback receiver', () => {
    expect(parseWebhookCreate({ url: 'http://127.0.0.1:4000/hook' }, 'local')).toEqual({ ok: true, value: { url: 'http://127.0.0.1:4000/hook' } });
  });

  it('webhookError is a 400 invalidValue naming every problem', () => {
    const error = webhookError([{ at: 'url', problem: 'use https: events carry personal data' }, { at: 'types[0]', problem: 'x' }]);
    expect(error.toBody()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidValue',
      detail: 'Invalid webhook: url: use https: events carry personal data; types[0]: x.',
    });
  });

  it('never throws, whatever JSON comes in (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('deployed' as const, 'local' as const), (input, mode) => {
        const parsed = parseWebhookCreate(input, mode);
        if (!parsed.ok) expect(parsed.problems.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('parseWebhookUpdate', () => {
  it('takes any subset of fields; null types means every type again, null description removes it', () => {
    expect(parseWebhookUpdate({ types: null, description: null, enabled: true }, 'deployed')).toEqual({ ok: true, value: { types: null, description: null, enabled: true } });
    expect(parseWebhookUpdate({ url: URL_OK }, 'deployed')).toEqual({ ok: true, value: { url: URL_OK } });
  });

  it('refuses an empty change, and a bad URL', () => {
    expect(parseWebhookUpdate({}, 'deployed')).toEqual({ ok: false, problems: [{ at: 'webhook', problem: 'nothing to change: send "url", "types", "description" or "enabled"' }] });
    expect(parseWebhookUpdate({ url: 'ftp://x.example.com' }, 'deployed')).toEqual({ ok: false, problems: [{ at: 'url', problem: 'ftp is not HTTP; use https' }] });
  });

  it('never throws, whatever JSON comes in (fast-check)', () => {
    fc.assert(fc.property(fc.jsonValue(), (input) => void parseWebhookUpdate(input, 'deployed')));
  });
});

describe('checkWebhookUrl', () => {
  it.each([
    ['https://app.example.com/hook?tenant=1', 'https://app.example.com/hook?tenant=1'],
    ['https://APP.Example.com:8443/hook', 'https://app.example.com:8443/hook'],
    ['https://1.1.1.1/hook', 'https://1.1.1.1/hook'],
    ['https://[2606:4700::1111]/hook', 'https://[2606:4700::1111]/hook'],
  ])('deployed: takes %s', (raw, stored) => {
    expect(checkWebhookUrl(raw, 'deployed')).toEqual({ ok: true, url: stored });
  });

  it.each([
    ['http://app.example.com/hook', 'use https'],
    ['https://user:pw@app.example.com/hook', 'user name or password'],
    ['https://localhost/hook', 'local name'],
    ['https://hooks.localhost/hook', 'local name'],
    ['https://printer.local/hook', 'local name'],
    ['https://ip-10-0-0-1.ec2.internal/hook', 'local name'],
    ['https://intranet/hook', 'local name'],
    ['https://127.0.0.1/hook', 'not a public'],
    ['https://0x7f.1/hook', 'not a public'],
    ['https://2130706433/hook', 'not a public'],
    ['https://10.1.2.3/hook', 'not a public'],
    ['https://172.16.0.1/hook', 'not a public'],
    ['https://192.168.1.1/hook', 'not a public'],
    ['https://100.64.0.1/hook', 'not a public'],
    ['https://169.254.169.254/latest/meta-data', 'not a public'],
    ['https://[::1]/hook', 'not a public'],
    ['https://[fd00:ec2::254]/hook', 'not a public'],
    ['https://[fe80::1]/hook', 'not a public'],
    ['https://[::ffff:10.0.0.1]/hook', 'not a public'],
    ['https://[64:ff9b::a00:1]/hook', 'not a public'],
    ['https://[2002:a00:1::]/hook', 'not a public'],
    ['not a url', 'not an absolute URL'],
    ['javascript:alert(1)', 'not HTTP'],
    [`https://app.example.com/${'x'.repeat(2048)}`, 'longer than 2048'],
  ])('deployed: refuses %s', (raw, problem) => {
    const checked = checkWebhookUrl(raw, 'deployed');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toContain(problem);
  });

  it.each(['http://localhost:4000/hook', 'http://127.0.0.1:4000/hook', 'http://[::1]:4000/hook', 'https://192.168.1.20/hook', 'https://receiver.local/hook'])('local: takes %s', (raw) => {
    expect(checkWebhookUrl(raw, 'local').ok).toBe(true);
  });

  it('local: refuses http to any host but loopback', () => {
    expect(checkWebhookUrl('http://192.168.1.20/hook', 'local')).toEqual({ ok: false, problem: 'http is allowed for localhost, 127.0.0.1 and [::1] only; use https for any other host' });
  });

  it('never throws, whatever text comes in (fast-check)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.webUrl()), fc.constantFrom('deployed' as const, 'local' as const), (raw, mode) => void checkWebhookUrl(raw, mode)));
  });
});

describe('isPublicAddress (the sender’s check of each resolved address)', () => {
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8', '[2001:4860::8888]'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each(['127.0.0.1', '10.0.0.1', '169.254.169.254', '0.0.0.0', '255.255.255.255', '224.0.0.1', '::', '::1', 'fd00:ec2::254', '::ffff:192.168.0.1', 'example.com', ''])('%s is not', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it('isLoopbackHost knows names and addresses', () => {
    expect(['localhost', 'app.localhost', '127.0.0.1', '127.9.9.9', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['example.com', '10.0.0.1', '[::2]', 'localhost.example.com'].some(isLoopbackHost)).toBe(false);
  });
});

describe('matchesTypes', () => {
  it('no filter passes every type', () => {
    expect(EVENT_TYPES.every((type) => matchesTypes(undefined, type))).toBe(true);
  });

  it('a wildcard passes every type of its resource, an exact type only itself', () => {
    expect(EVENT_TYPES.filter((type) => matchesTypes(['group.*', 'user.deactivated'], type))).toEqual([
      'user.deactivated',
      'group.created',
      'group.updated',
      'group.deleted',
      'group.member_added',
      'group.member_removed',
    ]);
  });

  it('normalizePatterns keeps each pattern once, in first-given order', () => {
    expect(normalizePatterns(['user.*', 'group.created', 'user.*'])).toEqual(['user.*', 'group.created']);
  });
});

describe('pingEvent', () => {
  it('is a ping with its own random id, the time, the application and the webhook tested', () => {
    const ping = pingEvent('app-1', 'wh-1', new Date('2024-05-31T07:00:00Z'), (n) => new Uint8Array(n).fill(171));
    expect(ping).toEqual({ id: `evt_${'ab'.repeat(16)}`, type: 'ping', timestamp: '2024-05-31T07:00:00.000Z', appId: 'app-1', data: { webhookId: 'wh-1' } });
    expect(ping.id).toMatch(EVENT_ID_PATTERN);
  });
});
