/**
 * Times a bundle's cold start in a fresh Node process: `require` of the bundle (Lambda's INIT
 * phase) and its first invocation. DynamoDB is a loopback HTTP server in that process answering
 * every call with an empty result, so the first call pays the SDK's connection and credential
 * set-up as in Lambda, without a network. The probe is plain CommonJS, written to a temp file.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface InitTiming {
  loadMs: number;
  firstInvokeMs: number;
  /** HTTP status, or "Unauthorized"/"ok" for non-HTTP handlers. */
  outcome: string;
}

const PROBE = String.raw`
const http = require('node:http');
const [bundle, eventJson, kind] = process.argv.slice(2);
const answers = {
  GetItem: {}, Query: { Items: [], Count: 0, ScannedCount: 0 }, BatchGetItem: { Responses: {}, UnprocessedKeys: {} },
};
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const op = String(req.headers['x-amz-target'] || '').split('.').pop();
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify(answers[op] || {}));
  });
});
server.listen(0, '127.0.0.1', async () => {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:' + server.address().port;
  const context = { awsRequestId: 'probe', functionName: 'probe', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 29000,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:probe', callbackWaitsForEmptyEventLoop: false };
  const t0 = performance.now();
  const mod = require(bundle);
  const t1 = performance.now();
  let outcome;
  try {
    const result = await mod.handler(JSON.parse(eventJson), context);
    outcome = kind === 'http' ? String(result.statusCode) : 'ok';
  } catch (error) {
    outcome = String(error && error.message);
  }
  const t2 = performance.now();
  process.stdout.write('\nBENCH_INIT ' + JSON.stringify({ loadMs: t1 - t0, firstInvokeMs: t2 - t1, outcome }) + '\n');
  server.close();
  process.exit(0);
});
`;

export const writeProbe = (dir: string): string => {
  const file = path.join(dir, 'init-probe.cjs');
  writeFileSync(file, PROBE);
  return file;
};

export const runProbe = (
  probe: string,
  bundle: string,
  event: unknown,
  kind: 'http' | 'other',
  options: { sourceMaps: boolean },
): Promise<InitTiming> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'probe',
      AWS_SECRET_ACCESS_KEY: 'probe',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      SCIM_TABLE_NAME: 'probe',
      SCIM_REPORT_TABLE_NAME: 'probe-reports',
      SCIM_SECRET_STORE: 'secrets-manager',
      POWERTOOLS_SERVICE_NAME: 'scim-gateway',
      // The stack sets this (lib/gateway/functions.ts): source maps are read when the bundle loads.
      ...(options.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
    };
    const child = spawn(process.execPath, [probe, bundle, JSON.stringify(event), kind], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('BENCH_INIT '));
      if (!line) return reject(new Error(`init probe of ${bundle} failed (exit ${code}): ${err.slice(-500)}`));
      resolve(JSON.parse(line.slice('BENCH_INIT '.length)) as InitTiming);
    });
  });
