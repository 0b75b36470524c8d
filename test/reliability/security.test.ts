/**
 * Security checks in process: token comparison without an early exit, and error details without
 * stacks or internal names even when the failure is unexpected. The checks that need HTTP (one
 * application's token against another's routes, tokens in logs) are in gateway/access.ts.
 */
import { createGroupsHandler } from '../../lambdas/handlers/groups';
import { createUsersHandler } from '../../lambdas/handlers/users';
import type { Runtime } from '../../lambdas/shared/runtime';
import { testRuntime } from '../helpers/runtime';
import { createAuthorizer } from '../../lambdas/handlers/authorizer';
import { issueAdminToken, issueAppToken, verifyToken } from '../../lambdas/domain/secret-tokens';
import { scimClient, type TestApp } from '../helpers/invoke';
import { createTestTables, type TestTables } from '../helpers/tables';
import { entraUser, PATCH_URN } from './support/arbitraries';
import { installFaults, type Faults } from './support/faults';
import { recordFigures } from './support/figures';
import { answerViolations, describeViolations } from './support/invariants';
import { testTimeout } from './support/scale';

jest.setTimeout(testTimeout());

// The core module object itself (an `import * as` would be a copy): secret-tokens.ts calls through it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require('node:crypto') as typeof import('node:crypto');

const figures: Record<string, unknown> = {};

afterAll(() => recordFigures('security', figures));

describe('token comparison', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const stored = Array.from({ length: 5 }, () => issueAppToken('abcdefghij12', now));
  const target = stored[2].token;
  const secretOf = (token: string) => token.split('_').slice(3).join('_');
  const presented: Array<[string, string]> = [
    ['the token itself', target],
    ['all but the last character', `${target.slice(0, -1)}${target.endsWith('A') ? 'B' : 'A'}`],
    ['the first character of the secret changed', target.replace(`_${secretOf(target)}`, `_${secretOf(target).startsWith('A') ? 'B' : 'A'}${secretOf(target).slice(1)}`)],
    ['another token of the same application', issueAppToken('abcdefghij12', now).token],
    ['a much longer secret', `${target}${'x'.repeat(200)}`],
    ['an empty-looking secret', `scgw_abcdefghij12_${stored[2].stored.id}_${'A'.repeat(20)}`],
  ];

  it.each(presented)('verifyToken compares digests against every stored token, whatever is presented (%s)', (_what, token) => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      verifyToken(token, stored.map((s) => s.stored), now);
      // One comparison per stored token, never stopping at a match or a mismatch…
      expect(spy).toHaveBeenCalledTimes(stored.length);
      for (const [a, b] of spy.mock.calls) {
        // …of fixed-length digests, never of the presented text itself.
        expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
        expect(Buffer.from(a as Buffer).toString('utf8')).not.toContain(secretOf(token).slice(0, 8));
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('the authorizer runs every comparison for a wrong token as for a right one (admin and application)', async () => {
    const admins = [issueAdminToken(now), issueAdminToken(now), issueAdminToken(now)];
    const authorize = createAuthorizer({
      now: () => now,
      lookups: {
        app: async () => ({ id: 'abcdefghij12', name: 'A', requiredAttributes: ['userName'], created: '', lastModified: '', tokens: [], extensionAttributes: [], version: 1 }),
        appTokens: async () => stored.map((s) => s.stored),
        adminTokens: async () => admins.map((a) => a.stored),
      },
    });
    const counts: Record<string, number> = {};
    for (const [what, token] of [...presented, ['admin token', admins[1].token], ['wrong admin token', `${admins[1].token.slice(0, -1)}Z`]] as Array<[string, string]>) {
      const spy = jest.spyOn(crypto, 'timingSafeEqual');
      const path = token.startsWith('scgw_admin') ? 'admin/apps' : 'apps/abcdefghij12/scim/v2/Users';
      await authorize({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: `arn:aws:execute-api:eu-west-1:1:api/prod/GET/${path}` }).catch(() => undefined);
      counts[what] = spy.mock.calls.length;
      spy.mockRestore();
    }
    expect(new Set(Object.entries(counts).filter(([w]) => !w.includes('admin')).map(([, n]) => n))).toEqual(new Set([stored.length]));
    expect([counts['admin token'], counts['wrong admin token']]).toEqual([admins.length, admins.length]);
    figures.comparisonsPerAttempt = counts;
  });
});

describe('error details on unexpected failures (in process)', () => {
  let tables: TestTables;
  let faults: Faults;
  let rt: Runtime;
  const APP: TestApp = { id: 'secleaks0001', name: 'Leaks' };

  beforeAll(async () => {
    tables = await createTestTables('rel-security');
    rt = testRuntime(tables);
    faults = await installFaults(rt.dynamo);
  });
  afterAll(() => tables.drop());

  it('an internal error full of key names, paths and a stack → a generic 500 that names none of them', async () => {
    const users = scimClient(createUsersHandler(rt), APP);
    const groups = scimClient(createGroupsHandler(rt), APP);
    const nasty = Object.assign(new Error('TransactionCanceledException at APP#secleaks0001#USER#x pk=APP#x sk=USER gsi1pk (/work/main/lambdas/store/users.ts:120:7)'), {
      name: 'ValidationException',
      stack: 'ValidationException: boom\n    at transact (/work/main/lambdas/store/transactions.ts:42:11)',
    });
    const client = rt.dynamo;
    client.middlewareStack.add(
      (next) => async (args) => {
        if ((globalThis as { __leak?: boolean }).__leak) throw nasty;
        return next(args);
      },
      { step: 'initialize', name: 'reliabilityLeak' },
    );
    (globalThis as { __leak?: boolean }).__leak = true;
    try {
      const answers = [
        await users.get('/Users'),
        await users.post('/Users', entraUser('leak.probe')),
        await users.patch('/Users/x', { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'active', value: false }] }),
        await groups.get('/Groups/x'),
      ];
      for (const res of answers) {
        expect(res.status).toBe(500);
        expect(res.body.detail).toBe('An internal error occurred. The request was not completed.');
        expect(describeViolations('internal error', answerViolations(res, { allowed5xx: [500] }))).toBe('');
      }
    } finally {
      (globalThis as { __leak?: boolean }).__leak = false;
      client.middlewareStack.remove('reliabilityLeak');
      faults.reset();
    }
  });
});
