/**
 * One set-up per container: a Lambda entry point builds its handler (and the runtime) on its first
 * invocation and keeps it; the configured log level is the level every invocation starts at.
 */
import type { Context } from 'aws-lambda';
import { createConsoleHandler } from '../../../lambdas/handlers/console';
import { loadConfig } from '../../../lambdas/shared/config';
import { logger } from '../../../lambdas/shared/logger';
import { createRuntime, onFirstInvocation } from '../../../lambdas/shared/runtime';
import { testEvent } from '../../helpers/invoke';

describe('onFirstInvocation', () => {
  it('builds the handler on the first invocation, not before, and only once', async () => {
    const build = jest.fn(() => async (event: number) => event * 2);
    const entry = onFirstInvocation(build);
    expect(build).not.toHaveBeenCalled();
    expect(await entry(2, undefined)).toBe(4);
    expect(await entry(3, undefined)).toBe(6);
    expect(build).toHaveBeenCalledTimes(1);
  });
});

describe('createRuntime', () => {
  afterEach(() => createRuntime(loadConfig({ SCIM_LOG_LEVEL: 'SILENT' })));

  it("SCIM_LOG_LEVEL holds on every invocation, not only the first (Powertools' middleware restores the initial level)", async () => {
    const handler = createConsoleHandler(createRuntime(loadConfig({ SCIM_LOG_LEVEL: 'DEBUG' })).config);
    const context = { functionName: 'test', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
    for (let i = 0; i < 3; i++) {
      await handler(testEvent('GET', '/console'), context);
      expect(logger.getLevelName()).toBe('DEBUG');
    }
  });
});
