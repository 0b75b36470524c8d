// Every test runs with dummy credentials and never reaches AWS.
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.SCIM_LOG_LEVEL ??= 'SILENT';
// The logger's level before any runtime sets it (unit tests of modules that log, without a runtime).
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
