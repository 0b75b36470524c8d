/**
 * Bundles a Lambda entry with esbuild exactly as the stack ships it. The settings are read from
 * the construct (`lib/gateway/functions.ts` `BUNDLING`, imported only at run time so the bench
 * does not depend on the CDK code being present) and translated to the flags NodejsFunction
 * passes esbuild (--bundle --platform=node --target --format --minify --sourcemap --keep-names
 * --external). Without the construct, the documented settings are used.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

export interface BundleSettings {
  format: 'cjs' | 'esm';
  minify: boolean;
  sourcemap: boolean;
  /** Whether the source map embeds the sources (esbuild's default). */
  sourcesContent: boolean;
  keepNames: boolean;
  /** Packages replaced by other modules (esbuild `--alias`), paths relative to the project root. */
  alias: Record<string, string>;
  /** package.json fields esbuild resolves (ES builds first shrink the SDK). */
  mainFields?: string[];
  target: string;
  external: string[];
  /** Where the settings came from. */
  source: string;
}

/** The settings named in issue 8 and lib/gateway/functions.ts: minified CJS for node22, SDK bundled. */
export const DOCUMENTED_SETTINGS: BundleSettings = {
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: true,
  keepNames: true,
  alias: {},
  target: 'node22',
  external: [],
  source: 'documented defaults (lib/gateway/functions.ts not found)',
};

const ROOT = path.resolve(__dirname, '../..');

interface CdkBundling {
  format?: string;
  minify?: boolean;
  sourceMap?: boolean;
  sourcesContent?: boolean;
  keepNames?: boolean;
  esbuildArgs?: Record<string, string | boolean | string[]>;
  mainFields?: string[];
  target?: string;
  externalModules?: string[];
}

/** NodejsFunction's `--alias` esbuild arguments (`old=new`, one or a list) as esbuild's `alias` option. */
const aliasesOf = (args: CdkBundling['esbuildArgs']): Record<string, string> => {
  const value = args?.['--alias'];
  const pairs = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
};

export const stackBundleSettings = async (): Promise<BundleSettings> => {
  const file = path.join(ROOT, 'lib', 'gateway', 'functions.ts');
  if (!existsSync(file)) return DOCUMENTED_SETTINGS;
  const mod = (await import(file)) as { BUNDLING?: CdkBundling };
  const b = mod.BUNDLING;
  if (!b) return DOCUMENTED_SETTINGS;
  return {
    format: b.format === 'esm' ? 'esm' : 'cjs',
    minify: b.minify === true,
    sourcemap: b.sourceMap === true,
    sourcesContent: b.sourcesContent !== false,
    keepNames: b.keepNames === true,
    mainFields: b.mainFields,
    alias: aliasesOf(b.esbuildArgs),
    // NodejsFunction derives the target from the runtime when none is given.
    target: b.target ?? 'node22',
    // NodejsFunction leaves @aws-sdk/* external unless externalModules is given.
    external: b.externalModules ?? ['@aws-sdk/*'],
    source: 'lib/gateway/functions.ts BUNDLING',
  };
};

export interface BundleInfo {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  sdkBundled: boolean;
  /** Bytes of the bundle that come from @aws-sdk/* and @smithy/* (esbuild's output accounting). */
  sdkBytes: number;
  /** The largest contributors, by package (or "app" for our own code). */
  topPackages: { name: string; bytes: number }[];
  buildMs: number;
}

/** Output bytes per package: `@scope/name`, `name`, or "app" for files outside node_modules. */
const bytesByPackage = (metafile: Metafile): Map<string, number> => {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, info] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      const name = match ? match[1] : 'app';
      totals.set(name, (totals.get(name) ?? 0) + info.bytesInOutput);
    }
  }
  return totals;
};

export const bundleEntry = async (name: string, entry: string, outDir: string, settings: BundleSettings): Promise<BundleInfo> => {
  const file = path.join(outDir, name, settings.format === 'esm' ? 'index.mjs' : 'index.js');
  const started = performance.now();
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: settings.target,
    format: settings.format,
    minify: settings.minify,
    sourcemap: settings.sourcemap,
    sourcesContent: settings.sourcesContent,
    alias: settings.alias,
    keepNames: settings.keepNames,
    mainFields: settings.mainFields,
    external: settings.external,
    outfile: file,
    metafile: true,
    absWorkingDir: ROOT,
    logLevel: 'silent',
  });
  const buildMs = performance.now() - started;
  const bytes = statSync(file).size;
  const packages = bytesByPackage(result.metafile);
  const sdkBytes = [...packages].filter(([pkg]) => pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/')).reduce((sum, [, b]) => sum + b, 0);
  const topPackages = [...packages]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([pkg, b]) => ({ name: pkg, bytes: b }));
  return { name, file, bytes, gzipBytes: gzipSync(readFileSync(file), { level: 9 }).length, sdkBundled: sdkBytes > 0, sdkBytes, topPackages, buildMs };
};
