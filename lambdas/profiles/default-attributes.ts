/**
 * The default profile attributes: stable names a customer's application codes against, so they
 * never change once published (add, never rename). Each names the SCIM path that fills it in a new
 * application's mapping, chosen so that Entra ID's default attribute mapping (entra-scim.md §11.2,
 * reconstructed from vendor guides; Microsoft publishes no exact list) gives useful profiles with
 * zero configuration. Attributes Entra does not send by default (`entraSource` absent) still map
 * to the RFC 7643 attribute other clients (Okta, Google, any RFC client) send.
 *
 * `location` is the work address's city (`locality`, Entra's `city`): a single, comparable value.
 * Entra's office name (`physicalDeliveryOfficeName`) arrives as `addresses[type eq "work"].formatted`;
 * an admin who prefers it maps that path instead.
 */
import { SchemaUrn } from '../scim/schemas';
import type { ProfileType } from './types';

const ENTERPRISE = SchemaUrn.enterpriseUser;

export interface DefaultAttribute {
  readonly name: string;
  readonly type: ProfileType;
  /** What people read in the console and reports. */
  readonly label: string;
  readonly description: string;
  /** The SCIM path of the default mapping, in canonical form (scim/value-path.ts `formatValuePath`). */
  readonly scim: string;
  /** The Entra ID source attribute its default mapping sends to `scim`; absent when it sends none. */
  readonly entraSource?: string;
}

export const DEFAULT_ATTRIBUTES: readonly DefaultAttribute[] = [
  { name: 'email', type: 'string', label: 'Email', description: 'Work e-mail address.', scim: 'emails[type eq "work"].value', entraSource: 'mail' },
  { name: 'firstName', type: 'string', label: 'First name', description: 'Given name.', scim: 'name.givenName', entraSource: 'givenName' },
  { name: 'lastName', type: 'string', label: 'Last name', description: 'Family name (surname).', scim: 'name.familyName', entraSource: 'surname' },
  { name: 'displayName', type: 'string', label: 'Display name', description: 'Name shown to people.', scim: 'displayName', entraSource: 'displayName' },
  { name: 'department', type: 'string', label: 'Department', description: 'Department the user works in.', scim: `${ENTERPRISE}:department`, entraSource: 'department' },
  { name: 'location', type: 'string', label: 'Location', description: 'City of the work address.', scim: 'addresses[type eq "work"].locality', entraSource: 'city' },
  { name: 'designation', type: 'string', label: 'Designation', description: 'Job title.', scim: 'title', entraSource: 'jobTitle' },
  {
    name: 'employeeNumber',
    type: 'string',
    label: 'Employee number',
    description: 'Identifier the organization gives the employee.',
    scim: `${ENTERPRISE}:employeeNumber`,
    entraSource: 'employeeId',
  },
  {
    name: 'manager',
    type: 'manager',
    label: 'Manager',
    description: "The manager's user id in this application, and name when the client sends one.",
    scim: `${ENTERPRISE}:manager`,
    entraSource: 'manager',
  },
  { name: 'phone', type: 'string', label: 'Phone', description: 'Work phone number.', scim: 'phoneNumbers[type eq "work"].value', entraSource: 'telephoneNumber' },
  { name: 'mobile', type: 'string', label: 'Mobile', description: 'Mobile phone number.', scim: 'phoneNumbers[type eq "mobile"].value', entraSource: 'mobile' },
  { name: 'costCenter', type: 'string', label: 'Cost center', description: 'Cost center the user is charged to.', scim: `${ENTERPRISE}:costCenter` },
  { name: 'division', type: 'string', label: 'Division', description: 'Division of the organization.', scim: `${ENTERPRISE}:division` },
  { name: 'organization', type: 'string', label: 'Organization', description: 'Organization the user belongs to.', scim: `${ENTERPRISE}:organization` },
  {
    name: 'preferredLanguage',
    type: 'string',
    label: 'Preferred language',
    description: 'Preferred written or spoken language, e.g. en-US.',
    scim: 'preferredLanguage',
    entraSource: 'preferredLanguage',
  },
  { name: 'locale', type: 'string', label: 'Locale', description: 'Locale for formatting, e.g. en-US.', scim: 'locale' },
  { name: 'timezone', type: 'string', label: 'Time zone', description: 'Time zone, e.g. Europe/Berlin.', scim: 'timezone' },
  { name: 'userType', type: 'string', label: 'User type', description: 'Relation to the organization, e.g. Employee or Contractor.', scim: 'userType' },
];

const BY_NAME: ReadonlyMap<string, DefaultAttribute> = new Map(DEFAULT_ATTRIBUTES.map((a) => [a.name, a]));

export const defaultAttribute = (name: string): DefaultAttribute | undefined => BY_NAME.get(name);

export const DEFAULT_ATTRIBUTE_NAMES: readonly string[] = DEFAULT_ATTRIBUTES.map((a) => a.name);
