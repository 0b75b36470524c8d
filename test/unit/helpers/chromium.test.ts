/**
 * The browser lookup of the console tests: CHROMIUM_PATH, then a system Chromium on PATH, then the
 * Chromium inside the @sparticuz/chromium package, so `npm test` passes on a machine that has no
 * browser of its own. Fake browsers are small shell scripts in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findChromium } from '../../helpers/chromium';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'chromium-lookup-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const fakeBrowser = (relative: string, mode = 0o755): string => {
  const file = path.join(dir, relative);
  writeFileSync(file, '#!/bin/sh\necho fake\n');
  chmodSync(file, mode);
  return file;
};

describe('findChromium', () => {
  it('takes CHROMIUM_PATH before a system Chromium on PATH', async () => {
    fakeBrowser('chromium');
    const configured = fakeBrowser('my-chrome');
    await expect(findChromium({ env: { CHROMIUM_PATH: configured, PATH: dir } })).resolves.toEqual({ executablePath: configured, source: 'CHROMIUM_PATH' });
  });

  it('refuses a CHROMIUM_PATH that is not an executable file instead of picking another browser', async () => {
    fakeBrowser('chromium');
    const notExecutable = fakeBrowser('not-a-browser', 0o644);
    await expect(findChromium({ env: { CHROMIUM_PATH: notExecutable, PATH: dir } })).rejects.toThrow(`CHROMIUM_PATH is set to ${notExecutable}`);
    await expect(findChromium({ env: { CHROMIUM_PATH: path.join(dir, 'missing'), PATH: dir } })).rejects.toThrow(/not an executable file/);
  });

  it.each(['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'])('finds a system browser named %s on PATH', async (name) => {
    const system = fakeBrowser(name);
    await expect(findChromium({ env: { PATH: `/nonexistent${path.delimiter}${dir}` }, cacheDir: path.join(dir, 'cache') })).resolves.toEqual({
      executablePath: system,
      source: 'system',
    });
  });

  it('skips a file on PATH that is not executable', async () => {
    fakeBrowser('chromium', 0o644);
    const chrome = fakeBrowser('google-chrome');
    await expect(findChromium({ env: { PATH: dir } })).resolves.toMatchObject({ executablePath: chrome });
  });

  it('without CHROMIUM_PATH or a system browser, unpacks the Chromium inside @sparticuz/chromium once, and it runs', async () => {
    const cacheDir = path.join(dir, 'cache');
    const found = await findChromium({ env: { PATH: dir }, cacheDir });

    expect(found.source).toBe('@sparticuz/chromium');
    expect(found.executablePath.startsWith(cacheDir)).toBe(true);
    const version = spawnSync(found.executablePath, ['--version'], { encoding: 'utf8' });
    expect(version.stdout).toMatch(/^Chromium \d+\./);

    // The second lookup reuses the unpacked binary and leaves no partial file behind.
    const unpackedAt = statSync(found.executablePath).mtimeMs;
    await expect(findChromium({ env: { PATH: dir }, cacheDir })).resolves.toEqual(found);
    expect(statSync(found.executablePath).mtimeMs).toBe(unpackedAt);
    expect(readdirSync(path.dirname(found.executablePath)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('on a platform the package has no Chromium for, says how to provide one', async () => {
    await expect(findChromium({ env: { PATH: dir }, platform: 'darwin', arch: 'arm64' })).rejects.toThrow(
      /No Chromium found.*Linux x64 only \(this is darwin arm64\).*Set CHROMIUM_PATH/,
    );
  });
});
