import { loadConfig, staleSecondsOf } from '../../../lambdas/shared/config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      SCIM_TABLE_NAME: 'scim-gateway',
      SCIM_REPORT_TABLE_NAME: 'scim-gateway-reports',
      SCIM_SECRET_STORE: 'secrets-manager',
      SCIM_SECRET_PREFIX: 'scim-gateway',
      SCIM_AUTH_CACHE_SECONDS: 60,
      SCIM_CACHE_SCOPE: 'container',
      SCIM_AUTHORIZER_CACHE_SECONDS: 0,
      SCIM_REPORT_RETENTION_DAYS: 90,
      SCIM_EVENT_RETENTION_DAYS: 90,
      SCIM_WEBHOOK_URL_MODE: 'deployed',
      SCIM_MAX_BODY_BYTES: 1024 * 1024,
      SCIM_LOG_LEVEL: 'INFO',
    });
  });

  it('says how long another container may use a cached setting: none when every writer shares the process', () => {
    expect(staleSecondsOf(loadConfig({ SCIM_AUTH_CACHE_SECONDS: '45' }))).toBe(45);
    expect(staleSecondsOf(loadConfig({ SCIM_AUTH_CACHE_SECONDS: '45', SCIM_CACHE_SCOPE: 'process' }))).toBe(0);
  });

  it('reads numbers from their string form', () => {
    expect(loadConfig({ SCIM_AUTH_CACHE_SECONDS: '0', SCIM_REPORT_RETENTION_DAYS: '30' })).toMatchObject({ SCIM_AUTH_CACHE_SECONDS: 0, SCIM_REPORT_RETENTION_DAYS: 30 });
  });

  it('names the variable and the problem when a value is wrong', () => {
    expect(() => loadConfig({ SCIM_AUTH_CACHE_SECONDS: '-1' })).toThrow(/SCIM_AUTH_CACHE_SECONDS[\s\S]*|at least 0/);
    expect(() => loadConfig({ SCIM_REPORT_RETENTION_DAYS: '1.5' })).toThrow(/whole number[\s\S]*SCIM_REPORT_RETENTION_DAYS/);
    expect(() => loadConfig({ SCIM_SECRET_STORE: 'vault' })).toThrow(/SCIM_SECRET_STORE/);
    expect(() => loadConfig({ SCIM_TABLE_NAME: '' })).toThrow(/SCIM_TABLE_NAME/);
  });
});
