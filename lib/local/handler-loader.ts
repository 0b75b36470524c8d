/**
 * Loads a Lambda handler module (`lambdas/handlers/<name>.ts`) on first use, once, the way a
 * Lambda container runs its module scope once. Loading waits for the first request so the
 * gateway has set the environment (table names, secret file) the module reads at import time.
 * A module that does not exist yet is reported as not built; a failed import is retried on the
 * next call, as Lambda retries a failed init in a fresh container.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A Lambda handler as our modules export it: `(event, context) => Promise<result>`. */
export type LambdaFunction = (event: never, context: never) => unknown;

export type HandlerLoader = (name: string) => Promise<LambdaFunction>;

export class HandlerNotBuiltError extends Error {
  override readonly name = 'HandlerNotBuiltError';
  constructor(
    readonly handlerName: string,
    readonly file: string,
  ) {
    super(`The "${handlerName}" handler is not built yet: ${file} does not exist.`);
  }
}

export const HANDLERS_DIR = path.resolve(__dirname, '../../lambdas/handlers');

const EXTENSIONS = ['.ts', '.js'];

export const createModuleLoader = (dir: string = HANDLERS_DIR): HandlerLoader => {
  const loaded = new Map<string, Promise<LambdaFunction>>();
  return (name) => {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) return Promise.reject(new Error(`Invalid handler name "${name}"`));
    const cached = loaded.get(name);
    if (cached) return cached;
    const file = EXTENSIONS.map((ext) => path.join(dir, `${name}${ext}`)).find((candidate) => existsSync(candidate));
    if (!file) return Promise.reject(new HandlerNotBuiltError(name, path.relative(process.cwd(), path.join(dir, `${name}.ts`))));
    const loading = (async () => {
      const mod = (await import(file)) as { handler?: unknown; default?: { handler?: unknown } };
      const handler = mod.handler ?? mod.default?.handler;
      if (typeof handler !== 'function') throw new Error(`${file} does not export a "handler" function.`);
      return handler as LambdaFunction;
    })();
    loaded.set(name, loading);
    loading.catch(() => loaded.delete(name));
    return loading;
  };
};
