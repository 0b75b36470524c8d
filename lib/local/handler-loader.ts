/**
 * Loads a Lambda handler module (`lambdas/handlers/<name>.ts`) on first use, once, the way a
 * Lambda container runs its module scope once. A failed import is retried on the next call, as
 * Lambda retries a failed init in a fresh container; the adapter answers it as a failed handler.
 */
import path from 'node:path';

/** A Lambda handler as our modules export it: `(event, context) => Promise<result>`. */
export type LambdaFunction = (event: never, context: never) => unknown;

export type HandlerLoader = (name: string) => Promise<LambdaFunction>;

const HANDLERS_DIR = path.resolve(__dirname, '../../lambdas/handlers');

export const createModuleLoader = (dir: string = HANDLERS_DIR): HandlerLoader => {
  const loaded = new Map<string, Promise<LambdaFunction>>();
  return (name) => {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) return Promise.reject(new Error(`Invalid handler name "${name}"`));
    const cached = loaded.get(name);
    if (cached) return cached;
    const file = path.join(dir, name);
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
