/**
 * The shapes of the Bulk core (RFC 7644 §3.7), in the order a request goes through them:
 * parsed entries → plan steps → calls to the injected `perform` → per-operation results.
 *
 * Why an entry is either an operation or a rejection, and never a thrown error: §3.7.3 answers
 * each operation on its own ("the status code that would have been returned if a single HTTP
 * request would have been used"), so one malformed operation must not refuse the other 999. Only
 * problems of the envelope itself (not an object, no `Operations`, too many) refuse the request.
 */
import type { ResourceType } from '../schemas';
import type { ScimError } from '../errors';

export const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

/** RFC 7644 §3.7: "Possible values are "POST", "PUT", "PATCH", or "DELETE"". */
export const BulkMethod = { POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE' } as const;
export type BulkMethod = (typeof BulkMethod)[keyof typeof BulkMethod];

export type BulkResourceType = ResourceType;

/** Where an operation's `path` points. */
export type BulkTarget =
  /** `/Users`, `/Groups`: where a POST creates. */
  | { readonly kind: 'collection'; readonly resourceType: BulkResourceType }
  /** `/Users/<id>`: an existing resource. */
  | { readonly kind: 'resource'; readonly resourceType: BulkResourceType; readonly id: string }
  /** `/Users/bulkId:<bulkId>`: a resource a POST of this request creates. */
  | { readonly kind: 'created'; readonly resourceType: BulkResourceType; readonly bulkId: string };

/** A well-formed operation: the executor will run it once what it refers to exists. */
export interface BulkOperation {
  readonly kind: 'operation';
  /** Its position in the request's `Operations` (0-based, as in error details). */
  readonly index: number;
  readonly method: BulkMethod;
  readonly target: BulkTarget;
  /** Declared by POSTs (required there); echoed in the response whenever sent. */
  readonly bulkId?: string;
  /** `version`, sent on to the single-resource code as `If-Match` (PUT, PATCH, DELETE only). */
  readonly version?: string;
  /** The body a single POST/PUT/PATCH would carry; absent for DELETE. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Every bulkId this operation needs resolved (its path's and its data's), each once. */
  readonly references: readonly string[];
}

/** An operation refused before anything runs. It is answered with `error` when its turn comes. */
export interface RejectedOperation {
  readonly kind: 'rejected';
  readonly index: number;
  readonly error: ScimError;
  /** What could be read of it, for the response (`method`, `bulkId`, `location`). */
  readonly method?: BulkMethod;
  readonly bulkId?: string;
  readonly target?: BulkTarget;
}

export type BulkEntry = BulkOperation | RejectedOperation;

/** A parsed BulkRequest: one entry per element of `Operations`, in request order. */
export interface BulkRequest {
  /** Stop once this many operations have failed (RFC 7644 §3.7); absent: never stop. */
  readonly failOnErrors?: number;
  readonly entries: readonly BulkEntry[];
}

/** A POST of a circular reference, created without the references to members not created yet. */
export interface CycleCreate {
  readonly operation: BulkOperation;
  /** `operation.data` less the attributes that name later members of the cycle (or itself). */
  readonly data: Readonly<Record<string, unknown>>;
  /** The bulkIds those attributes named: this create does not wait for them. */
  readonly deferred: readonly string[];
}

/** The PATCH that adds a cycle member's deferred attributes once every member exists. */
export interface CycleLink {
  readonly operation: BulkOperation;
  /** A PatchOp body (RFC 7644 §3.5.2) still holding `bulkId:` references. */
  readonly patch: Readonly<Record<string, unknown>>;
}

/** One unit of work, in execution order. */
export type BulkStep =
  | { readonly kind: 'reject'; readonly entry: RejectedOperation }
  | { readonly kind: 'run'; readonly operation: BulkOperation }
  /** Operations that refer to each other (RFC 7644 §3.7.1): all succeed, or none is kept. */
  | { readonly kind: 'cycle'; readonly creates: readonly CycleCreate[]; readonly links: readonly CycleLink[] };

export interface BulkPlan {
  readonly failOnErrors?: number;
  readonly entries: readonly BulkEntry[];
  readonly steps: readonly BulkStep[];
}

/**
 * Why the executor calls `perform`: the client's `operation`; a `link` PATCH that completes a
 * circular reference; an `undo` DELETE of a cycle member created in this request when the cycle
 * could not be completed.
 */
export type BulkCallPurpose = 'operation' | 'link' | 'undo';

/** One single-resource request, with every `bulkId:` reference already replaced by an id. */
export interface BulkCall {
  readonly purpose: BulkCallPurpose;
  /** The operation it serves. */
  readonly index: number;
  readonly method: BulkMethod;
  readonly resourceType: BulkResourceType;
  /** The resource's id; absent only for POST. */
  readonly id?: string;
  /** The request body; absent for DELETE. */
  readonly data?: Record<string, unknown>;
  /** The operation's `version`, to be checked as the single routes check `If-Match`. */
  readonly ifMatch?: string;
}

/** What a successful single-resource request answered. */
export interface BulkSuccess {
  /** The HTTP status the single route answers (201 created, 200 replaced/patched, 204 deleted). */
  readonly status: number;
  /** The resource's id (for a POST: the new id that replaces `bulkId:<bulkId>`). */
  readonly id: string;
  /** Its ETag after the request, e.g. `W/"3"`; absent after DELETE. */
  readonly version?: string;
}

/**
 * The single-resource code path, injected. It resolves with the success or throws the
 * `ScimError` the single route would answer; anything else it throws is treated as a bug
 * (answered 500 for that operation only, and reported to `onUnexpectedError`).
 */
export type Perform = (call: BulkCall) => Promise<BulkSuccess>;

/** The outcome of one processed operation, before it is rendered. */
export interface BulkOperationResult {
  readonly index: number;
  readonly method?: BulkMethod;
  readonly bulkId?: string;
  readonly resourceType?: BulkResourceType;
  /** The resource's id when known, for `location`. */
  readonly id?: string;
  readonly version?: string;
  readonly status: number;
  readonly error?: ScimError;
  /** Set when the run ended (deadline) before this operation started: nothing was tried for it. */
  readonly notAttempted?: true;
}
