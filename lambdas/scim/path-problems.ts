/**
 * Why an attribute path names nothing, in words an admin can act on: which part is wrong and what
 * would be valid there. Asked only after `parseValuePath` refused a path, so the grammar itself
 * stays in one place (value-path.ts); this file explains and never decides.
 */
import { ATTR_NAME, ATTRNAME } from './filter';
import {
  COMMON_ATTRIBUTES,
  RESOURCE_SCHEMAS,
  isCustomUserExtension,
  resolveAttribute,
  schemaOf,
  splitUrn,
  type AttributeDef,
  type ResourceType,
} from './schemas';
import { parseValuePath } from './value-path';

const CUSTOM_FORM = 'urn:ietf:params:scim:schemas:extension:<Name>:2.0:User:<attribute>';

const nameList = (attributes: readonly AttributeDef[]): string =>
  attributes
    .filter((a) => a.mutability !== 'readOnly')
    .map((a) => a.name)
    .join(', ');

const byName = (attributes: readonly AttributeDef[], name: string): AttributeDef | undefined =>
  attributes.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** The attributes one may write under no prefix, and under each extension's URN. */
const knownAttributes = (resourceType: ResourceType): string => {
  const { core, extensions } = RESOURCE_SCHEMAS[resourceType];
  const parts = [`${resourceType} attributes: ${nameList([...COMMON_ATTRIBUTES, ...core.attributes])}`];
  for (const extension of extensions) parts.push(`${extension.id} attributes: ${nameList(extension.attributes)}`);
  return parts.join('; ');
};

const subAttributeProblem = (attribute: AttributeDef, sub: string): string =>
  attribute.subAttributes
    ? `"${attribute.name}" has no sub-attribute "${sub}"; its sub-attributes are ${nameList(attribute.subAttributes)}`
    : `"${attribute.name}" has no sub-attributes, so "${attribute.name}.${sub}" names nothing`;

/** Explains the head of a path (`[urn:…:]attribute[.sub]`, the part before any `[`). */
const headProblem = (resourceType: ResourceType, head: string): string => {
  const { urn, rest } = splitUrn(head);
  const [name, sub, ...extra] = rest.split('.');
  if (!name) return `an attribute name is missing; ${knownAttributes(resourceType)}`;
  const { core } = RESOURCE_SCHEMAS[resourceType];
  let attributes: readonly AttributeDef[] = [...COMMON_ATTRIBUTES, ...core.attributes];
  let schemaName = `the ${resourceType} schema`;
  if (urn && urn.toLowerCase() !== core.id.toLowerCase()) {
    const schema = schemaOf(resourceType, urn);
    if (schema) {
      attributes = schema.attributes;
      schemaName = `the ${schema.name} extension`;
    } else if (resourceType === 'User' && isCustomUserExtension(urn)) {
      if (sub === undefined && !extra.length && !ATTRNAME.test(name)) {
        return `"${name}" is not an attribute name: a letter, then letters, digits, "-" or "_" (RFC 7643 §2.1)`;
      }
      return `custom extension attributes are simple values: write ${CUSTOM_FORM} with no "." or "[" after it`;
    } else {
      return `"${urn}" is not a schema of ${resourceType}s here; ${knownAttributes(resourceType)}`;
    }
  }
  const attribute = byName(attributes, name);
  if (!attribute) return `"${name}" is not an attribute of ${schemaName}; ${knownAttributes(resourceType)}`;
  if (extra.length) return `a path has at most one "." (attribute.subAttribute), as in "name.givenName"`;
  if (sub !== undefined) return subAttributeProblem(attribute, sub);
  return 'it is not an attribute path';
};

/** Why `text` is not a path of `resourceType`, starting with the path itself. */
export const valuePathProblem = (resourceType: ResourceType, text: string): string => {
  const path = text.trim();
  const open = path.indexOf('[');
  const close = path.lastIndexOf(']');
  const why = (reason: string) => `"${path}" does not name a ${resourceType} attribute: ${reason}.`;
  if (open < 0) return why(close < 0 ? headProblem(resourceType, path) : 'it has a "]" without a "["');
  if (close < open) return why('its value filter "[" is not closed with "]"');
  const head = path.slice(0, open);
  const base = resolveAttribute(resourceType, head);
  if (!base) return why(headProblem(resourceType, head));
  if (base.subAttribute || !base.attribute.multiValued || !base.attribute.subAttributes) {
    return why(`a value filter "[…]" applies to a multi-valued complex attribute such as emails, and "${head}" is not one`);
  }
  const filter = path.slice(open, close + 1);
  if (!parseValuePath(resourceType, `${head}${filter}`)) {
    return why(
      `the value filter ${filter} must read <sub-attribute> eq <value>, joined by "and", as in emails[type eq "work"]; ` +
        `the sub-attributes of ${base.attribute.name} are ${nameList(base.attribute.subAttributes)}`,
    );
  }
  const after = path.slice(close + 1);
  if (!after.startsWith('.') || !ATTR_NAME.test(after.slice(1))) return why(`after "]" only ".<sub-attribute>" may follow, as in emails[type eq "work"].value`);
  return why(subAttributeProblem(base.attribute, after.slice(1)));
};
