/**
 * Discovery documents (RFC 7643 §5–§7): `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes`.
 * They are rendered from the same definitions that drive validation, so they describe exactly
 * what the server does, plus one schema per custom extension an application uses. Entra's rules
 * for these documents: no `null`s, camelCase values (`readWrite`).
 */
import { bulkServiceProviderConfig } from './bulk/limits';
import { ScimError } from './errors';
import { ATTRNAME } from './filter';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './list-response';
import { canonicalCustomUrn } from './resource-input';
import {
  customAttribute,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  isCustomUserExtension,
  SchemaUrn,
  splitUrn,
  USER_SCHEMA,
  type AttributeDef,
  type SchemaDef,
} from './schemas';

export interface DiscoveryMeta {
  resourceType: 'ServiceProviderConfig' | 'Schema' | 'ResourceType';
  location: string;
}

const trimSlash = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

// ---- ServiceProviderConfig (RFC 7643 §5, RFC 9865 §4) ----

export interface ServiceProviderConfigOptions {
  /** Largest page and `filter.maxResults`. @default MAX_PAGE_SIZE */
  maxPageSize?: number;
  /** @default DEFAULT_PAGE_SIZE */
  defaultPageSize?: number;
  /** Seconds a cursor stays usable. @default 3600 */
  cursorTimeout?: number;
  documentationUri?: string;
  /** What the application accepts (RFC 7643 §5), first the primary. @default the Secret Token scheme alone */
  authenticationSchemes?: readonly AuthenticationSchemeDocument[];
}

/** One entry of `authenticationSchemes` (RFC 7643 §5). */
export interface AuthenticationSchemeDocument {
  type: string;
  name: string;
  description: string;
  specUri?: string;
  documentationUri?: string;
  primary?: boolean;
}

const SECRET_TOKEN_SCHEME: AuthenticationSchemeDocument = {
  type: 'oauthbearertoken',
  name: 'OAuth Bearer Token',
  description: 'Authentication with a bearer token issued to the application (RFC 6750).',
  specUri: 'https://www.rfc-editor.org/info/rfc6750',
  primary: true,
};

export const serviceProviderConfig = (baseUrl: string, options: ServiceProviderConfigOptions = {}) => {
  const { maxPageSize = MAX_PAGE_SIZE, defaultPageSize = DEFAULT_PAGE_SIZE, cursorTimeout = 3600 } = options;
  return {
    schemas: [SchemaUrn.serviceProviderConfig],
    ...(options.documentationUri ? { documentationUri: options.documentationUri } : {}),
    patch: { supported: true },
    bulk: bulkServiceProviderConfig(),
    filter: { supported: true, maxResults: maxPageSize },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: options.authenticationSchemes ?? [SECRET_TOKEN_SCHEME],
    pagination: {
      cursor: true,
      index: true,
      // Entra and Microsoft's validators page by index; cursors are the efficient opt-in.
      defaultPaginationMethod: 'index',
      defaultPageSize,
      maxPageSize,
      cursorTimeout,
    },
    meta: { resourceType: 'ServiceProviderConfig', location: `${trimSlash(baseUrl)}/ServiceProviderConfig` } satisfies DiscoveryMeta,
  };
};

// ---- Custom extensions in use ----


export interface CustomExtension {
  /** Canonical URN (`urn:ietf:params:scim:schemas:extension:<Name>:2.0:User`). */
  urn: string;
  name: string;
  attributes: string[];
}

/** Groups `"<urn>:<attr>"` entries by extension; malformed entries and the enterprise URN are skipped. */
export const customExtensions = (extensionAttributes: readonly string[]): CustomExtension[] => {
  const byUrn = new Map<string, CustomExtension>();
  for (const entry of extensionAttributes) {
    const { urn, rest } = splitUrn(entry.trim());
    if (!urn || !isCustomUserExtension(urn) || !ATTRNAME.test(rest)) continue;
    const canonical = canonicalCustomUrn(urn);
    let extension = byUrn.get(canonical.toLowerCase());
    if (!extension) {
      const name = canonical.split(':')[6];
      byUrn.set(canonical.toLowerCase(), (extension = { urn: canonical, name, attributes: [] }));
    }
    if (!extension.attributes.some((a) => a.toLowerCase() === rest.toLowerCase())) extension.attributes.push(rest);
  }
  return [...byUrn.values()];
};

