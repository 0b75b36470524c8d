/**
 * An application's attribute mapping as admins write it and as the gateway stores it: which SCIM
 * path fills each profile attribute, with an optional default and transforms, plus the custom
 * profile attributes the admin declared. Stored only in canonical form (parseMapping), so a
 * mapping read back is the one shown and compared. Pure types.
 */
import type { CustomType, ProfileValue } from './types';

/**
 * A step between the SCIM value and the profile value. Strings for the plain steps; the two that
 * need a separator are objects, so the separator cannot be confused with the step's name.
 */
export type Transform = 'trim' | 'lowercase' | 'uppercase' | 'boolean' | 'number' | { split: string } | { join: string };

export const PLAIN_TRANSFORMS = ['trim', 'lowercase', 'uppercase', 'boolean', 'number'] as const;
export type PlainTransform = (typeof PLAIN_TRANSFORMS)[number];

export const transformName = (t: Transform): PlainTransform | 'split' | 'join' =>
  typeof t === 'string' ? t : 'split' in t ? 'split' : 'join';

export interface MappingEntry {
  /** A default profile attribute or a declared custom one. */
  profile: string;
  /** An attribute path in the product's grammar (scim/value-path.ts), stored canonical. */
  scim: string;
  /** Used when the SCIM value is missing (or empty after the transforms); null: stay absent. */
  default: ProfileValue | null;
  transform: Transform[];
}

export interface CustomAttribute {
  name: string;
  type: CustomType;
}

export interface ProfileMapping {
  attributes: MappingEntry[];
  custom: CustomAttribute[];
}

/** `^[a-z][a-zA-Z0-9_]{0,63}$`: a JavaScript-friendly key consumers can use as a property name. */
export const CUSTOM_NAME = /^[a-z][a-zA-Z0-9_]{0,63}$/;

/** Limits that keep a profile within one DynamoDB write unit's worth of work per user write. */
export const MAX_MAPPED_ATTRIBUTES = 100;
export const MAX_CUSTOM_ATTRIBUTES = 50;
export const MAX_TRANSFORMS = 10;
export const MAX_SEPARATOR_LENGTH = 10;
export const MAX_PATH_LENGTH = 300;
