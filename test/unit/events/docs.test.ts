/**
 * docs/events.md stays true: its examples are what the derivation makes of the story's records, its
 * verification snippet verifies what the gateway signs (it is run, not read), and its tables and
 * numbers are the code's.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DIRECTORY_QUERY_PARAMS, EVENT_LIMIT, LIST_LIMIT } from '../../../lambdas/events/directory-query';
import { RETRY_SCHEDULE } from '../../../lambdas/events/retry-policy';
import { generateSecret, signWebhook } from '../../../lambdas/events/signing';
import { initialSecrets, rotateSecrets, signingSecrets } from '../../../lambdas/events/signing-secrets';
import { EVENT_TYPES } from '../../../lambdas/events/types';
import { storyEvents } from './docs-story';

const DOC = readFileSync(path.resolve(__dirname, '../../../docs/events.md'), 'utf8');
const blocks = (lang: string) => [...DOC.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map((m) => m[1]);
const section = (heading: string) => DOC.slice(DOC.indexOf(`## ${heading}`), DOC.indexOf('\n## ', DOC.indexOf(`## ${heading}`) + 1));

type Verify = (secret: string, headers: Record<string, string>, body: string, toleranceSeconds?: number) => boolean;
const verifyWebhook: Verify = (() => {
  const code = blocks('js').find((b) => b.includes('function verifyWebhook'));
  if (!code) throw new Error('docs/events.md has no verifyWebhook snippet');
  return new Function('require', `${code}\nreturn verifyWebhook;`)(require) as Verify;
})();

describe('docs/events.md', () => {
  it('shows, in order, exactly the events the derivation makes of the story', () => {
    expect(blocks('json').map((b) => JSON.parse(b))).toEqual(storyEvents());
  });

  it('has an example of every event type, and lists every type in its table', () => {
    const examples = [...DOC.matchAll(/^### `([a-z_.]+)`$/gm)].map((m) => m[1]);
    expect([...examples].sort()).toEqual([...EVENT_TYPES].sort());
    const table = [...section('Event types').matchAll(/^\| `([a-z_.]+)` \|/gm)].map((m) => m[1]);
    expect(table).toEqual([...EVENT_TYPES]);
  });

  describe('the node:crypto snippet', () => {
    const event = storyEvents()[0];

    it('verifies what the gateway signs', () => {
      const secret = generateSecret(randomBytes);
      const { headers, body } = signWebhook(event, [secret], new Date());
      expect(verifyWebhook(secret, { ...headers }, body)).toBe(true);
    });

    it('verifies with either secret during a rotation', () => {
      const [old, fresh] = [generateSecret(randomBytes), generateSecret(randomBytes)];
      const now = new Date();
      const { headers, body } = signWebhook(event, signingSecrets(rotateSecrets(initialSecrets(old), fresh, now), now), now);
      expect(verifyWebhook(old, { ...headers }, body)).toBe(true);
      expect(verifyWebhook(fresh, { ...headers }, body)).toBe(true);
    });

    it('refuses another secret, a changed body, an old timestamp and missing headers', () => {
      const secret = generateSecret(randomBytes);
      const { headers, body } = signWebhook(event, [secret], new Date());
      expect(verifyWebhook(generateSecret(randomBytes), { ...headers }, body)).toBe(false);
      expect(verifyWebhook(secret, { ...headers }, body.replace('alice', 'mallory'))).toBe(false);
      const old = signWebhook(event, [secret], new Date(Date.now() - 600_000));
      expect(verifyWebhook(secret, { ...old.headers }, old.body)).toBe(false);
      expect(verifyWebhook(secret, { 'webhook-id': headers['webhook-id'] }, body)).toBe(false);
    });
  });

  it('states the retry schedule the sender follows', () => {
    const delivery = section('Delivery');
    expect(delivery).toContain(`from ${RETRY_SCHEDULE.firstDelayMs / 1000} s, doubling up to ${RETRY_SCHEDULE.maxDelayMs / 3_600_000} h`);
    expect(delivery).toContain(`${RETRY_SCHEDULE.jitter * 100} % jitter`);
    expect(delivery).toContain(`${RETRY_SCHEDULE.attempts} attempts over more than 24 hours`);
    expect(delivery).toContain(`up to ${RETRY_SCHEDULE.maxRetryAfterMs / 3_600_000} hours`);
  });

  it('lists the read API’s query parameters and limits as the parsers take them', () => {
    const rows = Object.fromEntries(
      [...section('The read API').matchAll(/^\| `GET \/apps\/\{appId\}\/directory\/v1(\/[^`]*)` \| (.*) \|$/gm)].map((m) => [m[1], [...m[2].matchAll(/`(\w+)`/g)].map((p) => p[1])]),
    );
    expect(rows['/users']).toEqual([...DIRECTORY_QUERY_PARAMS.users]);
    expect(rows['/groups']).toEqual([...DIRECTORY_QUERY_PARAMS.groups]);
    expect(rows['/groups/{id}/members']).toEqual([...DIRECTORY_QUERY_PARAMS.members]);
    expect(rows['/events']).toEqual([...DIRECTORY_QUERY_PARAMS.events]);
    expect(section('The read API')).toContain(`\`limit\` (1–${LIST_LIMIT.max}, default ${LIST_LIMIT.default})`);
    expect(section('The read API')).toContain(`\`limit\` (1–${EVENT_LIMIT.max}, default ${EVENT_LIMIT.default})`);
  });
});
