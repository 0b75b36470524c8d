/**
 * The real thing, offline: `npx cdk synth` runs bin/app.ts (cdk-nag included) and bundles every
 * function with local esbuild. The bundles are then checked as Lambda gets them:
 * without the SDK's credential chain or embedded sources, and one of them run in a fresh Node
 * process against a loopback DynamoDB, signing with the keys Lambda puts in the environment.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './gateway-fixture';
import { apiEvent, appAuthorizerContext } from '../../bench/lib/events';

describe('cdk synth', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scgw-synth-'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the app offline, cdk-nag clean, with every function bundled', () => {
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', outdir], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      encoding: 'utf8',
      timeout: 600_000, // a dozen esbuild bundles on a shared 2-core machine; no timing is asserted
    });
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });

    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ScimGateway.template.json'), 'utf8'));
    const functions = Object.values(template.Resources as Record<string, { Type: string; Metadata?: Record<string, string> }>).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      const asset = fn.Metadata?.['aws:asset:path'];
      expect(fs.existsSync(path.join(outdir, asset ?? 'missing', 'index.js'))).toBe(true);
    }
    bundles = Object.fromEntries(
      functions.map((fn) => [fn.Metadata?.['aws:cdk:path'] ?? '', path.join(outdir, fn.Metadata?.['aws:asset:path'] ?? 'missing')]),
    );
  }, 660_000);

  it('bundles no SDK credential chain and no embedded sources in the source maps', () => {
    expect(Object.keys(bundles).length).toBeGreaterThan(0);
    for (const [fn, dir] of Object.entries(bundles)) {
      const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      // The chain's SSO, web-identity and container steps, which a bundle with the chain carries.
      const chain = ['sso_start_url', 'AssumeRoleWithWebIdentity', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'].filter((s) => code.includes(s));
      const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.js.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      expect({ fn, chain, sourcesContent: map.sourcesContent ?? null, ownSources: map.sources.some((s) => s.includes('lambdas/handlers/')) }).toEqual({
        fn,
        chain: [],
        sourcesContent: null,
        ownSources: true,
      });
    }
  });

  it("runs a bundled function that signs with the environment's keys", async () => {
    const users = Object.entries(bundles).find(([fn]) => fn.endsWith('/UsersFunction/Resource'));
    expect(users).toBeDefined();
    const seen: string[] = [];
    const dynamodb = http.createServer((req, res) => {
      seen.push(`${req.headers['x-amz-target']} ${req.headers.authorization ?? ''}`);
      req.resume().on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 }));
      });
    });
    dynamodb.listen(0, '127.0.0.1');
    await once(dynamodb, 'listening');
    try {
      const event = apiEvent('GET', `/apps/app1/scim/v2/Users?filter=${encodeURIComponent('userName eq "nobody"')}`, appAuthorizerContext({ id: 'app1', name: 'App' }));
      const invoke = (keys: Record<string, string>) => runBundle(path.join(users![1], 'index.js'), event, (dynamodb.address() as AddressInfo).port, keys);
      const answer = await invoke({ AWS_ACCESS_KEY_ID: 'ASIATESTKEY', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });
      expect(JSON.parse(answer)).toMatchObject({ statusCode: 200 });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((line) => line.includes('Credential=ASIATESTKEY/'))).toBe(true);

      // Without keys nothing is signed: the request fails as an internal error, not a hang.
      seen.length = 0;
      const unsigned = JSON.parse(await invoke({})) as { statusCode: number; body: string };
      expect({ status: unsigned.statusCode, requests: seen.length }).toEqual({ status: 500, requests: 0 });
      expect(JSON.parse(unsigned.body)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500' });
    } finally {
      dynamodb.close();
    }
  }, 60_000);
});

let bundles: Record<string, string> = {};

/** Loads a bundle in a fresh Node process as Lambda would (source maps on) and prints its first answer. */
const runBundle = async (file: string, event: unknown, port: number, keys: Record<string, string>): Promise<string> => {
  const script = `require(${JSON.stringify(file)}).handler(JSON.parse(process.argv[1]), { awsRequestId: 'test', functionName: 'users', getRemainingTimeInMillis: () => 29000 })
    .then((r) => process.stdout.write(JSON.stringify(r)), (e) => process.stdout.write(JSON.stringify({ thrown: String(e) })));`;
  const child = spawn(process.execPath, ['-e', script, JSON.stringify(event)], {
    env: {
      PATH: process.env.PATH,
      NODE_OPTIONS: '--enable-source-maps',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
      SCIM_TABLE_NAME: 'gateway',
      SCIM_REPORT_TABLE_NAME: 'reports',
      SCIM_SECRET_STORE: 'secrets-manager',
      ...keys,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  await once(child, 'exit');
  return out;
};
