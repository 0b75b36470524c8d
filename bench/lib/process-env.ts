/**
 * Environment defaults of the benchmark process, set when this module is first imported — before
 * any handler module, since the logger and the configuration read the environment at import.
 * bench/run.ts imports it first.
 */
export const setBenchEnvironmentDefaults = (): void => {
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.SCIM_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_DEV ??= 'false';
  // A profile or session token from the shell must never send these calls to AWS.
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
};

setBenchEnvironmentDefaults();
