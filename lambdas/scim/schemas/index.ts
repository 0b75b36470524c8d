/**
 * Schema registry: which schemas a resource type has and how an attribute path (plain, dotted or
 * URN-qualified, in any letter case) resolves to its definition.
 */
import { GROUP_SCHEMA } from './group';
import { attr, CUSTOM_USER_EXTENSION, SchemaUrn, type AttributeDef, type SchemaDef } from './types';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './user';

export * from './types';
export { USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './user';
export { GROUP_SCHEMA } from './group';

export type ResourceType = 'User' | 'Group';

/** RFC 7643 §3.1: attributes of every resource, outside any schema's attribute list. */
export const COMMON_ATTRIBUTES: readonly AttributeDef[] = [
  attr('id', 'Unique identifier for the SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr('externalId', 'A String that is an identifier for the resource as defined by the provisioning client.', { caseExact: true }),
  attr('meta', 'A complex attribute containing resource metadata.', {
    type: 'complex',
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'The date and time the resource was added to the service provider.', { type: 'dateTime', mutability: 'readOnly' }),
      attr('lastModified', 'The most recent date and time that the details of this resource were updated.', {
        type: 'dateTime',
        mutability: 'readOnly',
      }),
      attr('location', 'The URI of the resource being returned.', { type: 'reference', caseExact: true, mutability: 'readOnly' }),
      attr('version', 'The version of the resource being returned.', { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];

export interface ResourceSchemas {
  readonly core: SchemaDef;
  readonly extensions: readonly SchemaDef[];
}

export const RESOURCE_SCHEMAS: Record<ResourceType, ResourceSchemas> = {
  User: { core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] },
  Group: { core: GROUP_SCHEMA, extensions: [] },
};

/** Where an attribute path points. `schemaUrn` is the core URN for core and common attributes. */
export interface ResolvedAttribute {
  readonly schemaUrn: string;
  /** True when the attribute lives under an extension object in the resource. */
  readonly extension: boolean;
  readonly attribute: AttributeDef;
  readonly subAttribute?: AttributeDef;
}

const byName = (attributes: readonly AttributeDef[], name: string): AttributeDef | undefined => {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
};

/** Custom extension attributes (Entra: single-valued, simple) have no published definition. */
export const customAttribute = (name: string): AttributeDef =>
  attr(name, 'Custom extension attribute provisioned by the client.', { caseExact: false });

export const isCustomUserExtension = (urn: string): boolean =>
  CUSTOM_USER_EXTENSION.test(urn) && urn.toLowerCase() !== SchemaUrn.enterpriseUser.toLowerCase();

/** Splits `urn:...:User:attr.sub` into the URN and the rest; plain paths have no URN. */
export const splitUrn = (path: string): { urn?: string; rest: string } => {
  if (!/^urn:/i.test(path)) return { rest: path };
  const lastColon = path.lastIndexOf(':');
  return { urn: path.slice(0, lastColon), rest: path.slice(lastColon + 1) };
};

/** The known schema (core or extension) with this URN, in its canonical spelling. */
export const schemaOf = (resourceType: ResourceType, urn: string): SchemaDef | undefined => {
  const { core, extensions } = RESOURCE_SCHEMAS[resourceType];
  return [core, ...extensions].find((s) => s.id.toLowerCase() === urn.toLowerCase());
};

/**
 * Resolves `userName`, `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`,
 * `urn:…:core:2.0:User:userName` and custom `urn:…:extension:<Name>:2.0:User:<attr>`.
 * Returns undefined when the path names no attribute.
 */
export const resolveAttribute = (resourceType: ResourceType, path: string): ResolvedAttribute | undefined => {
  const { core } = RESOURCE_SCHEMAS[resourceType];
  const { urn, rest } = splitUrn(path);
  const [name, subName, ...extra] = rest.split('.');
  if (!name || extra.length) return undefined;

  let schemaUrn = core.id;
  let extension = false;
  let attribute: AttributeDef | undefined;
  if (urn && urn.toLowerCase() !== core.id.toLowerCase()) {
    const schema = schemaOf(resourceType, urn);
    if (schema) {
      schemaUrn = schema.id;
      attribute = byName(schema.attributes, name);
    } else if (resourceType === 'User' && isCustomUserExtension(urn)) {
      schemaUrn = urn;
      attribute = subName ? undefined : customAttribute(name);
    }
    extension = true;
  } else {
    attribute = byName(core.attributes, name) ?? byName(COMMON_ATTRIBUTES, name);
  }
  if (!attribute) return undefined;
  if (subName === undefined) return { schemaUrn, extension, attribute };
  const subAttribute = attribute.subAttributes ? byName(attribute.subAttributes, subName) : undefined;
  return subAttribute ? { schemaUrn, extension, attribute, subAttribute } : undefined;
};

/** Whether string comparisons on this path are case-sensitive (filters, uniqueness). */
export const isCaseExact = (resourceType: ResourceType, path: string): boolean => {
  const resolved = resolveAttribute(resourceType, path);
  if (!resolved) return false;
  return (resolved.subAttribute ?? resolved.attribute).caseExact;
};
