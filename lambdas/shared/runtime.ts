/**
 * One set-up per container: the configuration (container.ts) and the DynamoDB client built from
 * it. A Lambda entry point builds it on its first invocation (`runtime()`, through
 * `onFirstInvocation`); tests and tools build their own with `createRuntime`. Each handler
 * module's factory takes it, and hands the stores what they need as arguments: nothing below the
 * handlers reads the environment or holds a client of its own.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../store/client';
import type { Config } from './config';
import { containerConfig } from './container';
import { useLogLevel } from './logger';

export { onFirstInvocation } from './container';

export interface Runtime {
  readonly config: Config;
  /** The DynamoDB document client; its endpoint comes from the SDK's own `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly dynamo: DynamoDBDocumentClient;
}

/** A runtime from a configuration (its log level applied); `dynamo` defaults to a new client (tests may hand in an instrumented one). */
export const createRuntime = (config: Config, clients: { dynamo?: DynamoDBDocumentClient } = {}): Runtime => {
  useLogLevel(config.SCIM_LOG_LEVEL);
  return { config, dynamo: clients.dynamo ?? createDocumentClient() };
};

let container: Runtime | undefined;

/** The container's runtime, from its configuration, built on first use. */
export const runtime = (): Runtime => (container ??= createRuntime(containerConfig()));
