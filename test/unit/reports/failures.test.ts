import { ScimError } from '../../../lambdas/scim/errors';
import { failureDetailsOf, failureItem, recordFailure, shouldRecord } from '../../../lambdas/shared/failures';
import type { ScimRequest } from '../../../lambdas/shared/http';
import { APP } from './fixtures';

const request = (overrides: Partial<ScimRequest> = {}): ScimRequest => ({
  operation: 'createUser',
  method: 'POST',
  path: `/apps/${APP}/scim/v2/Users`,
  pathParams: { appId: APP },
  query: {},
  headers: {},
  body: { userName: 'alice@contoso.com', externalId: 'ext-1' },
  caller: { kind: 'app', tokenId: 't1', app: { id: APP, name: 'Entra ID', requiredAttributes: ['userName'] } },
  requestId: 'req-1',
  sourceIp: '20.190.128.1',
  userAgent: 'Azure Active Directory SCIM Client',
  apiUrl: 'https://scim.example.com',
  ...overrides,
});

describe('failureDetailsOf', () => {
  it.each([
    ['createUser', 'User', 'create'],
    ['replaceUser', 'User', 'update'],
    ['patchUser', 'User', 'update'],
    ['deleteUser', 'User', 'delete'],
    ['getUser', 'User', 'read'],
    ['listUsers', 'User', 'read'],
    ['searchUsers', 'User', 'read'],
    ['patchGroup', 'Group', 'update'],
    ['listGroups', 'Group', 'read'],
    ['searchResources', 'Other', 'read'],
    ['getSchema', 'Other', 'other'],
  ])('maps %s to %s %s', (operation, resourceType, action) => {
    expect(failureDetailsOf(request({ operation }))).toMatchObject({ resourceType, action });
  });

  it('takes userName, externalId and the id from the request', () => {
    expect(failureDetailsOf(request({ operation: 'replaceUser', pathParams: { appId: APP, id: 'u-1' } }))).toEqual({
      resourceType: 'User',
      action: 'update',
      resourceId: 'u-1',
      userName: 'alice@contoso.com',
      externalId: 'ext-1',
    });
    expect(failureDetailsOf(request({ operation: 'createGroup', body: { displayName: 'Sales' } })).groupDisplayName).toBe('Sales');
  });
});

describe('shouldRecord', () => {
  const details = (r: ScimRequest) => failureDetailsOf(r);

  it('records every failed write and every 5xx', () => {
    const create = request();
    expect(shouldRecord(create, ScimError.uniqueness('taken'), details(create))).toBe(true);
    const patch = request({ operation: 'patchUser', pathParams: { appId: APP, id: 'u-404' } });
    expect(shouldRecord(patch, ScimError.resourceNotFound('User', 'u-404'), details(patch))).toBe(true);
    const get = request({ operation: 'getUser', body: undefined });
    expect(shouldRecord(get, ScimError.unavailable(), details(get))).toBe(true);
  });

  it('does not record a read that found nothing, nor requests without an application', () => {
    const get = request({ operation: 'getUser', body: undefined });
    expect(shouldRecord(get, ScimError.resourceNotFound('User', 'x'), details(get))).toBe(false);
    const admin = request({ operation: 'createApp', caller: { kind: 'admin', tokenId: 'a' } });
    expect(shouldRecord(admin, ScimError.invalidValue('bad'), details(admin))).toBe(false);
  });

  it('records a refused read other than 404 (an unsupported filter is a misconfiguration)', () => {
    const list = request({ operation: 'listUsers', body: undefined });
    expect(shouldRecord(list, ScimError.invalidFilter('bad filter'), details(list))).toBe(true);
  });
});

describe('failureItem', () => {
  it('builds a short-lived Failure item keyed by application and request', () => {
    const now = new Date('2025-03-01T13:00:00.000Z');
    const item = failureItem(request(), ScimError.uniqueness('A user with that userName exists.'), failureDetailsOf(request()), now);
    expect(item).toMatchObject({
      pk: `APP#${APP}#FAILURE#req-1`,
      sk: 'FAILURE',
      type: 'Failure',
      appName: 'Entra ID',
      httpStatus: 409,
      scimType: 'uniqueness',
      method: 'POST',
      occurredAt: now.toISOString(),
      ttl: now.getTime() / 1000 + 86_400,
    });
  });
});

describe('recordFailure', () => {
  it('logs instead of throwing when the table cannot be written', async () => {
    const client = { send: jest.fn().mockRejectedValue(new Error('boom')) };
    await expect(recordFailure(request(), ScimError.uniqueness('x'), failureDetailsOf(request()), { client: client as never, tableName: 't' })).resolves.toBe(false);
    expect(client.send).toHaveBeenCalledTimes(1);
  });
});
