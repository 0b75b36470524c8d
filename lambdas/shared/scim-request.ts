/**
 * What every SCIM handler needs from a request: the stamp that attributes writes in reports, and
 * list parameters from either the query string (GET) or a SearchRequest body (POST /.search).
 */
import type { RequestStamp } from '../domain/items';
import { describePrincipal } from '../oauth/principal';
import { ScimError } from '../scim/errors';
import { normaliseFilterText, parseFilter, type Filter } from '../scim/filter';
import { listResponse, parsePaging, parseSort, queryParam } from '../scim/list-response';
import { SchemaUrn } from '../scim/schemas';
import type { AppRequest, ScimRequest } from './http';

/** Who wrote, for the report: the request and its application. */
export const stampOf = (request: AppRequest): RequestStamp => ({
  requestId: request.requestId,
  appName: request.app.name,
  sourceIp: request.sourceIp,
  userAgent: request.userAgent,
  authenticatedBy: request.caller?.principal ? describePrincipal(request.caller.principal) : undefined,
});

export interface ListParameters {
  filter?: Filter;
  startIndex: number;
  count: number;
  cursor?: string;
  sortBy?: string;
  sortOrder: 'ascending' | 'descending';
  attributes?: string;
  excludedAttributes?: string;
  /** GET: the filter came in a query string, where `+` may be a form-encoded space (store/search.ts). */
  plusMayBeSpace: boolean;
}

const asText = (value: unknown, name: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw ScimError.invalidValue(`"${name}" must be a string.`);
};

/**
 * GET query parameters, or a SearchRequest body for POST /.search (RFC 7644 §3.4.3). Only a query
 * string is form-encoded: in a JSON body a `+` is a `+`.
 */
export const listParametersOf = (request: ScimRequest): ListParameters => {
  let source: Record<string, string | undefined> = request.query;
  const fromJson = request.method === 'POST';
  if (fromJson) {
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw ScimError.invalidSyntax('A SearchRequest body (a JSON object) is required.');
    const fields: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key.toLowerCase() === 'schemas') continue;
      fields[key] = asText(value, key);
    }
    const schemas = (body as { schemas?: unknown }).schemas;
    if (Array.isArray(schemas) && schemas.length && !schemas.some((s) => String(s).toLowerCase() === SchemaUrn.searchRequest.toLowerCase())) {
      throw ScimError.invalidSyntax(`A SearchRequest must list the schema "${SchemaUrn.searchRequest}".`);
    }
    source = fields;
  }
  const text = queryParam(source, 'filter');
  return {
    filter: text !== undefined && text.trim() !== '' ? parseFilter(text, fromJson ? 'json' : 'query') : undefined,
    ...parsePaging(source),
    ...parseSort(source),
    ...projectionParameters(source, fromJson),
    plusMayBeSpace: !fromJson,
  };
};

/**
 * `attributes` / `excludedAttributes`: may hold value filters (`emails[type eq "work"]`) and so get,
 * in a query string, the same `+`-as-space reading as filters (see normaliseFilterText).
 */
const projectionParameters = (source: Record<string, string | undefined>, fromJson = false) => {
  const read = (name: string) => {
    const value = queryParam(source, name);
    return value === undefined || fromJson ? value : normaliseFilterText(value);
  };
  return { attributes: read('attributes'), excludedAttributes: read('excludedAttributes') };
};

export const projectionOf = (request: ScimRequest) => projectionParameters(request.query);

/** The ListResponse of a search: RFC 7644 fields, plus RFC 9865's nextCursor in cursor mode. */
export const listResponseOf = (
  params: ListParameters,
  result: { totalResults: number; startIndex: number; nextCursor?: string },
  resources: unknown[],
) =>
  listResponse({
    resources,
    totalResults: result.totalResults,
    startIndex: result.startIndex,
    itemsPerPage: resources.length,
    nextCursor: result.nextCursor,
    cursorPaging: params.cursor !== undefined,
  });
