/**
 * What a Lambda container sets up once, without any AWS client: its configuration, read from the
 * environment on first use with the log level applied, and entry points built on the first
 * invocation. The console function needs nothing more, so its bundle carries no SDK; the others
 * build their runtime (runtime.ts: the clients) from this configuration.
 */
import { loadConfig, type Config } from './config';
import { useLogLevel } from './logger';

let config: Config | undefined;

/** The container's configuration, read once; its log level is the logger's. */
export const containerConfig = (): Config => {
  if (!config) {
    config = loadConfig();
    useLogLevel(config.SCIM_LOG_LEVEL);
  }
  return config;
};

/**
 * A Lambda entry point whose handler is built on the container's first invocation, so importing a
 * handler module (a test, the local gateway's loader, the bundler's analysis) sets nothing up.
 */
export const onFirstInvocation = <E, C, R>(build: () => (event: E, context: C) => R): ((event: E, context: C) => R) => {
  let built: ((event: E, context: C) => R) | undefined;
  return (event, context) => (built ??= build())(event, context);
};
