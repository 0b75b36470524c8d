/** RFC 7643 §4.2 Group. */
import { attr, SchemaUrn, type SchemaDef } from './types';

export const GROUP_SCHEMA: SchemaDef = {
  id: SchemaUrn.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'A human-readable name for the Group; unique within an application.', { required: true, uniqueness: 'server' }),
    attr('members', 'A list of members of the Group.', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attr('value', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        attr('$ref', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          mutability: 'immutable',
        }),
        attr('display', 'A human-readable name for the member.', { mutability: 'readOnly' }),
        attr('type', 'A label indicating the type of resource.', { canonicalValues: ['User', 'Group'], mutability: 'immutable' }),
      ],
    }),
  ],
};
