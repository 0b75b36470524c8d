import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHeld, LOCK_FILE, lockDataDir, processStartOf, type LockContent } from '../../../lib/local/data-dir-lock';
import { LocalStartError } from '../../../lib/local/dynamodb-local';

const lockOf = (dir: string): LockContent => JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as LockContent;
const writeLock = (dir: string, content: Partial<LockContent>) => writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ nonce: 'other', ...content }));
/** A pid that was just used and is free now (its process has exited and was reaped). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid ?? 999_999;

describe('lockDataDir', () => {
  let dir: string;
  let other: ChildProcess;
  const notices: string[] = [];

  beforeAll(() => {
    // Another live process, to hold locks that are not ours.
    other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  });
  afterAll(() => {
    other.kill('SIGKILL');
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'scim-lock-'));
    notices.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a free data directory: the lock names this process, then its API URL; release removes it', () => {
    const lock = lockDataDir(dir, (t) => notices.push(t));
    expect(lockOf(dir)).toMatchObject({ pid: process.pid });
    expect(lockOf(dir).apiUrl).toBeUndefined();

    lock.setApiUrl('http://localhost:8080');
    expect(lockOf(dir)).toMatchObject({ pid: process.pid, apiUrl: 'http://localhost:8080' });

    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    expect(notices).toEqual([]);
  });

  it('a directory another running gateway holds → "already running (pid N, <apiUrl>)", and its lock is left as it was', () => {
    writeLock(dir, { pid: other.pid, started: processStartOf(other.pid ?? 0), apiUrl: 'http://localhost:8081' });
    const before = readFileSync(path.join(dir, LOCK_FILE), 'utf8');

    const attempt = () => lockDataDir(dir, (t) => notices.push(t));

    expect(attempt).toThrow(LocalStartError);
    expect(attempt).toThrow(`already running (pid ${other.pid}, http://localhost:8081)`);
    expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(before);
  });

  it('a gateway still starting (no API URL yet) is named as such', () => {
    writeLock(dir, { pid: other.pid });
    expect(() => lockDataDir(dir, () => undefined)).toThrow(`already running (pid ${other.pid}, still starting)`);
  });

  it('the same directory twice in one process → refused the second time', () => {
    const first = lockDataDir(dir, () => undefined);
    expect(() => lockDataDir(dir, () => undefined)).toThrow(`already running (pid ${process.pid}`);
    first.release();
  });

  it('a stale lock (its pid is gone) is taken over with a notice naming that pid', () => {
    const dead = deadPid();
    writeLock(dir, { pid: dead, apiUrl: 'http://localhost:8082' });

    const lock = lockDataDir(dir, (t) => notices.push(t));

    expect(lockOf(dir).pid).toBe(process.pid);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`pid ${dead}`);
    lock.release();
  });

  it('a lock whose pid now belongs to another process (another start time) is stale', () => {
    writeLock(dir, { pid: process.pid, started: 'not-this-process' });
    expect(isHeld(lockOf(dir))).toBe(process.platform !== 'linux');
    if (process.platform !== 'linux') return;

    lockDataDir(dir, (t) => notices.push(t)).release();
    expect(notices).toHaveLength(1);
  });

  it('an unreadable lock is taken over with a notice', () => {
    writeFileSync(path.join(dir, LOCK_FILE), '{"pid":');
    lockDataDir(dir, (t) => notices.push(t)).release();
    expect(notices).toHaveLength(1);
  });

  it('release leaves a lock that is no longer its own (taken over meanwhile) in place', () => {
    const lock = lockDataDir(dir, () => undefined);
    writeLock(dir, { pid: other.pid, apiUrl: 'http://localhost:9999' });

    lock.setApiUrl('http://localhost:8080');
    lock.release();

    expect(lockOf(dir)).toMatchObject({ pid: other.pid, apiUrl: 'http://localhost:9999' });
  });
});
