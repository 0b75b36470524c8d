/**
 * Custom User extension attributes a resource carries (`urn:…:extension:<Name>:2.0:User:<attr>`),
 * so the application item can list them for discovery. The enterprise extension is standard and
 * not listed. Pure.
 */
import { isCustomUserExtension } from '../scim/schemas';

export const customExtensionAttributes = (resource: unknown): string[] => {
  if (typeof resource !== 'object' || resource === null) return [];
  const entries: string[] = [];
  for (const [urn, value] of Object.entries(resource)) {
    if (!isCustomUserExtension(urn) || typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    for (const [attribute, attributeValue] of Object.entries(value)) {
      if (attributeValue !== null && attributeValue !== undefined) entries.push(`${urn}:${attribute}`);
    }
  }
  return entries;
};

/** Entries the new version has that the old one lacked: only these can grow the application's set. */
export const newExtensionAttributes = (before: unknown, after: unknown): string[] => {
  const old = new Set(customExtensionAttributes(before));
  return customExtensionAttributes(after).filter((entry) => !old.has(entry));
};
