/**
 * Runs the real CLI as `npm start` does (`node bin/scim-gateway.js local …`, tsx loaded in-process) as a child process for the local
 * gateway's own end-to-end tests (exit codes, stderr, restarts, process tree), waits for its
 * banner and reads back `<data dir>/local.json`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalState } from '../../lib/local/local-state';

export const ROOT = path.resolve(__dirname, '../..');
// Not the tsx CLI: it relays a signal and, when the child has not acknowledged it within 30 ms (a
// busy machine), sends it again and then SIGKILLs the child and exits 143 — a test artifact.
const CLI = path.join(ROOT, 'bin/scim-gateway.js');

export interface GatewayProcess {
  child: ChildProcess;
  output(): string;
  errors(): string;
  /** Resolves with the exit code (or 128 + signal number). */
  exited: Promise<number>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export const spawnGateway = (args: string[], env: NodeJS.ProcessEnv = {}): GatewayProcess => {
  const child = spawn(process.execPath, [CLI, 'local', ...args], {
    cwd: ROOT,
    env: { ...process.env, SCIM_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let exitCode: number | undefined;
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? 128 + (SIGNALS[signal ?? ''] ?? 1);
      resolve(exitCode);
    });
  });

  const waitFor = async (pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(stdout);
      if (match) return match;
      if (exitCode !== undefined) throw new Error(`The gateway exited (${exitCode}) before printing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`The gateway did not print ${pattern} in time.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  return {
    child,
    output: () => stdout,
    errors: () => stderr,
    exited,
    waitFor,
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
  };
};

/** A fresh temporary data directory for one test. */
export const tempDir = (label: string): string => mkdtempSync(path.join(tmpdir(), `scim-e2e-${label}-`));

/** Polls `condition` every 100 ms; throws naming `what` after `timeoutMs`. */
export const waitUntil = async (condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export const readLocalJson = (dataDir: string): LocalState => JSON.parse(readFileSync(path.join(dataDir, 'local.json'), 'utf8')) as LocalState;

/** Every process below `pid`, with its command name. */
export const descendantsOf = (pid: number): Array<{ pid: number; command: string }> => {
  const table = spawnSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' }).stdout;
  const rows = table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 3)
    .map(([p, pp, command]) => ({ pid: Number(p), ppid: Number(pp), command }));
  const found: Array<{ pid: number; command: string }> = [];
  const walk = (parent: number) => {
    for (const row of rows.filter((r) => r.ppid === parent)) {
      found.push({ pid: row.pid, command: row.command });
      walk(row.pid);
    }
  };
  walk(pid);
  return found;
};

/** True while `pid` is a live process (a zombie awaiting its parent counts as gone). */
export const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return state !== '' && !state.startsWith('Z');
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
