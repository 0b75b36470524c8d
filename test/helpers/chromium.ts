/**
 * Finds the Chromium that the console's browser tests drive, and never downloads one:
 *
 * 1. `CHROMIUM_PATH`, when set. A path that is not an executable file is an error, so a typo never
 *    silently tests another browser.
 * 2. A system Chromium or Chrome on `PATH` (Debian's `chromium`, Ubuntu's `chromium-browser`,
 *    Google's `google-chrome`), as a developer machine usually has.
 * 3. The Chromium carried inside the `@sparticuz/chromium` dev dependency (a brotli'd headless
 *    Chromium for Linux x64, part of the npm tarball itself), unpacked once into
 *    `node_modules/.cache/`. It links against the system's NSS and expat, which Debian and Ubuntu
 *    images carry.
 *
 * The package's own `executablePath()` is not used: it unpacks to a fixed `/tmp/chromium` shared by
 * every version and every project on the machine, and trusts whatever file it finds there, so a run
 * stopped half-way through unpacking would leave a truncated browser that every later run reuses.
 * Here the binary goes to a directory named after the package version and only appears once it is
 * complete (written aside, then renamed).
 */
import { accessSync, constants, createReadStream, createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

export const SYSTEM_CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

export interface FoundChromium {
  executablePath: string;
  /** Where it came from, for the test's messages. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

export interface ChromiumLookup {
  /** The environment to read `CHROMIUM_PATH` and `PATH` from. */
  env?: NodeJS.ProcessEnv;
  /** Where the packaged Chromium is unpacked (one subdirectory per package version). */
  cacheDir?: string;
  platform?: NodeJS.Platform;
  arch?: string;
}

const ROOT = path.resolve(__dirname, '../..');
const DEFAULT_CACHE_DIR = path.join(ROOT, 'node_modules/.cache/scim-gateway-chromium');

const isExecutableFile = (file: string): boolean => {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first of `names` found as an executable file in one of `PATH`'s directories. */
export const findOnPath = (names: readonly string[], searchPath: string | undefined): string | undefined => {
  const dirs = (searchPath ?? '').split(path.delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
};

/** The root of the installed `@sparticuz/chromium` package, or undefined when it is not installed. */
const packagedChromiumRoot = (): string | undefined => {
  try {
    // Its `exports` map hides package.json; the CommonJS entry sits at build/cjs/index.cjs.
    return path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '../..');
  } catch {
    return undefined;
  }
};

/** Unpacks the package's `bin/chromium.br` once per package version and returns the binary's path. */
export const unpackPackagedChromium = async (packageRoot: string, cacheDir: string): Promise<string> => {
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(cacheDir, version, 'chromium');
  if (isExecutableFile(target)) return target;
  mkdirSync(path.dirname(target), { recursive: true });
  // Written aside and renamed: the binary at `target` is always whole, even if this run is stopped.
  const partial = `${target}.${process.pid}.partial`;
  try {
    await pipeline(createReadStream(path.join(packageRoot, 'bin/chromium.br')), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  return target;
};

export const findChromium = async (lookup: ChromiumLookup = {}): Promise<FoundChromium> => {
  const env = lookup.env ?? process.env;
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (!isExecutableFile(configured)) throw new Error(`CHROMIUM_PATH is set to ${configured}, which is not an executable file.`);
    return { executablePath: configured, source: 'CHROMIUM_PATH' };
  }

  const system = findOnPath(SYSTEM_CHROMIUM_NAMES, env.PATH);
  if (system) return { executablePath: system, source: 'system' };

  const platform = lookup.platform ?? process.platform;
  const arch = lookup.arch ?? process.arch;
  const packageRoot = packagedChromiumRoot();
  if (platform === 'linux' && arch === 'x64' && packageRoot) {
    return { executablePath: await unpackPackagedChromium(packageRoot, lookup.cacheDir ?? DEFAULT_CACHE_DIR), source: '@sparticuz/chromium' };
  }
  throw new Error(
    `No Chromium found: CHROMIUM_PATH is not set, none of ${SYSTEM_CHROMIUM_NAMES.join(', ')} is on PATH, ` +
      `and the Chromium inside @sparticuz/chromium ${packageRoot ? `runs on Linux x64 only (this is ${platform} ${arch})` : 'is not installed (run npm ci)'}. ` +
      'Set CHROMIUM_PATH to a Chromium or Chrome binary, or install one (Debian: apt-get install -y chromium).',
  );
};
