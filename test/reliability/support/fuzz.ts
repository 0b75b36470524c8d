/**
 * One fuzzed request, in process: snapshot the application's items, call the real handler with
 * the API Gateway event it would get, check the answer's invariants, and on a 4xx (or any GET)
 * check that nothing was written. Counts every request per route for docs/reliability.md.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import fc from 'fast-check';
import { logger } from '../../../lambdas/shared/logger';
import { invoke, type InvokeResult } from '../../helpers/invoke';
import type { TestTables } from '../../helpers/tables';
import { Tally } from './figures';
import { answerViolations, describeViolations, type Violation } from './invariants';
import { runs as scaledRuns, seed } from './scale';
import { createSnapshots, diffSnapshots, type Snapshot } from './snapshot';

type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Sent as the Authorization header of every fuzzed request: it must never come back. */
export const PRESENTED_TOKEN = 'scgw_fuzzapp00001_tok00001_PRESENTEDtokenMUSTneverBEechoed0000000000';

export interface FuzzRequest {
  /** Route name for the figures, e.g. `PATCH /Users/{id}`. */
  route: string;
  method: string;
  /** Path and query, already encoded. */
  url: string;
  raw?: string;
  headers?: Record<string, string>;
  authorizer: Record<string, string> | null;
  /** Application whose items are compared; undefined = the whole table. */
  appId?: string;
}

interface FuzzOutcome {
  result: InvokeResult;
  violations: Violation[];
}

const short = (text: string | undefined, max = 1500): string => {
  if (text === undefined) return '(none)';
  return text.length > max ? `${JSON.stringify(text.slice(0, max))}… (${text.length} chars)` : JSON.stringify(text);
};

/**
 * RELIABILITY_KEEP_GOING=1: collect every violation of a run instead of stopping at the first
 * (the property still fails at its end), to see all defects at once while fixing them.
 */
const KEEP_GOING = process.env.RELIABILITY_KEEP_GOING === '1';

export const createFuzzer = (tables: TestTables) => {
  const snapshots = createSnapshots(tables.client, tables.tableName);
  const tally = new Tally();
  const labels = new Tally();
  const found = new Map<string, string>();

  // Errors the handlers log while answering: an unexpected error (the cause of a 500) or a failure
  // that could not be recorded for the report (a lost provisioning event) is a violation too.
  const logged: string[] = [];
  const originalError = logger.error.bind(logger);
  logger.error = ((message: string, ...rest: unknown[]) => {
    const error = (rest[0] as { error?: Error } | undefined)?.error;
    logged.push(`${message}${error ? `: ${error.name}: ${error.message}` : ''}`);
    return originalError(message, ...(rest as []));
  }) as typeof logger.error;

  // The state after one request is the state before the next (requests run one at a time), so one
  // scan a request suffices. Writes made outside `send` (a property's own set-up) call `invalidate`.
  let last: { appId?: string; snapshot: Snapshot } | undefined;
  const invalidate = (): void => {
    last = undefined;
  };

  /** Sends one request and throws a readable error when an invariant breaks. */
  const send = async (handler: LambdaHandler, request: FuzzRequest, label = 'request'): Promise<InvokeResult> => {
    logged.length = 0;
    const before = last && last.appId === request.appId ? last.snapshot : await snapshots.take(request.appId);
    let result: InvokeResult;
    // The handler's own body is kept aside, so a non-JSON answer (the console's HTML) is checked, not parsed.
    let answered: APIGatewayProxyResult | undefined;
    const keepBody: LambdaHandler = async (event, context) => {
      answered = await handler(event, context);
      return { ...answered, body: '' };
    };
    try {
      result = await invoke(keepBody, request.method, request.url, undefined, {
        rawBody: request.raw,
        headers: { Authorization: `Bearer ${PRESENTED_TOKEN}`, ...request.headers },
        authorizer: request.authorizer,
      });
    } catch (error) {
      throw new Error(`${request.method} ${short(request.url, 200)} body ${short(request.raw)}: the handler threw: ${(error as Error).stack}`);
    }
    result.raw = answered?.body ?? '';
    result.body = parseOrUndefined(result.raw);
    const contentType = (result.headers['content-type'] ?? '').toLowerCase();
    if (result.raw && /json/.test(contentType) && result.body === undefined) {
      throw new Error(`${request.method} ${short(request.url, 200)}: answered ${contentType} that is not JSON: ${short(result.raw)}`);
    }
    const errors = logged.splice(0);
    tally.add(request.route, result.status);
    labels.add(`${request.route} · ${label}`, result.status);
    const requestText = `${request.url}\n${request.raw ?? ''}\n${decodeSafely(request.url)}`;
    const violations = answerViolations(result, { secrets: [PRESENTED_TOKEN], requestText });
    for (const error of errors) violations.push({ rule: 'logged error', detail: error.slice(0, 500) });
    const after = await snapshots.take(request.appId);
    last = { appId: request.appId, snapshot: after };
    if (result.status >= 400 || request.method === 'GET') {
      const changes = diffSnapshots(before, after);
      if (changes.length) violations.push({ rule: 'state changed', detail: `HTTP ${result.status} but ${changes.slice(0, 5).join(', ')}` });
    }
    if (violations.length) {
      const message = describeViolations(`${request.method} ${short(request.url, 300)} (${label}) body ${short(request.raw)} headers ${short(JSON.stringify(request.headers ?? {}))}`, violations);
      if (!KEEP_GOING) throw new Error(message);
      const key = `${request.route} ${result.status} ${violations.map((v) => v.rule).join(',')} ${label}`;
      if (!found.has(key)) found.set(key, message);
    }
    return result;
  };

  /**
   * Runs a property for the scale's number of runs. fast-check's own report would print the
   * (sometimes megabyte-long) counterexample; this reports the short description `send` made.
   */
  const check = async <T>(arb: fc.Arbitrary<T>, body: (value: T) => Promise<void>, numRuns = scaledRuns(25, 600)): Promise<void> => {
    const out = await fc.check(fc.asyncProperty(arb, body), { numRuns, seed: seed(), endOnFailure: true });
    if (out.failed) {
      const error = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
      throw new Error(`${error.slice(0, 4000)}\n(fast-check seed ${out.seed}, path ${out.counterexamplePath})`);
    }
    if (found.size) {
      const all = [...found.values()];
      found.clear();
      throw new Error(`${all.length} distinct violations:\n${all.map((m) => m.slice(0, 1500)).join('\n')}`);
    }
  };

  return { send, check, invalidate, tally, labels, snapshots };
};

const parseOrUndefined = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

const decodeSafely = (url: string): string => {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
};
