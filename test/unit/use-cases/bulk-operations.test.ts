/**
 * The gateway side of Bulk without DynamoDB: each operation's request id, the deadline, and which
 * failure rows a run leaves (per failed operation as its single request would, one for what was
 * not attempted, none once the answer's time is up).
 */
import { ScimError } from '../../../lambdas/scim/errors';
import type { BulkOperationResult } from '../../../lambdas/scim/bulk';
import type { AppRequest, ScimRequest } from '../../../lambdas/shared/http';
import { failureDetailsOf } from '../../../lambdas/shared/failures';
import { API_GATEWAY_TIMEOUT_MS, bulkDeadline, operationRequestId, recordOperationFailures } from '../../../lambdas/use-cases/bulk-operations';

const request: AppRequest = {
  operation: 'processBulk',
  method: 'POST',
  path: '/apps/app1/scim/v2/Bulk',
  pathParams: { appId: 'app1' },
  query: {},
  headers: {},
  body: {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: [
      { method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'alice@contoso.com', externalId: 'e-1' } },
      { method: 'PATCH', path: '/Groups/g1', data: { schemas: [], Operations: [] } },
      { method: 'DELETE', path: '/Users/u9' },
    ],
  },
  caller: { kind: 'app', tokenId: 't', app: { id: 'app1', name: 'Entra', requiredAttributes: ['userName'] } },
  requestId: 'req-1',
  apiUrl: 'https://scim.test',
  app: { id: 'app1', name: 'Entra', requiredAttributes: ['userName'] },
};

describe('operationRequestId', () => {
  it('is the request id and the operation index; link and undo writes of a cycle say so', () => {
    expect(operationRequestId('req-1', { index: 7, purpose: 'operation' })).toBe('req-1/7');
    expect(operationRequestId('req-1', { index: 7, purpose: 'link' })).toBe('req-1/7/link');
    expect(operationRequestId('req-1', { index: 7, purpose: 'undo' })).toBe('req-1/7/undo');
  });
});

describe('bulkDeadline', () => {
  it('ends 5 s before API Gateway stops waiting, or before the function ends if that is sooner', () => {
    expect(bulkDeadline(900_000, 1_000)).toBe(1_000 + API_GATEWAY_TIMEOUT_MS - 5_000);
    expect(bulkDeadline(10_000, 1_000)).toBe(1_000 + 10_000 - 5_000);
    expect(bulkDeadline(900_000, 1_000, 60_000)).toBe(1_000 + 60_000 - 5_000);
  });
});

describe('recordOperationFailures', () => {
  const results: BulkOperationResult[] = [
    { index: 0, method: 'POST', bulkId: 'a', resourceType: 'User', status: 409, error: ScimError.uniqueness('taken') },
    { index: 1, method: 'PATCH', resourceType: 'Group', id: 'g1', status: 204, version: 'W/"2"' },
    { index: 2, method: 'DELETE', resourceType: 'User', id: 'u9', status: 404, error: ScimError.resourceNotFound('User', 'u9') },
    { index: 3, method: 'POST', status: 503, error: ScimError.unavailable('not attempted'), notAttempted: true },
    { index: 4, method: 'POST', status: 503, error: ScimError.unavailable('not attempted'), notAttempted: true },
  ];

  it('records each failed operation as its single request, and what was not attempted once, under the request', async () => {
    // Prepare
    const recorded: { request: ScimRequest; error: ScimError }[] = [];

    // Act
    await recordOperationFailures(request, results, async (req, error) => void recorded.push({ request: req, error }), { until: Number.MAX_SAFE_INTEGER });

    // Assess
    expect(recorded.map(({ request: r, error }) => [r.requestId, r.operation, r.method, r.path, error.status])).toEqual([
      ['req-1', 'processBulk', 'POST', '/apps/app1/scim/v2/Bulk', 503],
      ['req-1/0', 'createUser', 'POST', '/apps/app1/scim/v2/Users', 409],
      ['req-1/2', 'deleteUser', 'DELETE', '/apps/app1/scim/v2/Users/u9', 404],
    ]);
    expect(recorded[0].error.detail).toContain('2 of 5 operations of this bulk request were not attempted, from Operations[3] on');
    // The failure row names the user the operation was about, as a failed POST /Users does.
    expect(failureDetailsOf(recorded[1].request)).toMatchObject({ resourceType: 'User', action: 'create', userName: 'alice@contoso.com', externalId: 'e-1' });
    expect(failureDetailsOf(recorded[2].request)).toMatchObject({ resourceType: 'User', action: 'delete', resourceId: 'u9' });
  });

  it('writes nothing more once the answer\'s time is up', async () => {
    const recorded: string[] = [];
    await recordOperationFailures(request, results, async (req) => void recorded.push(req.requestId), { until: 100, now: () => 100 });
    expect(recorded).toEqual([]);
  });
});
