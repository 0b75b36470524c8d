/**
 * An operation's `path`: "The resource's relative path to the SCIM service provider's root. If
 * "method" is "POST", the value must specify a resource type endpoint, e.g., /Users or /Groups,
 * whereas all other "method" values must specify the path to a specific resource" (RFC 7644 §3.7).
 *
 * A wrong path is answered with the status the same request would get on its own (§3.7.3): 404
 * for an endpoint the gateway does not serve, 405 for a method that endpoint does not take, as the
 * route table answers them. Leniency, as for the rest of the gateway's input: the leading `/` may
 * be left out and the endpoint's letter case does not matter; the id is percent-decoded, as API
 * Gateway decodes path parameters.
 */
import { ScimError } from '../errors';
import { bulkIdOf } from './references';
import { BulkMethod, type BulkResourceType, type BulkTarget } from './types';

const ENDPOINTS: Readonly<Record<string, BulkResourceType>> = { users: 'User', groups: 'Group' };

export const ENDPOINT_OF: Readonly<Record<BulkResourceType, string>> = { User: '/Users', Group: '/Groups' };

const PATH = /^\/?([^/?#]+)(?:\/([^/?#]+))?\/?$/;

const decoded = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not percent-encoding after all: the id is taken as written
  }
};

/** The target of `path`, or the ScimError (404) that a single request to it would get. */
export const parseOperationPath = (path: string, where: string): BulkTarget | ScimError => {
  const match = PATH.exec(path.trim());
  const resourceType = match ? ENDPOINTS[match[1].toLowerCase()] : undefined;
  if (!match || !resourceType) {
    return ScimError.notFound(
      `${where}.path "${path}" names no resource of this service; a bulk operation addresses "/Users", "/Users/<id>", "/Groups" or "/Groups/<id>".`,
    );
  }
  if (match[2] === undefined) return { kind: 'collection', resourceType };
  const id = decoded(match[2]);
  const bulkId = bulkIdOf(id);
  return bulkId === undefined ? { kind: 'resource', resourceType, id } : { kind: 'created', resourceType, bulkId };
};

/** 405 when the method does not fit the path: POST creates in a collection, the others need one resource. */
export const methodMismatch = (method: BulkMethod, target: BulkTarget, path: string, where: string): ScimError | undefined => {
  const endpoint = ENDPOINT_OF[target.resourceType];
  if (method === BulkMethod.POST && target.kind !== 'collection') {
    return ScimError.methodNotAllowed(`${where}: POST is not allowed on "${path}"; a POST creates, and its path is "${endpoint}".`);
  }
  if (method !== BulkMethod.POST && target.kind === 'collection') {
    return ScimError.methodNotAllowed(
      `${where}: ${method} is not allowed on "${path}"; ${method} needs the path of one resource, e.g. "${endpoint}/<id>".`,
    );
  }
  return undefined;
};
