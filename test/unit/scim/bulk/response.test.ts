import { bulkResponse, bulkServiceProviderConfig, type BulkOperationResult } from '../../../../lambdas/scim/bulk';
import { ScimError } from '../../../../lambdas/scim/errors';

const TENANT = 'https://gw.example/apps/a1/scim/v2/';

describe('bulkResponse', () => {
  it('answers each processed operation in request order, statuses as strings', () => {
    const results: BulkOperationResult[] = [
      { index: 2, method: 'DELETE', resourceType: 'User', id: 'u 9', status: 204 },
      { index: 0, method: 'POST', bulkId: 'q', resourceType: 'User', id: 'u1', version: 'W/"1"', status: 201 },
    ];

    expect(bulkResponse(results, TENANT)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
      Operations: [
        { location: 'https://gw.example/apps/a1/scim/v2/Users/u1', method: 'POST', bulkId: 'q', version: 'W/"1"', status: '201' },
        { location: 'https://gw.example/apps/a1/scim/v2/Users/u%209', method: 'DELETE', status: '204' },
      ],
    });
  });

  it('gives a failed POST no location, a failed PUT its location, and both their SCIM Error as response', () => {
    const results: BulkOperationResult[] = [
      { index: 0, method: 'POST', bulkId: 'q', resourceType: 'Group', status: 409, error: ScimError.uniqueness('taken') },
      { index: 1, method: 'PUT', resourceType: 'Group', id: 'g1', version: 'W/"4"', status: 412, error: ScimError.preconditionFailed() },
    ];

    const [post, put] = bulkResponse(results, TENANT).Operations;

    expect(post).toEqual({
      method: 'POST',
      bulkId: 'q',
      status: '409',
      response: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: 'taken' },
    });
    expect(put.location).toBe('https://gw.example/apps/a1/scim/v2/Groups/g1');
    expect(put).not.toHaveProperty('version');
    expect(put.response!.status).toBe('412');
  });

  it('answers a refused operation with no recognisable method with status and response only', () => {
    const [only] = bulkResponse(
      [{ index: 0, status: 400, error: ScimError.invalidSyntax('Operations[0] must be an object.') }],
      TENANT,
    ).Operations;
    expect(Object.keys(only)).toEqual(['status', 'response']);
  });
});

describe('bulkServiceProviderConfig', () => {
  it('advertises Bulk with the limits the parser enforces', () => {
    expect(bulkServiceProviderConfig()).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
  });
});
