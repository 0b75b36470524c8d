import { spawn } from 'node:child_process';
import { parentPidOf } from '../../../lib/local/launcher-watch';

describe('parentPidOf', () => {
  it("gives this process's parent", () => {
    expect(parentPidOf(process.pid)).toBe(process.ppid);
  });

  it("gives a child's parent as this process", async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)']);
    try {
      expect(parentPidOf(child.pid ?? -1)).toBe(process.pid);
    } finally {
      child.kill();
    }
  });

  it('gives undefined for a process that does not exist', () => {
    expect(parentPidOf(2 ** 22 + 12345)).toBeUndefined();
  });
});
