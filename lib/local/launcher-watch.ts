/**
 * Notices when whatever launched the gateway has gone away without passing on a signal.
 * `npm start` runs `sh -c "exec node bin/scim-gateway.js local"`, so the gateway is npm's own child
 * and gets the SIGINT/SIGTERM npm forwards (without `exec`, `sh` would receive them and pass
 * nothing on). But npm killed outright (SIGKILL), or a wrapper shell that does not exec, tells the
 * gateway nothing, and it would run on, orphaned, with its Java. So we remember our parent and
 * grandparent and stop when either changes. (Ctrl-C in a terminal reaches the whole process group.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The parent pid of `pid`, from /proc where there is one, else from `ps`. */
export const parentPidOf = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "<pid> (<comm>) <state> <ppid> …": comm may hold spaces or parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    // No /proc (macOS) or the process is gone.
  }
  if (process.platform === 'win32') return undefined;
  const result = spawnSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' });
  const ppid = Number(result.stdout?.trim());
  return result.status === 0 && Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
};

/** Calls `onGone` once when our parent or grandparent process changes. Returns a canceller. */
export const watchLauncher = (onGone: () => void, intervalMs = process.platform === 'linux' ? 1000 : 2000): (() => void) => {
  const parent = process.ppid;
  const grandparent = parentPidOf(parent);
  const timer = setInterval(() => {
    const orphaned = process.ppid !== parent || (grandparent !== undefined && parentPidOf(parent) !== grandparent);
    if (!orphaned) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};
