/**
 * The console imports the server's JSON types and its token limit instead of copies: types vanish
 * from the bundle, and the one value it takes from lambdas/ is a leaf. This bundles the console for
 * the browser (esbuild, as Vite does with Rollup) and lists every file that went in, so a server
 * module (the AWS SDK, node:crypto, a store) reaching the page fails here.
 */
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');

/** The only files outside console/src the page may carry. */
const SERVER_LEAVES = ['lambdas/admin/live-tokens.ts', 'lambdas/events/event-types.ts'];

describe('console bundle', () => {
  it('carries console/src and the server leaves it imports values from, nothing else', async () => {
    const result = await build({
      entryPoints: [path.join(ROOT, 'console/src/main.ts')],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'browser',
      format: 'esm',
      outdir: path.join(ROOT, 'out'),
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs).map((file) => path.relative(ROOT, path.resolve(ROOT, file)));
    expect(inputs.filter((file) => !file.startsWith('console/src/')).sort()).toEqual(SERVER_LEAVES);
    // The server's JSON types were used: the views read them from lambdas/admin/api-json.ts.
    expect(inputs).toEqual(expect.arrayContaining(['console/src/views/app.ts', 'console/src/live-tokens.ts']));
  });
});
