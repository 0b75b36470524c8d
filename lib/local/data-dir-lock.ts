/**
 * One local gateway per data directory. A second one on the same directory would start a second
 * DynamoDB Local on the same database files, a second stream poller on the same checkpoint, and
 * rewrite `local.json` so the CLI points at whichever started last. So `<data dir>/gateway.lock`
 * names the gateway that owns the directory (pid, and its API URL once the port is bound), and a
 * second start refuses before it changes anything.
 *
 * A lock whose process is gone (killed outright, machine restarted) is stale and taken over with a
 * notice. A pid can be reused by an unrelated process after a restart, so where /proc exists the
 * lock also records the process's start time and a different start time means stale too.
 * The lock is created with link(2) from a complete temporary file, so no reader ever sees it half
 * written, and two starts cannot both create it.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LocalStartError } from './dynamodb-local';

export const LOCK_FILE = 'gateway.lock';

const LockSchema = z.object({
  pid: z.number().int().positive(),
  /** Process start time (clock ticks since boot, /proc/<pid>/stat field 22); absent without /proc. */
  started: z.string().optional(),
  /** Unset while the gateway is still starting. */
  apiUrl: z.string().optional(),
  /** Tells this lock from any other lock a later gateway writes at the same path. */
  nonce: z.string(),
});
export type LockContent = z.infer<typeof LockSchema>;

export interface DataDirLock {
  /** Records the API URL once the port is bound, for the message a second start prints. */
  setApiUrl(apiUrl: string): void;
  /** Removes the lock if it is still this gateway's. Safe to call twice. */
  release(): void;
}

/** When the process `pid` started, from /proc; undefined where there is no /proc or no such process. */
export const processStartOf = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "<pid> (<comm>) <state> <ppid> …": comm may hold spaces or ")", so count fields after the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether the process a lock names is still the one that wrote it. */
export const isHeld = (lock: LockContent): boolean => {
  if (!isAlive(lock.pid)) return false;
  if (lock.started === undefined) return true;
  const started = processStartOf(lock.pid);
  return started === undefined || started === lock.started;
};

const readLock = (file: string): LockContent | undefined => {
  try {
    const parsed = LockSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const writeAtomically = (file: string, content: LockContent, replace: boolean): void => {
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  try {
    if (replace) renameSync(tmp, file);
    else linkSync(tmp, file); // fails with EEXIST when another gateway holds it
  } finally {
    rmSync(tmp, { force: true });
  }
};

const inUse = (dataDir: string, lock: LockContent): LocalStartError =>
  new LocalStartError(
    `The data directory ${dataDir} is in use: a gateway is already running (pid ${lock.pid}, ${lock.apiUrl ?? 'still starting'}). ` +
      `Stop it (Ctrl-C in its terminal, or "kill ${lock.pid}"), or start this one with another --data-dir.`,
  );

/**
 * Takes the data directory for this process, or throws a LocalStartError naming the gateway that
 * holds it. `notice` is told when a stale lock is taken over.
 */
export const lockDataDir = (dataDir: string, notice: (text: string) => void): DataDirLock => {
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, started: processStartOf(process.pid), nonce: randomUUID() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeAtomically(file, mine, false);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const held = readLock(file);
    if (held && isHeld(held)) throw inUse(dataDir, held);
    // Stale (or unreadable): move it aside, and only drop it if it is still the stale one, not a
    // lock another starting gateway wrote since it was read.
    const aside = `${file}.${process.pid}.stale`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = readLock(aside);
    if (moved && moved.nonce !== held?.nonce && isHeld(moved)) {
      renameSync(aside, file);
      throw inUse(dataDir, moved);
    }
    rmSync(aside, { force: true });
    notice(
      held
        ? `Note: a gateway (pid ${held.pid}) did not stop cleanly on ${dataDir}; it is no longer running, so this one takes over its data.`
        : `Note: ${file} was unreadable; this gateway takes over ${dataDir}.`,
    );
  }

  let released = false;
  const stillMine = () => readLock(file)?.nonce === mine.nonce;
  return {
    setApiUrl(apiUrl) {
      if (!released && stillMine()) writeAtomically(file, { ...mine, apiUrl }, true);
    },
    release() {
      if (released) return;
      released = true;
      if (stillMine()) rmSync(file, { force: true });
    },
  };
};
