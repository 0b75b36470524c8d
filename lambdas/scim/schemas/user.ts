/** RFC 7643 §4.1 User and §4.3 Enterprise User, as this server supports them. */
import { attr, SchemaUrn, type AttributeDef, type SchemaDef } from './types';

/** `value`, `display`, `type`, `primary` — the shape of most multi-valued attributes (RFC 7643 §2.4). */
const multiValued = (
  name: string,
  description: string,
  types: readonly string[],
  valueOverrides: Partial<AttributeDef> = {},
): AttributeDef =>
  attr(name, description, {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attr('value', `The value of the ${name} entry.`, valueOverrides),
      attr('display', 'A human-readable name, primarily used for display purposes.'),
      attr('type', `A label indicating the function of the ${name} entry.`, { canonicalValues: types }),
      attr('primary', 'Whether this is the primary value of the attribute.', { type: 'boolean' }),
    ],
  });

export const USER_SCHEMA: SchemaDef = {
  id: SchemaUrn.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'Unique identifier for the User, typically used by the user to directly authenticate to the service provider.', {
      required: true,
      uniqueness: 'server',
    }),
    attr('name', "The components of the user's real name.", {
      type: 'complex',
      subAttributes: [
        attr('formatted', 'The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.'),
        attr('familyName', 'The family name of the User.'),
        attr('givenName', 'The given name of the User.'),
        attr('middleName', 'The middle name(s) of the User.'),
        attr('honorificPrefix', 'The honorific prefix(es) of the User.'),
        attr('honorificSuffix', 'The honorific suffix(es) of the User.'),
      ],
    }),
    attr('displayName', 'The name of the User, suitable for display to end-users.'),
    attr('nickName', 'The casual way to address the user in real life.'),
    attr('profileUrl', "A fully qualified URL pointing to a page representing the User's online profile.", {
      type: 'reference',
      referenceTypes: ['external'],
    }),
    attr('title', "The user's title, such as \"Vice President\"."),
    attr('userType', 'Used to identify the relationship between the organization and the user.'),
    attr('preferredLanguage', "Indicates the User's preferred written or spoken language."),
    attr('locale', "Used to indicate the User's default location for purposes of localizing items."),
    attr('timezone', "The User's time zone in the 'Olson' time zone database format."),
    attr('active', "A Boolean value indicating the User's administrative status.", { type: 'boolean' }),
    attr('password', "The User's cleartext password; never returned.", { mutability: 'writeOnly', returned: 'never' }),
    multiValued('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multiValued('phoneNumbers', 'Phone numbers for the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValued('ims', 'Instant messaging addresses for the User.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValued('photos', 'URLs of photos of the User.', ['photo', 'thumbnail'], { type: 'reference', referenceTypes: ['external'] }),
    attr('addresses', 'A physical mailing address for this User.', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attr('formatted', 'The full mailing address, formatted for display or use with a mailing label.'),
        attr('streetAddress', 'The full street address component.'),
        attr('locality', 'The city or locality component.'),
        attr('region', 'The state or region component.'),
        attr('postalCode', 'The zip code or postal code component.'),
        attr('country', 'The country name component.'),
        attr('type', 'A label indicating the function of the address.', { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'Whether this is the primary address.', { type: 'boolean' }),
      ],
    }),
    attr('groups', 'A list of groups to which the user belongs, managed through the Group resource.', {
      type: 'complex',
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'The identifier of the User\'s group.', { mutability: 'readOnly' }),
        attr('$ref', 'The URI of the corresponding Group resource.', {
          type: 'reference',
          referenceTypes: ['Group'],
          mutability: 'readOnly',
        }),
        attr('display', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
        attr('type', 'A label indicating the membership: direct or indirect.', {
          canonicalValues: ['direct', 'indirect'],
          mutability: 'readOnly',
        }),
      ],
    }),
    multiValued('entitlements', 'A list of entitlements for the User.', []),
    multiValued('roles', 'A list of roles for the User.', []),
    multiValued('x509Certificates', 'A list of certificates issued to the User.', [], { type: 'binary' }),
  ],
};

export const ENTERPRISE_USER_SCHEMA: SchemaDef = {
  id: SchemaUrn.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.'),
    attr('costCenter', 'Identifies the name of a cost center.'),
    attr('organization', 'Identifies the name of an organization.'),
    attr('division', 'Identifies the name of a division.'),
    attr('department', 'Identifies the name of a department.'),
    attr('manager', "The User's manager.", {
      type: 'complex',
      subAttributes: [
        attr('value', 'The id of the SCIM resource representing the User\'s manager.'),
        attr('$ref', 'The URI of the SCIM resource representing the User\'s manager.', { type: 'reference', referenceTypes: ['User'] }),
        attr('displayName', "The displayName of the User's manager.", { mutability: 'readOnly' }),
      ],
    }),
  ],
};
