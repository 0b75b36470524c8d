/**
 * The SCIM paths a user actually carries, in the form a mapping takes them: the console's picker
 * offers these ("the SCIM attributes the application has actually received") beside the default
 * ones. Typed entries of multi-valued attributes become value-filter paths
 * (`phoneNumbers[type eq "mobile"].value`), as Entra's mapping writes them; untyped ones the plain
 * form (`emails.value`). Every path is checked and spelled by the product's grammar, so the picker
 * never offers a path that saving would refuse for its syntax.
 */
import { isCustomUserExtension } from '../scim/schemas';
import { isPlainObject } from '../scim/json';
import { formatValuePath, parseValuePath } from '../scim/value-path';

/** Never fill a profile: the profile has its own id and groups; meta, schemas and passwords are not user data. */
const SKIPPED = new Set(['id', 'meta', 'schemas', 'groups', 'password']);

/** Sub-attributes that label an entry rather than hold a value. */
const LABELS = new Set(['type', 'primary']);

const canonical = (text: string): string | undefined => {
  const path = parseValuePath('User', text);
  if (!path) return undefined;
  const { mutability } = path.resolved.attribute;
  return mutability === 'readOnly' || mutability === 'writeOnly' ? undefined : formatValuePath(path);
};

const quote = (text: string): string => JSON.stringify(text);

const candidatesOf = (name: string, value: unknown): string[] => {
  if (isPlainObject(value)) return Object.keys(value).map((sub) => `${name}.${sub}`);
  if (!Array.isArray(value)) return [name];
  const paths: string[] = [];
  for (const entry of value) {
    if (!isPlainObject(entry)) {
      paths.push(name);
      continue;
    }
    const type = Object.entries(entry).find(([key]) => key.toLowerCase() === 'type')?.[1];
    const base = typeof type === 'string' && type !== '' ? `${name}[type eq ${quote(type)}]` : name;
    for (const sub of Object.keys(entry)) if (!LABELS.has(sub.toLowerCase())) paths.push(`${base}.${sub}`);
  }
  return paths;
};

/** Canonical mapping paths present in `resource`, each once, in the resource's order. */
export const receivedPaths = (resource: unknown): string[] => {
  if (!isPlainObject(resource)) return [];
  const found = new Set<string>();
  const add = (text: string) => {
    const path = canonical(text);
    if (path) found.add(path);
  };
  for (const [name, value] of Object.entries(resource)) {
    if (SKIPPED.has(name.toLowerCase())) continue;
    if (/^urn:/i.test(name)) {
      if (!isPlainObject(value)) continue;
      // Extension attributes are mapped whole: the enterprise manager is one complex value.
      for (const attribute of Object.keys(value)) add(`${name}:${attribute}`);
      continue;
    }
    candidatesOf(name, value).forEach(add);
  }
  return [...found];
};

/** Whether a path names a custom extension attribute (the picker groups them apart). */
export const isCustomExtensionPath = (path: string): boolean => {
  const parsed = parseValuePath('User', path);
  return !!parsed && parsed.resolved.extension && isCustomUserExtension(parsed.resolved.schemaUrn);
};
