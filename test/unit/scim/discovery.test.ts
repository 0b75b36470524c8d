import {
  customExtensions,
  findResourceType,
  findSchema,
  resourceTypeDocuments,
  schemaDocuments,
  serviceProviderConfig,
  type AttributeDocument,
} from '../../../lambdas/scim/discovery';
import { listResponse } from '../../../lambdas/scim/list-response';
import { SchemaUrn } from '../../../lambdas/scim/schemas';
import { scimErrorOf } from './scim-error-of';

const BASE = 'https://api.example/apps/a1/scim/v2';
const ACME = 'urn:ietf:params:scim:schemas:extension:Acme:2.0:User';
const HR = 'urn:ietf:params:scim:schemas:extension:HR:2.0:User';
const extensionAttributes = [`${ACME}:costCode`, `${ACME}:tier`, `${HR}:badge`, `${ACME.toLowerCase()}:TIER`];

const allAttributes = (attributes: AttributeDocument[]): AttributeDocument[] =>
  attributes.flatMap((a) => [a, ...allAttributes(a.subAttributes ?? [])]);

describe('serviceProviderConfig', () => {
  const config = serviceProviderConfig(`${BASE}/`);

  it('advertises what the server supports', () => {
    expect(config).toMatchObject({
      schemas: [SchemaUrn.serviceProviderConfig],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken', primary: true }],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    });
  });

  it('advertises RFC 9865 pagination with index as the default method', () => {
    expect(config.pagination).toEqual({
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: 100,
      maxPageSize: 1000,
      cursorTimeout: 3600,
    });
  });

  it('has no nulls', () => {
    expect(JSON.stringify(config)).not.toContain('null');
  });
});

describe('schemaDocuments', () => {
  const schemas = schemaDocuments(BASE, extensionAttributes);

  it('describes User, EnterpriseUser, Group and each custom extension in use', () => {
    expect(schemas.map((s) => s.id)).toEqual([SchemaUrn.user, SchemaUrn.enterpriseUser, SchemaUrn.group, ACME, HR]);
  });

  it('gives every attribute, at every level, every RFC 7643 §7 characteristic with a valid value', () => {
    for (const attribute of schemas.flatMap((s) => allAttributes(s.attributes))) {
      expect(attribute).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          type: expect.stringMatching(/^(string|boolean|decimal|integer|dateTime|reference|complex|binary)$/),
          multiValued: expect.any(Boolean),
          description: expect.any(String),
          required: expect.any(Boolean),
          caseExact: expect.any(Boolean),
          mutability: expect.stringMatching(/^(readOnly|readWrite|immutable|writeOnly)$/),
          returned: expect.stringMatching(/^(always|never|default|request)$/),
          uniqueness: expect.stringMatching(/^(none|server|global)$/),
        }),
      );
      if (attribute.type === 'complex') expect(attribute.subAttributes?.length).toBeGreaterThan(0);
      if (attribute.type === 'reference') expect(attribute.referenceTypes?.length).toBeGreaterThan(0);
    }
  });

  it('emits no nulls and says "User Account" (the Postman check)', () => {
    const body = JSON.stringify(listResponse({ resources: schemas, totalResults: schemas.length }));

    expect(body).not.toContain('null');
    expect(body).toContain('User Account');
  });

  it('marks userName required and unique, and manager complex with value/$ref/displayName', () => {
    const [user, enterprise] = schemas;

    expect(user.attributes.find((a) => a.name === 'userName')).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
    expect(enterprise.attributes.find((a) => a.name === 'manager')?.subAttributes?.map((s) => s.name)).toEqual(['value', '$ref', 'displayName']);
  });

  it('does not advertise password, which is accepted and dropped', () => {
    expect(schemas[0].attributes.map((a) => a.name)).not.toContain('password');
  });

  it('describes a custom extension with its attributes as simple read-write strings, deduplicated in any case', () => {
    const acme = schemas.find((s) => s.id === ACME);

    expect(acme).toMatchObject({ name: 'Acme', meta: { resourceType: 'Schema', location: `${BASE}/Schemas/${ACME}` } });
    expect(acme?.attributes.map((a) => a.name)).toEqual(['costCode', 'tier']);
    expect(acme?.attributes[0]).toMatchObject({ type: 'string', multiValued: false, mutability: 'readWrite', returned: 'default' });
  });

  it('gives each schema its meta', () => {
    expect(schemas[2].meta).toEqual({ resourceType: 'Schema', location: `${BASE}/Schemas/${SchemaUrn.group}` });
  });
});

describe('customExtensions', () => {
  it('skips malformed entries and the enterprise extension', () => {
    expect(
      customExtensions(['tier', `${ACME}:bad name`, `${SchemaUrn.enterpriseUser}:department`, 'urn:example:x:2.0:User:a', `${ACME}:ok`]),
    ).toEqual([{ urn: ACME, name: 'Acme', attributes: ['ok'] }]);
  });
});

describe('resourceTypeDocuments', () => {
  const types = resourceTypeDocuments(BASE, extensionAttributes);

  it('lists /Users first (the Postman check) with the enterprise and custom extensions, then /Groups', () => {
    expect(types[0]).toEqual({
      schemas: [SchemaUrn.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: SchemaUrn.user,
      schemaExtensions: [
        { schema: SchemaUrn.enterpriseUser, required: false },
        { schema: ACME, required: false },
        { schema: HR, required: false },
      ],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    });
    expect(types[1]).toMatchObject({ id: 'Group', endpoint: '/Groups', schema: SchemaUrn.group, schemaExtensions: [] });
  });
});

describe('findSchema / findResourceType', () => {
  it('finds documents by id in any letter case', () => {
    expect(findSchema(SchemaUrn.enterpriseUser.toUpperCase(), BASE).id).toBe(SchemaUrn.enterpriseUser);
    expect(findSchema(ACME.toLowerCase(), BASE, extensionAttributes).id).toBe(ACME);
    expect(findResourceType('group', BASE).endpoint).toBe('/Groups');
  });

  it('answers 404 for unknown ids', () => {
    expect(scimErrorOf(() => findSchema('urn:nope', BASE)).status).toBe(404);
    expect(scimErrorOf(() => findSchema(ACME, BASE)).status).toBe(404);
    expect(scimErrorOf(() => findResourceType('Device', BASE)).status).toBe(404);
  });
});
