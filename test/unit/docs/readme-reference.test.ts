/**
 * The README is where an admin looks up the command line and the report API, so it must name every
 * flag the CLI's own usage texts offer and every query parameter and action the report API
 * accepts. The lists come from the code, so a new flag or parameter without a README line fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPORT_ACTIONS, REPORT_STATUSES } from '../../../lambdas/domain/report-row';
import { REPORT_QUERY_PARAMS } from '../../../lambdas/reports/query';
import { runAppsCommand } from '../../../lib/cli/apps';
import { LOCAL_USAGE } from '../../../lib/cli/local';
import { runOAuthClientsCommand } from '../../../lib/cli/oauth-clients';
import { runReportsCommand } from '../../../lib/cli/reports';

const README = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

const usageOf = async (run: (argv: string[], io: { stdout: (text: string) => void; env: NodeJS.ProcessEnv }) => Promise<number>) => {
  let text = '';
  const code = await run(['--help'], { stdout: (t) => (text += t), env: {} });
  expect(code).toBe(0);
  return text;
};

/** `--flag` and `-h` as the usage text lists them. */
const flagsIn = (usage: string): string[] => [...new Set(usage.match(/(?<![\w-])--?[a-z][a-z-]*/g) ?? [])];

const documented = (token: string) => new RegExp(`(?<![\\w-])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(README);

describe('README', () => {
  it.each([
    ['local', async () => LOCAL_USAGE],
    ['apps', () => usageOf(runAppsCommand)],
    ['reports', () => usageOf(runReportsCommand)],
    ['oauth-clients', () => usageOf(runOAuthClientsCommand)],
  ])('documents every flag of scim-gateway %s', async (_command, usage) => {
    const flags = flagsIn(await usage());
    expect(flags.length).toBeGreaterThan(3);
    expect(flags.filter((flag) => !documented(flag))).toEqual([]);
  });

  it('documents every query parameter of the report API', () => {
    expect(REPORT_QUERY_PARAMS.filter((name) => !README.includes(`\`${name}\``))).toEqual([]);
  });

  it('documents every report action and status', () => {
    expect([...REPORT_ACTIONS, ...REPORT_STATUSES].filter((value) => !README.includes(`\`${value}\``))).toEqual([]);
  });
});
