/**
 * The real `scim-gateway local` (what `npm start` runs) as a child process, for end-to-end tests:
 * spawn it, wait for its banner, read its local.json, and stop it with SIGTERM like a person would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalState } from '../../lib/local/local-state';

const ROOT = path.resolve(__dirname, '../..');

export interface GatewayProcess {
  child: ChildProcess;
  /** Everything printed on stdout so far. */
  output(): string;
  /** Everything printed on stderr so far. */
  errors(): string;
  /** Resolves when stdout has matched; rejects if the process exits first or after the timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The exit code, once the process has ended. */
  exited: Promise<number>;
  /** SIGTERM, then the exit code (SIGKILL after 20 s). */
  stop(): Promise<number>;
}

export const spawnGateway = (args: string[], env: Record<string, string> = {}): GatewayProcess => {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['bin/scim-gateway.ts', 'local', ...args], {
    cwd: ROOT,
    env: { ...process.env, SCIM_LOG_LEVEL: 'ERROR', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return {
    child,
    output: () => stdout,
    errors: () => stderr,
    exited,
    waitFor: async (pattern, timeoutMs = 90_000) => {
      const deadline = Date.now() + timeoutMs;
      let ended = false;
      void exited.then(() => (ended = true));
      while (!pattern.test(stdout)) {
        if (ended) throw new Error(`scim-gateway local exited before printing ${pattern}:\n${stdout}\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`scim-gateway local did not print ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
};

export const readLocalJson = (dataDir: string): LocalState => JSON.parse(readFileSync(path.join(dataDir, 'local.json'), 'utf8')) as LocalState;

/** Processes below `pid` (children, grandchildren…), from `ps`. */
export const descendantsOf = (pid: number): { pid: number; command: string }[] => {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  const rows = ps.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 3)
    .map(([p, pp, command]) => ({ pid: Number(p), ppid: Number(pp), command }));
  const found: { pid: number; command: string }[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const row of rows) {
      if (row.ppid === parent) {
        found.push({ pid: row.pid, command: row.command });
        queue.push(row.pid);
      }
    }
  }
  return found;
};

export const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Creates another application through the admin API of a running gateway. */
export const createApp = async (state: LocalState, name: string, requiredAttributes?: string[]) => {
  const res = await fetch(`${state.apiUrl}/admin/apps`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${state.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(requiredAttributes ? { name, requiredAttributes } : { name }),
  });
  if (res.status !== 201) throw new Error(`POST /admin/apps → ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; tenantUrl: string; secretToken: string };
};
