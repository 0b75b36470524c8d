/**
 * The report row of a finished profile recompute (use-cases/profile-recompute.ts): one
 * application-level row when a mapping change has been applied to every profile, with the counts,
 * instead of one row per rewritten user (10,000 users would bury the report). Pure: it reads the
 * job item's record — the MODIFY that set `state: "done"` — so the row costs no write of its own
 * and a redelivered record yields the same row.
 */
import { ReportAction, ReportStatus, type ReportRow } from '../domain/report-row';

/** How many of the failures the job kept are named in the row's detail (the job keeps ten). */
const FAILURES_NAMED = 3;

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const failuresOf = (value: unknown): { id: string; detail: string }[] =>
  Array.isArray(value)
    ? value.flatMap((f) => (typeof f === 'object' && f !== null && str((f as Record<string, unknown>).id) ? [{ id: String((f as Record<string, unknown>).id), detail: String((f as Record<string, unknown>).detail ?? '') }] : []))
    : [];

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The detail: what was done, in numbers, and the first users that kept their previous profile. */
const detailOf = (counts: NonNullable<ReportRow['recompute']>, failures: { id: string; detail: string }[]): string => {
  const done = `Attribute mapping version ${counts.mappingVersion} applied to every profile: ${plural(counts.users, 'user', 'users')} read, ${plural(counts.rewritten, 'profile', 'profiles')} rewritten`;
  if (!counts.failed) return `${done}.`;
  const named = failures.slice(0, FAILURES_NAMED).map((f) => `${f.id}: ${f.detail}`).join('; ');
  return `${done}, ${plural(counts.failed, 'user', 'users')} kept the previous profile (${named}${counts.failed > FAILURES_NAMED ? '; …' : ''}).`;
};

/**
 * The row of a job record that finished the job; `undefined` for every other record of the job
 * (its start, each page's progress) and for a record that is already `done` on both sides.
 */
export const recomputeRow = (
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): Pick<ReportRow, 'time' | 'appId' | 'resourceType' | 'action' | 'status' | 'detail' | 'recompute'> | undefined => {
  if (!after || after.state !== 'done' || before?.state === 'done') return undefined;
  const time = str(after.finishedAt);
  if (!time || Number.isNaN(Date.parse(time)) || typeof after.appId !== 'string') return undefined;
  const recompute = { mappingVersion: num(after.mappingVersion), users: num(after.processed), rewritten: num(after.updated), failed: num(after.failed) };
  return {
    time: new Date(time).toISOString(),
    appId: after.appId,
    resourceType: 'Application',
    action: ReportAction.recomputeProfiles,
    // A user whose profile could not be computed is a problem the admin must fix: the row says so.
    status: recompute.failed ? ReportStatus.failure : ReportStatus.success,
    detail: detailOf(recompute, failuresOf(after.failures)),
    recompute,
  };
};
