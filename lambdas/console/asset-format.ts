/**
 * The format of the built admin console's files: how one is stored (`ConsoleAsset`), which content
 * types it may have, and the page's name and base placeholder. The files themselves are in the
 * generated `assets.ts` beside this (see console/build.ts): a module, so esbuild bundles them into
 * the Lambda function and the local gateway imports the same bytes, with no copy step anywhere.
 */

export interface ConsoleAsset {
  contentType: string;
  /** UTF-8 text, or base64 when `base64` is set (binary files). */
  body: string;
  base64?: true;
  /** Content-hashed name: a new build gets a new name, so browsers may keep it for a year. */
  immutable?: true;
}

/** Content types by file extension; the build refuses a file whose type is not listed. */
export const CONTENT_TYPES: Readonly<Record<string, { type: string; binary: boolean }>> = {
  html: { type: 'text/html; charset=utf-8', binary: false },
  js: { type: 'text/javascript; charset=utf-8', binary: false },
  css: { type: 'text/css; charset=utf-8', binary: false },
  svg: { type: 'image/svg+xml', binary: false },
  json: { type: 'application/json', binary: false },
  txt: { type: 'text/plain; charset=utf-8', binary: false },
  png: { type: 'image/png', binary: true },
  ico: { type: 'image/x-icon', binary: true },
  woff2: { type: 'font/woff2', binary: true },
};

/** The page itself; the handler points its `<base href>` at the console's own URL. */
export const CONSOLE_INDEX = 'index.html';
/** What the built index.html carries in place of the real base URL. */
export const BASE_PLACEHOLDER = '<base href="./">';
