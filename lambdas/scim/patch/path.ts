/**
 * PATCH paths (RFC 7644 §3.5.2 Figure 7: `[urn ":"] attr ["[" valFilter "]"] ["." subAttr]`) resolved
 * against the schemas of a resource type, in any letter case, to canonical attribute names.
 *
 * Syntax is the shared filter engine's `parseAttrPath`: the URN is split at the last `:` *before* any
 * `[`, so colons inside a filter literal (`members[value eq "urn:x:1"]`) never split the path. A whole
 * schema URN on its own (`urn:…:enterprise:2.0:User`) targets that extension object.
 */
import { ScimError } from '../errors';
import { parseAttrPath, type AttrPath, type Filter } from '../filter';
import {
  COMMON_ATTRIBUTES,
  customAttribute,
  isCustomUserExtension,
  RESOURCE_SCHEMAS,
  schemaOf,
  SchemaUrn,
  type AttributeDef,
  type ResourceType,
} from '../schemas';
import { checkValueFilter } from './value-filter';
import { isPlainObject, findKey, type JsonObject } from './values';

export type PatchTarget =
  /** `schemas` is derived by the server from the extensions present, so operations on it are ignored. */
  | { readonly kind: 'ignored'; readonly path: string }
  /** A whole schema object: the core schema (top level) or an extension (`data[urn]`). */
  | { readonly kind: 'schema'; readonly path: string; readonly urn: string; readonly core: boolean }
  /** A Group's `members`, never applied to data (see members.ts). */
  | { readonly kind: 'members'; readonly path: string; readonly filter?: Filter; readonly subName?: string }
  | AttributeTarget;

export interface AttributeTarget {
  readonly kind: 'attribute';
  readonly path: string;
  /** Key of the extension object that holds the attribute; undefined for top-level attributes. */
  readonly container?: string;
  /** The attribute's key in its container (canonical name; a custom attribute keeps its stored spelling). */
  readonly key: string;
  readonly attribute: AttributeDef;
  readonly filter?: Filter;
  readonly sub?: AttributeDef;
}

const byName = (attributes: readonly AttributeDef[], name: string): AttributeDef | undefined => {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
};

/** The whole-schema target when `path` is exactly a schema URN this resource type can hold. */
const schemaTarget = (resourceType: ResourceType, path: string, data: JsonObject): PatchTarget | undefined => {
  const { core } = RESOURCE_SCHEMAS[resourceType];
  if (path.toLowerCase() === core.id.toLowerCase()) return { kind: 'schema', path, urn: core.id, core: true };
  const known = schemaOf(resourceType, path);
  if (known) return { kind: 'schema', path, urn: known.id, core: false };
  if (resourceType === 'User' && isCustomUserExtension(path)) return { kind: 'schema', path, urn: findKey(data, path) ?? path, core: false };
  return undefined;
};

const checkMutability = (path: string, attribute: AttributeDef, sub?: AttributeDef): void => {
  const readOnly = attribute.mutability === 'readOnly' ? attribute : sub?.mutability === 'readOnly' ? sub : undefined;
  if (readOnly) throw ScimError.mutability(`"${path}" is read-only (${readOnly.name} is set by the server) and cannot be modified.`);
};

/**
 * Resolves a PATCH path. Throws 400 invalidPath when it names no attribute (or is malformed),
 * 400 mutability when it names a read-only one (`id`, `meta`, `groups`, `manager.displayName`).
 * `data` is the working resource: custom extension names keep the spelling already stored.
 */
export const resolvePatchPath = (resourceType: ResourceType, path: string, data: JsonObject): PatchTarget => {
  if (!path.includes('[')) {
    const whole = schemaTarget(resourceType, path, data);
    if (whole) return whole;
  }
  const raw: AttrPath = parseAttrPath(path, (detail) => ScimError.invalidPath(`The path "${path}" is not valid: ${detail}`));
  const { core, extensions } = RESOURCE_SCHEMAS[resourceType];
  const noAttribute = () => ScimError.invalidPath(`The path "${path}" names no attribute of a ${resourceType}.`);

  let container: string | undefined;
  let attribute: AttributeDef | undefined;
  let custom = false;
  if (raw.urn !== undefined && raw.urn.toLowerCase() !== core.id.toLowerCase()) {
    const extension = schemaOf(resourceType, raw.urn);
    if (extension) {
      container = extension.id;
      attribute = byName(extension.attributes, raw.attr);
    } else if (resourceType === 'User' && isCustomUserExtension(raw.urn)) {
      container = findKey(data, raw.urn) ?? raw.urn;
      attribute = customAttribute(raw.attr);
      custom = true;
    } else {
      throw ScimError.invalidPath(`The path "${path}" uses the schema "${raw.urn}", which a ${resourceType} does not have.`);
    }
  } else {
    const lower = raw.attr.toLowerCase();
    if (lower === 'schemas' && raw.valueFilter === undefined && raw.subAttr === undefined) return { kind: 'ignored', path };
    if (resourceType === 'Group' && lower === 'members') {
      const members = byName(core.attributes, 'members') as AttributeDef;
      const filter = raw.valueFilter && checkValueFilter(raw.valueFilter, members, path);
      return { kind: 'members', path, filter, subName: raw.subAttr };
    }
    attribute = byName(core.attributes, raw.attr) ?? byName(COMMON_ATTRIBUTES, raw.attr);
    // Entra's legacy shapes send enterprise attributes unqualified (`"path": "manager"`, §3.17).
    if (!attribute && resourceType === 'User') {
      const enterprise = extensions.find((s) => s.id === SchemaUrn.enterpriseUser);
      attribute = enterprise && byName(enterprise.attributes, raw.attr);
      if (attribute) container = SchemaUrn.enterpriseUser;
    }
  }
  if (!attribute) throw noAttribute();

  if (custom && (raw.valueFilter !== undefined || raw.subAttr !== undefined)) {
    throw ScimError.invalidPath(`The path "${path}" is not valid: custom extension attributes are simple values.`);
  }
  if (raw.valueFilter !== undefined && !attribute.multiValued) {
    throw ScimError.invalidPath(`The path "${path}" is not valid: "${attribute.name}" is not multi-valued, so it takes no filter.`);
  }
  let sub: AttributeDef | undefined;
  if (raw.subAttr !== undefined) {
    sub = attribute.subAttributes && byName(attribute.subAttributes, raw.subAttr);
    if (!sub) throw noAttribute();
  }
  checkMutability(path, attribute, sub);
  const filter = raw.valueFilter && checkValueFilter(raw.valueFilter, attribute, path);

  const holder = container === undefined ? data : data[container];
  const key = custom && isPlainObject(holder) ? (findKey(holder, attribute.name) ?? attribute.name) : attribute.name;
  return { kind: 'attribute', path, container, key, attribute, filter, sub };
};
