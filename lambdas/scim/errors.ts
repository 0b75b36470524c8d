/**
 * The one error type of the SCIM core. Every refusal a client can see is a ScimError; the edge
 * (`shared/middlewares/scim-errors.ts`) is the only place that turns it into an HTTP response.
 * RFC 7644 §3.12: the body carries `status` as a string and an optional `scimType`.
 */

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 429 | 500 | 501 | 503;

/** RFC 7644 §3.12 Table 9, plus nothing of our own. */
export const ScimType = {
  invalidFilter: 'invalidFilter',
  tooMany: 'tooMany',
  uniqueness: 'uniqueness',
  mutability: 'mutability',
  invalidSyntax: 'invalidSyntax',
  invalidPath: 'invalidPath',
  noTarget: 'noTarget',
  invalidValue: 'invalidValue',
  invalidVers: 'invalidVers',
  sensitive: 'sensitive',
} as const;
export type ScimType = (typeof ScimType)[keyof typeof ScimType];

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export class ScimError extends Error {
  override readonly name = 'ScimError';
  /** Extra response headers, e.g. `Retry-After` on 429/503. */
  readonly headers: Record<string, string>;

  constructor(
    readonly status: ScimErrorStatus,
    readonly detail: string,
    readonly scimType?: ScimType,
    options?: ErrorOptions & { headers?: Record<string, string> },
  ) {
    super(detail, options);
    this.headers = options?.headers ?? {};
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR_SCHEMA], status: String(this.status), detail: this.detail };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }

  // One table of (status, scimType) pairs: callers name the problem, not the numbers.
  static invalidSyntax(detail: string, cause?: unknown) {
    return new ScimError(400, detail, ScimType.invalidSyntax, { cause });
  }
  static invalidValue(detail: string) {
    return new ScimError(400, detail, ScimType.invalidValue);
  }
  static invalidFilter(detail: string) {
    return new ScimError(400, detail, ScimType.invalidFilter);
  }
  static invalidPath(detail: string) {
    return new ScimError(400, detail, ScimType.invalidPath);
  }
  static noTarget(detail: string) {
    return new ScimError(400, detail, ScimType.noTarget);
  }
  static mutability(detail: string) {
    return new ScimError(400, detail, ScimType.mutability);
  }
  static tooMany(detail: string) {
    return new ScimError(400, detail, ScimType.tooMany);
  }
  static unauthorized(detail = 'A valid bearer token is required.') {
    return new ScimError(401, detail, undefined, { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
  static forbidden(detail = 'This token may not access this resource.') {
    return new ScimError(403, detail);
  }
  static notFound(detail: string) {
    return new ScimError(404, detail);
  }
  static resourceNotFound(resourceType: string, id: string) {
    return new ScimError(404, `${resourceType} ${id} not found.`);
  }
  static methodNotAllowed(detail: string) {
    return new ScimError(405, detail);
  }
  static uniqueness(detail: string) {
    return new ScimError(409, detail, ScimType.uniqueness);
  }
  static conflict(detail: string) {
    return new ScimError(409, detail);
  }
  static preconditionFailed(detail = 'The resource has changed: its version does not match If-Match.') {
    return new ScimError(412, detail);
  }
  static payloadTooLarge(detail: string) {
    return new ScimError(413, detail);
  }
  static unsupportedMediaType(detail: string) {
    return new ScimError(415, detail);
  }
  static throttled(detail = 'Too many requests; retry later.', retryAfterSeconds = 1) {
    return new ScimError(429, detail, undefined, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
  static unavailable(detail = 'The service is temporarily unavailable; retry later.', retryAfterSeconds = 1, cause?: unknown) {
    return new ScimError(503, detail, undefined, { headers: { 'Retry-After': String(retryAfterSeconds) }, cause });
  }
}

/** Bundlers may rename classes; fall back on the name, as Powertools' error registry does. */
export const isScimError = (e: unknown): e is ScimError =>
  e instanceof ScimError || (e instanceof Error && e.name === 'ScimError' && 'status' in e);
