/**
 * Writes the figures of the last full reliability run into docs/reliability.md, between the
 * `<!-- figures:start -->` and `<!-- figures:end -->` markers (the prose around them is kept).
 * Run by `npm run test:reliability` after the suite (and with `--clear` before it);
 * `tsx test/reliability/report.ts` re-renders from the last run's figures.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { figuresDir, readAllFigures } from './support/figures';

type Figures = Record<string, unknown>;
type Counts = Record<string, Record<string, number>>;

const DOC = path.resolve(__dirname, '../../docs/reliability.md');
const START = '<!-- figures:start -->';
const END = '<!-- figures:end -->';

const sum = (row: Record<string, number> = {}): number => Object.values(row).reduce((a, b) => a + b, 0);
const fiveXx = (row: Record<string, number> = {}): number => Object.entries(row).reduce((n, [s, c]) => n + (Number(s) >= 500 ? c : 0), 0);
const statuses = (row: Record<string, number> = {}): string =>
  Object.entries(row)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, c]) => `${s}×${c}`)
    .join(' ');
const table = (head: string[], rows: Array<Array<string | number>>): string =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const fuzzSection = (all: Record<string, Figures>): string => {
  const rows: Array<Array<string | number>> = [];
  let total = 0;
  let errors = 0;
  for (const name of ['fuzz-users', 'fuzz-groups', 'fuzz-admin']) {
    const counts = (all[name]?.requestsPerRoute ?? {}) as Counts;
    for (const [route, row] of Object.entries(counts)) {
      rows.push([`\`${route}\``, sum(row), statuses(row), fiveXx(row)]);
      total += sum(row);
      errors += fiveXx(row);
    }
  }
  return [
    `### 1. Property-based fuzzing (in process, DynamoDB Local)\n`,
    `${total.toLocaleString('en')} requests over ${rows.length} routes; **${errors} × 5xx**. Every error answer was checked as a SCIM Error, every 4xx (and every GET) against a snapshot of the table.\n`,
    table(['route', 'requests', 'statuses', '5xx'], rows),
  ].join('\n');
};

const rawSection = (raw: Figures | undefined): string => {
  const counts = (raw?.requests ?? {}) as Counts;
  const rows = Object.entries(counts).map(([what, row]) => [what.replace(/\|/g, '\\|').slice(0, 110), statuses(row)]);
  return [
    `### 2. Raw HTTP against the local gateway\n`,
    `${Object.values(counts).reduce((n, r) => n + sum(r), 0)} requests, **${raw?.fiveXx ?? 0} × 5xx**, nothing written in either application.\n`,
    table(['request', 'statuses'], rows),
  ].join('\n');
};

const racesSection = (races: Figures | undefined): string => {
  const r = (races ?? {}) as Record<string, Record<string, unknown>>;
  const rows: Array<Array<string | number>> = [];
  const add = (what: string, key: string, detail: (f: Record<string, unknown>) => string) => {
    if (r[key]) rows.push([what, detail(r[key])]);
  };
  add('50 parallel creates of one userName', 'createSameUserName', (f) => `${f.rounds} rounds: ${statuses(f.outcomes as Record<string, number>)}`);
  add('two users renamed to one name at once', 'renameToSameName', (f) => `${f.rounds} rounds: ${statuses(f.outcomes as Record<string, number>)}`);
  add('parallel PATCHes with one If-Match', 'ifMatch', (f) => `${f.rounds} rounds of ${f.writersPerRound}: ${statuses(f.outcomes as Record<string, number>)}`);
  add('parallel member adds to one group', 'parallelMemberAdds', (f) => `${f.patches} PATCHes, ${f.members} members: ${statuses(f.outcomes as Record<string, number>)}, all ${f.members} stored`);
  add('user deleted while added to groups', 'deleteDuringMemberAdds', (f) => `${f.rounds} rounds × ${f.groupsPerRound} groups: deletes ${statuses(f.deletes as Record<string, number>)}, adds ${statuses(f.adds as Record<string, number>)}; 0 dangling memberships`);
  return [`### 3. Races (through the local gateway)\n`, table(['race', 'outcome'], rows)].join('\n');
};

const faultsSection = (faults: Figures | undefined, authz: Figures | undefined, report: Figures | undefined): string => {
  const rows: Array<Array<string | number>> = [];
  for (const [scenario, f] of Object.entries((faults ?? {}) as Record<string, Record<string, unknown>>)) {
    if (!f || typeof f !== 'object' || !('outcomes' in f)) continue;
    const outcomes = f.outcomes as Record<string, Record<string, number>>;
    rows.push([scenario, (f.commands as string[]).length, Object.entries(outcomes).map(([k, row]) => `${k}: ${statuses(row)}`).join('<br>'), f.halfWritten as number]);
  }
  const authRows = Object.entries((authz ?? {}) as Record<string, unknown>)
    .filter(([k]) => k !== 'scale' && k !== 'recordedAt')
    .map(([k, v]) => [k, String(v)]);
  const rf = (report ?? {}) as Record<string, number>;
  return [
    `### 4. Faults\n`,
    `DynamoDB faults on every command of each write (throttled: 429 + Retry-After; unreachable or failing: 503 + Retry-After; a batch DynamoDB keeps leaving unprocessed is retried 8 times with capped, jittered pauses, then answered 503 + Retry-After, \`test/unit/store/throttling.test.ts\`). "half-written" counts re-reads that matched neither the state before nor a fault-free twin's state after.\n`,
    table(['operation', 'commands', 'fault (mode): client saw', 'half-written'], rows),
    '',
    `Authorizer dependencies (fail closed):\n`,
    table(['failure', 'result'], authRows),
    '',
    `Report writer unwritable mid-traffic: ${rf.injectedWrites ?? 0} report writes refused, ${rf.retriesTotal ?? 0} batch retries; afterwards ${rf.reportItems ?? 0} report items from ${rf.streamRecords ?? 0} stream records — missing ${rf.missing ?? 0}, extra ${rf.extra ?? 0}, differing ${rf.differing ?? 0}, dead-lettered ${rf.deadLettered ?? 0} (compared row by row with a never-failing pipeline over the same stream).`,
  ].join('\n');
};

const securitySection = (security: Figures | undefined, access: Figures | undefined): string => {
  const s = (security ?? {}) as Record<string, unknown>;
  const a = (access ?? {}) as Record<string, unknown>;
  const cross = Object.values((a.crossApplication ?? {}) as Record<string, number>);
  const scope = Object.values((a.scopeSeparation ?? {}) as Record<string, number>);
  const comparisons = Object.entries((s.comparisonsPerAttempt ?? {}) as Record<string, number>).map(([k, v]) => `${k}: ${v}`).join('; ');
  const searched = Object.entries((a.secretsSearched ?? {}) as Record<string, string>).map(([k, v]) => `${k} (${v})`).join('; ');
  return [
    `### 5. Security\n`,
    `- Digest comparisons per authorization attempt (5 stored app tokens, 3 admin tokens): ${comparisons || 'n/a'}.`,
    `- Application A's token on ${cross.length} routes of application B and the admin API: ${cross.filter((x) => x === 403).length} × 403.`,
    `- Admin token on SCIM routes and SCIM token on admin routes: ${scope.filter((x) => x === 403).length} of ${scope.length} × 403.`,
    `- Searched for every issued token: ${searched || 'n/a'}; report rows searched: ${a.reportRowsSearched ?? 'n/a'}.`,
  ].join('\n');
};

const soakSection = (soak: Figures | undefined): string => {
  if (!soak) return '### 6. Soak\n\n(no figures)';
  const l = soak.latencyMs as Record<string, number>;
  const m = soak.rssKiB as Record<string, number>;
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
  return [
    `### 6. Bounded soak (local gateway, ${soak.seconds} s, ${soak.inFlight} in flight)\n`,
    table(
      ['requests', 'req/s', 'errors', '5xx', 'p50', 'p90', 'p95', 'p99', 'max'],
      [[soak.requests as number, soak.requestsPerSecond as number, soak.errors as number, soak.fiveXx as number, `${l.p50} ms`, `${l.p90} ms`, `${l.p95} ms`, `${l.p99} ms`, `${l.max} ms`]],
    ),
    '',
    `Mix: ${Object.entries(soak.operations as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    `Gateway RSS: ${mib(m.start)} at start, ${mib(m.afterWarmUp)} after warm-up (first third), ${mib(m.end)} at the end, peak ${mib(m.peak)}; growth after warm-up ${mib(m.growthAfterWarmUp)} (${m.samples} samples).`,
  ].join('\n');
};

export const renderFigures = (all: Record<string, Figures>): string => {
  const recorded = Object.values(all)
    .map((f) => String(f.recordedAt ?? ''))
    .sort()
    .pop();
  return [
    START,
    `_Generated by \`npm run test:reliability\` (RELIABILITY_SCALE=full) — last run ${recorded ?? 'n/a'}._\n`,
    fuzzSection(all),
    '',
    rawSection(all['raw-http']),
    '',
    racesSection(all.races),
    '',
    faultsSection(all.faults, all['authorizer-faults'], all['report-faults']),
    '',
    securitySection(all.security, all.access),
    '',
    soakSection(all.soak),
    END,
  ].join('\n');
};

if (require.main === module && process.argv.includes('--clear')) {
  // Before a run: figures of an earlier run must not mix with this one's.
  rmSync(figuresDir(), { recursive: true, force: true });
} else if (require.main === module) {
  const all = readAllFigures();
  if (!Object.keys(all).length) {
    process.stderr.write(`No figures in ${figuresDir()}; run RELIABILITY_SCALE=full jest test/reliability first.\n`);
    process.exit(1);
  }
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} has no ${START} … ${END} block.`);
  writeFileSync(DOC, `${doc.slice(0, start)}${renderFigures(all)}${doc.slice(end + END.length)}`);
  process.stdout.write(`Figures written to ${path.relative(process.cwd(), DOC)}.\n`);
}
