/**
 * The local gateway (`scim-gateway local --in-memory`) as a separate Node process, started the way
 * `npm start` starts it but without the tsx wrapper process, so its pid is the gateway itself and
 * its CPU time can be read from /proc (the DynamoDB Local JVM is its child, counted apart).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface GatewayProcess {
  apiUrl: string;
  tenantUrl: string;
  secretToken: string;
  adminToken: string;
  pid: number;
  /** User + system CPU time of the gateway process so far, in ms (Linux /proc only). */
  cpuMs(): number | undefined;
  /** The same, split into user and kernel time. */
  cpuTimes(): CpuTimes | undefined;
  /** Bytes the process has written to stdout and stderr so far (its handlers' logs; no access log). */
  outputBytes(): number;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin', 'scim-gateway.ts');

let ticksPerSecond: number | undefined;
const clockTicks = (): number => {
  if (ticksPerSecond === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(out.stdout?.trim()) || 100;
  }
  return ticksPerSecond;
};

export interface CpuTimes {
  userMs: number;
  systemMs: number;
}

/** utime and stime of a process, in ms; undefined off Linux. */
export const processCpuTimes = (pid: number): CpuTimes | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userMs: (Number(fields[11]) * 1000) / clockTicks(), systemMs: (Number(fields[12]) * 1000) / clockTicks() };
  } catch {
    return undefined;
  }
};

export const processCpuMs = (pid: number): number | undefined => {
  const times = processCpuTimes(pid);
  return times && times.userMs + times.systemMs;
};

const waitForFile = async (file: string, child: ChildProcess, log: () => string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (child.exitCode !== null) throw new Error(`The local gateway exited (code ${child.exitCode}) while starting:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`The local gateway did not start within ${timeoutMs / 1000} s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export const isGatewayAvailable = (): boolean => existsSync(CLI) && existsSync(path.join(ROOT, 'lib', 'local', 'gateway.ts'));

export const startGatewayProcess = async (): Promise<GatewayProcess> => {
  if (!isGatewayAvailable()) throw new Error('The local gateway (lib/local/gateway.ts, bin/scim-gateway.ts) is not in this tree.');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'scim-bench-gateway-'));
  // The gateway sets its own endpoint and tables; none of this process's may leak into it.
  // INFO is the level a deployed function logs at (config.ts's default), so the log bytes counted are a deployment's.
  const env: NodeJS.ProcessEnv = { ...process.env, SCIM_LOG_LEVEL: 'INFO' };
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS', 'SCIM_TABLE_NAME', 'SCIM_REPORT_TABLE_NAME', 'NODE_OPTIONS']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'local', '--in-memory', '--port', '0', '--data-dir', dataDir, '--quiet'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let outputBytes = 0;
  const keep = (chunk: Buffer) => {
    outputBytes += chunk.length;
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const log = () => output.join('').split('\n').slice(-20).join('\n');
  // If the bench dies, the gateway (which stops its own JVM) must not outlive it.
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForFile(path.join(dataDir, 'local.json'), child, log, 60_000);
    const state = JSON.parse(readFileSync(path.join(dataDir, 'local.json'), 'utf8')) as {
      apiUrl: string;
      adminToken: string;
      apps: { tenantUrl: string; secretToken: string }[];
    };
    const pid = child.pid!;
    return {
      apiUrl: state.apiUrl.replace('localhost', '127.0.0.1'),
      tenantUrl: state.apps[0].tenantUrl.replace('localhost', '127.0.0.1'),
      secretToken: state.apps[0].secretToken,
      adminToken: state.adminToken,
      pid,
      cpuMs: () => processCpuMs(pid),
      cpuTimes: () => processCpuTimes(pid),
      outputBytes: () => outputBytes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the gateway uses under 5 % of a core for two half-second windows (at most 60 s):
 * its stream consumer has caught up with earlier writes. Returns its idle CPU rate (ms per s).
 */
export const waitForIdle = async (gateway: GatewayProcess): Promise<number> => {
  let quiet = 0;
  for (let waited = 0; waited < 60_000 && quiet < 2; waited += 500) {
    const before = gateway.cpuMs() ?? 0;
    await sleep(500);
    quiet = (gateway.cpuMs() ?? 0) - before < 25 ? quiet + 1 : 0;
  }
  const before = gateway.cpuMs() ?? 0;
  const started = performance.now();
  await sleep(1000);
  return ((gateway.cpuMs() ?? 0) - before) / ((performance.now() - started) / 1000);
};