const customSchema = (extension: CustomExtension): SchemaDef => ({
  id: extension.urn,
  name: extension.name,
  description: `Custom extension ${extension.name}: simple, single-valued attributes provisioned by the client.`,
  attributes: extension.attributes.map(customAttribute),
});

// ---- Schemas (RFC 7643 §7) ----

export interface AttributeDocument {
  name: string;
  type: string;
  multiValued: boolean;
  description: string;
  required: boolean;
  canonicalValues?: string[];
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  referenceTypes?: string[];
  subAttributes?: AttributeDocument[];
}

const attributeDocument = (def: AttributeDef): AttributeDocument => ({
  name: def.name,
  type: def.type,
  multiValued: def.multiValued,
  description: def.description,
  required: def.required,
  ...(def.canonicalValues?.length ? { canonicalValues: [...def.canonicalValues] } : {}),
  caseExact: def.caseExact,
  mutability: def.mutability,
  returned: def.returned,
  uniqueness: def.uniqueness,
  ...(def.referenceTypes?.length ? { referenceTypes: [...def.referenceTypes] } : {}),
  ...(def.subAttributes?.length ? { subAttributes: def.subAttributes.map(attributeDocument) } : {}),
});

export interface SchemaDocument {
  schemas: [typeof SchemaUrn.schema];
  id: string;
  name: string;
  description: string;
  attributes: AttributeDocument[];
  meta: DiscoveryMeta;
}

const schemaDocument = (baseUrl: string, schema: SchemaDef): SchemaDocument => ({
  schemas: [SchemaUrn.schema],
  id: schema.id,
  name: schema.name,
  description: schema.description,
  // `password` is accepted and dropped (we are not an authentication provider), so not advertised.
  attributes: schema.attributes.filter((a) => a.mutability !== 'writeOnly').map(attributeDocument),
  meta: { resourceType: 'Schema', location: `${trimSlash(baseUrl)}/Schemas/${schema.id}` },
});

export const schemaDocuments = (baseUrl: string, extensionAttributes: readonly string[] = []): SchemaDocument[] =>
  [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, ...customExtensions(extensionAttributes).map(customSchema)].map((schema) =>
    schemaDocument(baseUrl, schema),
  );

// ---- ResourceTypes (RFC 7643 §6) ----

export interface ResourceTypeDocument {
  schemas: [typeof SchemaUrn.resourceType];
  id: string;
  name: string;
  endpoint: string;
  description: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
  meta: DiscoveryMeta;
}

export const resourceTypeDocuments = (baseUrl: string, extensionAttributes: readonly string[] = []): ResourceTypeDocument[] => {
  const base = trimSlash(baseUrl);
  const meta = (id: string): DiscoveryMeta => ({ resourceType: 'ResourceType', location: `${base}/ResourceTypes/${id}` });
  return [
    {
      schemas: [SchemaUrn.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: SchemaUrn.user,
      schemaExtensions: [
        { schema: SchemaUrn.enterpriseUser, required: false },
        ...customExtensions(extensionAttributes).map((e) => ({ schema: e.urn, required: false })),
      ],
      meta: meta('User'),
    },
    {
      schemas: [SchemaUrn.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: SchemaUrn.group,
      schemaExtensions: [],
      meta: meta('Group'),
    },
  ];
};

/** `/Schemas/{id}`: ids compare in any letter case; unknown → 404. */
export const findSchema = (id: string, baseUrl: string, extensionAttributes: readonly string[] = []): SchemaDocument => {
  const found = schemaDocuments(baseUrl, extensionAttributes).find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!found) throw ScimError.resourceNotFound('Schema', id);
  return found;
};

/** `/ResourceTypes/{id}`: ids compare in any letter case; unknown → 404. */
export const findResourceType = (id: string, baseUrl: string, extensionAttributes: readonly string[] = []): ResourceTypeDocument => {
  const found = resourceTypeDocuments(baseUrl, extensionAttributes).find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (!found) throw ScimError.resourceNotFound('ResourceType', id);
  return found;
};
