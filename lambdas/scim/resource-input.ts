/**
 * Turns a POST/PUT body into `ScimData`, for any resource type. Two passes: first every key is
 * resolved to its canonical attribute (any letter case; plain, dotted or URN-qualified; nested
 * under an extension URN) and raw values are gathered per attribute, merging the nested and
 * dotted spellings; then each attribute's value is checked and normalised by its definition.
 *
 * Ignored, as RFC 7643/7644 and Entra's habits ask: `schemas` (unknown URIs included), read-only
 * attributes (`id`, `meta`, `groups`), unknown attributes and unknown extension URNs. Write-only
 * attributes (`password`) are dropped as well: this server is not an authentication provider and
 * never stores credentials.
 */
import { normaliseAttribute, normaliseCustom, normaliseManager } from './attribute-values';
import { ScimError } from './errors';
import { ATTRNAME } from './filter';
import { isPlainObject } from './json';
import type { ScimData } from './resource-shapes';
import {
  customAttribute,
  isCustomUserExtension,
  RESOURCE_SCHEMAS,
  resolveAttribute,
  schemaOf,
  SchemaUrn,
  type AttributeDef,
  type ResourceType,
} from './schemas';


const CUSTOM_PREFIX = 'urn:ietf:params:scim:schemas:extension:';
const CUSTOM_SUFFIX = ':2.0:User';

/** Custom URNs keep the client's `<Name>` but get the fixed parts in canonical case. */
export const canonicalCustomUrn = (urn: string): string =>
  CUSTOM_PREFIX + urn.slice(CUSTOM_PREFIX.length, urn.length - CUSTOM_SUFFIX.length) + CUSTOM_SUFFIX;

interface Gathered {
  def: AttributeDef;
  /** Where it lives: '' for core, else the extension URN. */
  container: string;
  custom: boolean;
  raw: unknown;
}

export interface ResourceInput {
  data: ScimData;
  /** Raw values of the attributes named in `capture` (e.g. a group's `members`). */
  captured: Record<string, unknown>;
}

/** One slot per attribute, whatever the letter case of its spellings. */
const slotOf = (container: string, name: string): string => `${container}|${name}`.toLowerCase();

class Gatherer {
  readonly attributes = new Map<string, Gathered>();
  readonly captured: Record<string, unknown> = {};
  /** First spelling seen of each custom URN, by lower case. */
  private readonly customUrns = new Map<string, string>();

  constructor(
    private readonly resourceType: ResourceType,
    private readonly capture: readonly string[],
  ) {}

  entry(key: string, value: unknown, nested = false): void {
    const { core } = RESOURCE_SCHEMAS[this.resourceType];
    const lower = key.toLowerCase();
    if (!nested && lower === core.id.toLowerCase()) return this.object(core.id, value, (k, v) => this.entry(k, v, true));
    const schema = nested ? undefined : schemaOf(this.resourceType, key);
    if (schema) return this.object(schema.id, value, (k, v) => !k.includes(':') && this.entry(`${schema.id}:${k}`, v, true));
    if (!nested && this.resourceType === 'User' && isCustomUserExtension(key)) {
      return this.object(key, value, (k, v) => this.custom(key, k, v));
    }

    const resolved = resolveAttribute(this.resourceType, key);
    if (!resolved) return; // unknown attribute: dropped
    const { attribute, subAttribute } = resolved;
    if (resolved.extension && !schemaOf(this.resourceType, resolved.schemaUrn)) {
      return this.custom(resolved.schemaUrn, attribute.name, value);
    }
    if (!resolved.extension && this.capture.includes(attribute.name)) {
      if (!subAttribute) this.captured[attribute.name] = value;
      return;
    }
    if (attribute.mutability === 'readOnly' || attribute.mutability === 'writeOnly') return;
    const container = resolved.extension ? resolved.schemaUrn : '';
    if (!subAttribute) return this.put(container, attribute, false, value);
    // `name.givenName` as a key: merge into the complex value; dotted keys into multi-valued
    // attributes say nothing about which entry they mean, so they are dropped as unknown.
    if (attribute.multiValued) return;
    const existing = this.attributes.get(slotOf(container, attribute.name))?.raw;
    const merged = isPlainObject(existing) ? { ...existing } : {};
    merged[subAttribute.name] = value;
    this.put(container, attribute, false, merged);
  }

  private object(name: string, value: unknown, each: (key: string, value: unknown) => void): void {
    if (value === null || value === undefined || value === '') return;
    if (!isPlainObject(value)) {
      const got = Array.isArray(value) ? 'an array' : typeof value;
      throw ScimError.invalidValue(`Attribute "${name}" must be a JSON object of attributes; got ${got}.`);
    }
    for (const [key, inner] of Object.entries(value)) each(key, inner);
  }

  private custom(urn: string, name: string, value: unknown): void {
    // A custom name outside RFC 7643's ATTRNAME could not be addressed in filters: dropped.
    if (!ATTRNAME.test(name)) return;
    const canonical = canonicalCustomUrn(urn);
    const container = this.customUrns.get(canonical.toLowerCase()) ?? canonical;
    this.customUrns.set(container.toLowerCase(), container);
    const known = this.attributes.get(slotOf(container, name));
    this.put(container, known?.def ?? customAttribute(name), true, value);
  }

  private put(container: string, def: AttributeDef, custom: boolean, raw: unknown): void {
    const slot = slotOf(container, def.name);
    // Later spellings of the same attribute replace earlier ones, in body order.
    this.attributes.delete(slot);
    this.attributes.set(slot, { def, container, custom, raw });
  }
}

const pathOf = (g: Gathered): string => (g.container ? `${g.container}:${g.def.name}` : g.def.name);

const normalise = (g: Gathered): unknown => {
  if (g.custom) return normaliseCustom(g.raw, pathOf(g));
  if (g.container === SchemaUrn.enterpriseUser && g.def.name === 'manager') return normaliseManager(g.def, g.raw, pathOf(g));
  return normaliseAttribute(g.def, g.raw, pathOf(g));
};

export const parseResourceInput = (resourceType: ResourceType, body: unknown, capture: readonly string[] = []): ResourceInput => {
  if (!isPlainObject(body)) {
    throw ScimError.invalidSyntax(`The request body must be a JSON object describing a ${resourceType}.`);
  }
  const gatherer = new Gatherer(resourceType, capture);
  for (const [key, value] of Object.entries(body)) gatherer.entry(key, value);

  const data: ScimData = {};
  for (const g of gatherer.attributes.values()) {
    const value = normalise(g);
    if (value === undefined) continue;
    if (!g.container) {
      data[g.def.name] = value;
      continue;
    }
    const extension = (data[g.container] ??= {}) as Record<string, unknown>;
    extension[g.def.name] = value;
  }
  return { data, captured: gatherer.captured };
};
