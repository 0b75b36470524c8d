/**
 * The BulkResponse body (RFC 7644 §3.7, §3.7.3). Per operation, in request order:
 * - `location`: the resource's URL, "for all operations except for failed POST operations (which
 *   have no location)"; also absent when the id could not be known (a malformed path, a
 *   `bulkId:` path whose POST failed);
 * - `method`, and `bulkId` when the client sent one ("The service provider MUST return the same
 *   "bulkId" together with the newly created resource");
 * - `version`: the resource's ETag after a successful POST, PUT or PATCH;
 * - `status`: the HTTP status code as a string, `"201"`. §3.7.2's example prints
 *   `"status": {"code": "201"}` while §3.7.3, the section that defines the response and all its
 *   later examples, prints the string; the string is what SCIM clients and libraries read;
 * - `response`: on failure, the SCIM Error body (§3.12) the single request would have answered.
 *   "For normal completion, the server MAY elect to omit the response body": it is omitted, which
 *   keeps a 1,000-operation response small.
 * The response itself is `200 OK` whenever the request was processed, failures included (§3.7.3).
 */
import type { ScimErrorBody } from '../errors';
import { ENDPOINT_OF } from './operation-path';
import { BULK_RESPONSE_URN, BulkMethod, type BulkOperationResult } from './types';

export interface BulkResponseOperation {
  location?: string;
  method?: BulkMethod;
  bulkId?: string;
  version?: string;
  status: string;
  response?: ScimErrorBody;
}

export interface BulkResponseBody {
  schemas: [typeof BULK_RESPONSE_URN];
  Operations: BulkResponseOperation[];
}

const operationResponse = (result: BulkOperationResult, tenantUrl: string): BulkResponseOperation => {
  const failed = result.error !== undefined || result.status >= 400;
  const located = result.resourceType !== undefined && result.id !== undefined && !(failed && result.method === BulkMethod.POST);
  // Keys in the order of the RFC's examples: location, method, bulkId, version, status, response.
  return {
    ...(located && { location: `${tenantUrl}${ENDPOINT_OF[result.resourceType!]}/${encodeURIComponent(result.id!)}` }),
    ...(result.method !== undefined && { method: result.method }),
    ...(result.bulkId !== undefined && { bulkId: result.bulkId }),
    ...(!failed && result.version !== undefined && { version: result.version }),
    status: String(result.status),
    ...(result.error !== undefined && { response: result.error.toBody() }),
  };
};

/**
 * The BulkResponse for `results` (as `executeBulk` returns them). `tenantUrl` is the application's
 * SCIM base, `https://host/apps/<appId>/scim/v2`: locations are `<tenantUrl>/Users/<id>`.
 */
export const bulkResponse = (results: readonly BulkOperationResult[], tenantUrl: string): BulkResponseBody => {
  const base = tenantUrl.replace(/\/+$/, '');
  return {
    schemas: [BULK_RESPONSE_URN],
    Operations: [...results].sort((a, b) => a.index - b.index).map((result) => operationResponse(result, base)),
  };
};
