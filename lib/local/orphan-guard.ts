/**
 * Makes sure a child process (DynamoDB Local's JVM) does not outlive this one, however this one
 * ends — SIGKILL included, when no `exit` handler runs. A small detached watcher holds the read end
 * of a pipe from us; when the pipe closes without a "release" message, it stops the child.
 */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

const WATCHER = `
let released = false;
process.stdin.on('data', (d) => { if (String(d).includes('release')) released = true; });
process.stdin.on('end', () => {
  if (released) process.exit(0);
  const pid = Number(process.argv[1]);
  try { process.kill(pid, 'SIGTERM'); } catch { process.exit(0); }
  setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); }, 5000);
});
process.stdin.resume();
`;

export interface OrphanGuard {
  /** The child was stopped in an orderly way: the watcher leaves without touching it. */
  release(): void;
}

export const guardChildProcess = (childPid: number): OrphanGuard => {
  // Detached: a Ctrl-C to our process group must not take the watcher down before it is needed.
  const watcher = spawn(process.execPath, ['-e', WATCHER, String(childPid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  watcher.unref();
  (watcher.stdin as unknown as Socket | null)?.unref();
  watcher.stdin?.on('error', () => undefined);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      watcher.stdin?.end('release\n');
    },
  };
};
