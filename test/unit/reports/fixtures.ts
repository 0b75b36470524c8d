/**
 * Realistic main-table images (as the Users/Groups stores write them) and stream changes built
 * from them, shared by the report unit tests.
 */
import type { StreamChange } from '../../../lambdas/reports/events';
import { keys } from '../../../lambdas/store/keys';

export const APP = 'a1b2c3d4-0000-4000-8000-000000000001';
export const USER_ID = 'u-2819c223-7f76-453a-919d-413861904646';
export const GROUP_ID = 'g-e9e30dba-f08f-4109-8486-d5c6a331660a';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';

export const stamp = (requestId: string) => ({
  requestId,
  appName: 'Entra ID',
  sourceIp: '20.190.128.1',
  userAgent: 'Azure Active Directory SCIM Client',
});

export const userItem = (overrides: Record<string, unknown> = {}, resource: Record<string, unknown> = {}) => {
  const res = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName: 'alice@contoso.com',
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    active: true,
    displayName: 'Alice Smith',
    name: { givenName: 'Alice', familyName: 'Smith', formatted: 'Alice Smith' },
    emails: [{ type: 'work', value: 'alice@contoso.com', primary: true }],
    [ENTERPRISE]: { department: 'Sales', employeeNumber: '701984' },
    ...resource,
  };
  return {
    ...keys.user(APP, USER_ID),
    type: 'User',
    appId: APP,
    id: USER_ID,
    userName: res.userName,
    externalId: res.externalId,
    active: res.active !== false,
    resource: res,
    version: 1,
    created: '2025-03-01T10:00:00.000Z',
    lastModified: '2025-03-01T10:00:00.000Z',
    lastRequest: stamp('req-create'),
    ...overrides,
  };
};

export const groupItem = (overrides: Record<string, unknown> = {}) => ({
  ...keys.group(APP, GROUP_ID),
  type: 'Group',
  appId: APP,
  id: GROUP_ID,
  displayName: 'Sales Team',
  resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Sales Team', externalId: 'grp-ext-1' },
  externalId: 'grp-ext-1',
  version: 1,
  created: '2025-03-01T11:00:00.000Z',
  lastModified: '2025-03-01T11:00:00.000Z',
  lastRequest: stamp('req-group'),
  ...overrides,
});

export const membershipItem = (overrides: Record<string, unknown> = {}) => ({
  ...keys.membership(APP, GROUP_ID, USER_ID),
  type: 'Membership',
  appId: APP,
  groupId: GROUP_ID,
  userId: USER_ID,
  groupDisplayName: 'Sales Team',
  userName: 'alice@contoso.com',
  added: '2025-03-01T12:00:00.000Z',
  lastRequest: stamp('req-member'),
  ...overrides,
});

export const failureItem = (overrides: Record<string, unknown> = {}) => ({
  ...keys.failure(APP, 'req-dup'),
  type: 'Failure',
  appId: APP,
  appName: 'Entra ID',
  resourceType: 'User',
  userName: 'alice@contoso.com',
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  action: 'create',
  method: 'POST',
  path: `/apps/${APP}/scim/v2/Users`,
  httpStatus: 409,
  scimType: 'uniqueness',
  detail: 'A user with userName "alice@contoso.com" already exists.',
  occurredAt: '2025-03-01T13:00:00.123Z',
  requestId: 'req-dup',
  sourceIp: '20.190.128.1',
  userAgent: 'Azure Active Directory SCIM Client',
  ttl: 1740920400,
  ...overrides,
});

let seq = 100;
export const change = (
  eventName: StreamChange['eventName'],
  images: { oldImage?: Record<string, unknown>; newImage?: Record<string, unknown> },
  extra: Partial<StreamChange> = {},
): StreamChange => ({
  eventId: `ev${++seq}`,
  eventName,
  sequenceNumber: String(seq).padStart(21, '0'),
  approximateCreationTime: Date.parse('2025-03-01T14:00:00Z'),
  byTtl: false,
  ...images,
  ...extra,
});
