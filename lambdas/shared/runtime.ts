/**
 * One set-up per container: the configuration, read from the environment once (config.ts), and
 * the DynamoDB client built from it. A Lambda entry point builds it on its first invocation
 * (`runtime()`, through `onFirstInvocation`); tests and tools build their own with `createRuntime`.
 * Each handler module's factory takes it, and hands the stores what they need as arguments:
 * nothing below the handlers reads the environment or holds a client of its own.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../store/client';
import { loadConfig, type Config } from './config';
import { useLogLevel } from './logger';

export interface Runtime {
  readonly config: Config;
  /** The DynamoDB document client; its endpoint comes from the SDK's own `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly dynamo: DynamoDBDocumentClient;
}

/** A runtime from a configuration; `dynamo` defaults to a new client (tests may hand in an instrumented one). */
export const createRuntime = (config: Config, clients: { dynamo?: DynamoDBDocumentClient } = {}): Runtime => {
  useLogLevel(config.SCIM_LOG_LEVEL);
  return { config, dynamo: clients.dynamo ?? createDocumentClient() };
};

let container: Runtime | undefined;

/** The container's runtime, from the environment, built on first use. */
export const runtime = (): Runtime => (container ??= createRuntime(loadConfig()));

/**
 * A Lambda entry point whose handler is built on the container's first invocation, so importing a
 * handler module (a test, the local gateway's loader, the bundler's analysis) sets nothing up.
 */
export const onFirstInvocation = <E, C, R>(build: () => (event: E, context: C) => R): ((event: E, context: C) => R) => {
  let built: ((event: E, context: C) => R) | undefined;
  return (event, context) => (built ??= build())(event, context);
};
