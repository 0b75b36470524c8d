/**
 * The local gateway's processes for real: what stops it (SIGINT/SIGTERM to `npm start`, npm or the
 * gateway killed outright) and that one data directory has one gateway (`gateway.lock`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../lib/local/dynamodb-local';
import { descendantsOf, isRunning, readLocalJson, ROOT, spawnGateway, tempDir, waitUntil, type GatewayProcess } from '../helpers/gateway-process';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const javaPidOf = (gateway: GatewayProcess): number => Number(/DynamoDB Local:\s+\S+ \(pid (\d+)\)/.exec(gateway.output())?.[1]);

describe('scim-gateway local killed outright', () => {
  it('SIGKILL of the gateway process → its Java is stopped by the orphan guard', async () => {
    const dataDir = tempDir('kill');
    const gateway = spawnGateway(['--in-memory', '--port', '0', '--data-dir', dataDir, '--quiet']);
    try {
      await gateway.waitFor(/Press Ctrl-C to stop/);
      const javaPid = javaPidOf(gateway);
      // The spawned node process runs the CLI itself (bin/scim-gateway.js) and is Java's parent.
      expect(descendantsOf(gateway.child.pid ?? -1)).toContainEqual({ pid: javaPid, command: 'java' });

      process.kill(gateway.child.pid ?? -1, 'SIGKILL');

      await waitUntil(() => !isRunning(javaPid), 'Java to exit', 20_000);
    } finally {
      await gateway.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('npm start', () => {
  /** `npm start` in its own data directory, output collected; resolves once the banner is out. */
  const startNpm = async (options: { ownProcessGroup?: boolean } = {}) => {
    const dataDir = tempDir('npm');
    const npm = spawn('npm', ['start', '--', '--in-memory', '--quiet'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(await freePort()), SCIM_GATEWAY_DATA_DIR: dataDir, SCIM_LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as in a terminal, so a test can signal the whole group like Ctrl-C.
      detached: options.ownProcessGroup === true,
    });
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    npm.stdout?.on('data', collect);
    npm.stderr?.on('data', collect);
    await waitUntil(() => /Press Ctrl-C to stop/.test(output), 'the banner');
    const javaPid = Number(/\(pid (\d+)\)/.exec(output)?.[1]);
    const below = descendantsOf(npm.pid ?? -1).map((p) => p.pid);
    expect(below).toContain(javaPid);
    return {
      npm,
      below,
      exited,
      output: () => output,
      cleanUp: () => {
        npm.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };

  it.each(['SIGINT', 'SIGTERM'] as const)('%s sent to the npm process alone (not its group) stops the gateway and its Java itself, as Ctrl-C does', async (signal) => {
    const run = await startNpm();
    try {
      run.npm.kill(signal);

      await waitUntil(() => run.below.every((pid) => !isRunning(pid)), 'every process below npm to exit', 20_000);
      // The gateway got the signal itself (npm forwards it), rather than noticing later that npm had gone.
      expect(run.output()).toContain('Stopping…');
      expect(run.output()).not.toContain('has gone');
    } finally {
      run.cleanUp();
    }
  }, 120_000);

  it('Ctrl-C (SIGINT to the whole process group, which npm forwards once more) stops the gateway once, in order: npm exits 0', async () => {
    const run = await startNpm({ ownProcessGroup: true });
    try {
      process.kill(-(run.npm.pid ?? 0), 'SIGINT');

      // A second SIGINT counted as a second Ctrl-C would exit at once with 130 instead.
      expect(await run.exited).toBe(0);
      await waitUntil(() => run.below.every((pid) => !isRunning(pid)), 'every process below npm to exit', 20_000);
      expect(run.output().match(/Stopping…/g)).toHaveLength(1);
    } finally {
      run.cleanUp();
    }
  }, 120_000);

  it('npm killed outright (SIGKILL, no signal passed on) → the gateway notices its launcher has gone and stops with its Java', async () => {
    const run = await startNpm();
    try {
      run.npm.kill('SIGKILL');

      await waitUntil(() => run.below.every((pid) => !isRunning(pid)), 'every process below npm to exit');
      expect(run.output()).toContain('the process that started it has gone');
    } finally {
      run.cleanUp();
    }
  }, 120_000);
});

describe('scim-gateway local owns its data directory', () => {
  let dataDir: string;
  let first: GatewayProcess;

  beforeAll(async () => {
    dataDir = tempDir('owned');
    first = spawnGateway(['--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);
    await first.waitFor(/Press Ctrl-C to stop/);
  }, 120_000);
  afterAll(async () => {
    await first?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second start on the data directory in use → exit 1 "already running (pid N, <apiUrl>)"; no DynamoDB Local, local.json untouched', async () => {
    const localJson = readFileSync(path.join(dataDir, 'local.json'), 'utf8');
    const { apiUrl } = readLocalJson(dataDir);
    const { pid } = JSON.parse(readFileSync(path.join(dataDir, 'gateway.lock'), 'utf8')) as { pid: number };

    const second = spawnGateway(['--port', String(await freePort()), '--data-dir', dataDir, '--quiet']);

    expect(await second.exited).toBe(1);
    expect(second.errors()).toContain(`already running (pid ${pid}, ${apiUrl})`);
    expect(second.errors()).not.toMatch(/^\s+at /m);
    expect(second.output()).not.toContain('DynamoDB Local');
    expect(readFileSync(path.join(dataDir, 'local.json'), 'utf8')).toBe(localJson);
    // The first gateway still serves, on the URL local.json names.
    const app = readLocalJson(dataDir).apps[0];
    expect((await fetch(`${app.tenantUrl}/ServiceProviderConfig`, { headers: bearer(app.secretToken) })).status).toBe(200);
  });

  it('a stale lock (its gateway was killed outright) is taken over with a notice, and released on stop', async () => {
    const dir = tempDir('stale');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(path.join(dir, 'gateway.lock'), JSON.stringify({ pid: dead, apiUrl: 'http://localhost:1', nonce: 'old' }));
    const gateway = spawnGateway(['--in-memory', '--port', '0', '--data-dir', dir, '--quiet']);
    try {
      await gateway.waitFor(/Press Ctrl-C to stop/);
      expect(gateway.output()).toContain(`a gateway (pid ${dead}) did not stop cleanly`);
      expect(await gateway.stop()).toBe(0);
      expect(existsSync(path.join(dir, 'gateway.lock'))).toBe(false);
    } finally {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
