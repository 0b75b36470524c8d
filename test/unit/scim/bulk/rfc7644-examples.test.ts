/**
 * RFC 7644 §3.7's examples, from the verbatim fixtures in test/fixtures/rfc7644-bulk (see its
 * README for the three that are not valid JSON as printed and their one-spot repairs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBulkPayloadSize, processBulkRequest, type BulkCall, type BulkSuccess, type Perform } from '../../../../lambdas/scim/bulk';
import { ScimError } from '../../../../lambdas/scim/errors';
import { FakeDirectory } from './fake-directory';

const TENANT = 'https://example.com/v2';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const text = (name: string): string => readFileSync(join(__dirname, '../../../fixtures/rfc7644-bulk', name), 'utf8');
const json = (name: string): any => JSON.parse(text(name));

/** The RFC's PATCH `data` is `{[ … ]}`; the PatchOp body of §3.5.2 is what it stands for. */
const repairPatchData = (request: string): string => request.replace('"data": {[', `"data": {"schemas": ["${PATCH_OP}"], "Operations": [`);
/** The RFC's error bodies lack the comma after `"scimType":"invalidSyntax"`. */
const repairMissingComma = (response: string): string =>
  response.replaceAll('"scimType":"invalidSyntax"\n', '"scimType":"invalidSyntax",\n');

/** A perform that answers each operation (by index) from a script and records the calls. */
const scripted = (answers: Record<number, BulkSuccess | ScimError>): { calls: BulkCall[]; perform: Perform } => {
  const calls: BulkCall[] = [];
  const perform: Perform = async (call) => {
    calls.push(call);
    const answer = answers[call.index];
    if (answer instanceof ScimError) throw answer;
    return answer;
  };
  return { calls, perform };
};

const ALICE = '92b725cd-9465-4e7d-8c16-01f8e146b87a';
const BOB = 'b7c14771-226c-4d05-8860-134711653041';
const DAVE = '5d8d29d3-342c-4b5f-8683-a3cb6763ffcc';
const GONE = 'e9025315-6bea-44e1-899c-1e07454e468b';

describe('RFC 7644 §3.7.1 circular reference processing', () => {
  const GROUP_A = 'c3a26dd3-27a0-4dec-a2ac-ce211e105f97';
  const GROUP_B = '6c5bb468-14b2-4183-baf2-06d523e03bd3';

  it('resolves Group A ↔ Group B: creates A without B, creates B with A, then adds B to A', async () => {
    // Prepare
    const directory = new FakeDirectory([GROUP_A, GROUP_B]);

    // Act
    const { body } = await processBulkRequest(json('3.7.1-circular-request.json'), directory.perform, { tenantUrl: TENANT });

    // Assess: the calls
    expect(directory.calls.map((c) => [c.purpose, c.method, c.id ?? null])).toEqual([
      ['operation', 'POST', null],
      ['operation', 'POST', null],
      ['link', 'PATCH', GROUP_A],
    ]);
    expect(directory.calls[0].data).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Group A' });
    expect(directory.calls[1].data!.members).toEqual([{ type: 'Group', value: GROUP_A }]);
    expect(directory.calls[2].data).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ type: 'Group', value: GROUP_B }] }],
    });
    // Assess: the state is the RFC's GET, and so is its timeline (A modified after B was created; B never)
    for (const resource of json('3.7.1-circular-get-response.json').Resources) {
      const stored = directory.resources.get(resource.id)!;
      expect(stored.data.displayName).toBe(resource.displayName);
      expect(stored.members).toEqual(resource.members.map(({ value, type }: any) => ({ value, type })));
    }
    const [a, b] = [directory.resources.get(GROUP_A)!, directory.resources.get(GROUP_B)!];
    expect(a.created).toBeLessThan(b.created);
    expect(b.lastModified).toBe(b.created);
    expect(a.lastModified).toBeGreaterThan(b.created);
    expect(body.Operations.map((o) => [o.bulkId, o.status, o.location])).toEqual([
      ['qwerty', '201', `${TENANT}/Groups/${GROUP_A}`],
      ['ytrewq', '201', `${TENANT}/Groups/${GROUP_B}`],
    ]);
  });
});

describe('RFC 7644 §3.7.2 "bulkId" temporary identifiers', () => {
  const TOUR_GUIDES = 'e9e30dba-f08f-4109-8486-d5c6a331660a';

  it('replaces "bulkId:qwerty" with the new User id and answers the RFC response', async () => {
    // Prepare
    const { calls, perform } = scripted({
      0: { status: 201, id: ALICE, version: 'W/"4weymrEsh5O6cAEK"' },
      1: { status: 201, id: TOUR_GUIDES, version: 'W/"lha5bbazU3fNvfe5"' },
    });

    // Act
    const { body } = await processBulkRequest(json('3.7.2-bulkid-request.json'), perform, { tenantUrl: TENANT });

    // Assess: §3.7.2 prints status as {"code": …}; §3.7.3 (the response's definition) as the string
    expect(calls[1].data!.members).toEqual([{ type: 'User', value: ALICE }]);
    const expected = json('3.7.2-bulkid-response.json');
    for (const operation of expected.Operations) operation.status = operation.status.code;
    expect(body).toEqual(expected);
  });

  it('leaves Alice as the member the RFC\'s GET of "Tour Guides" shows', async () => {
    const directory = new FakeDirectory([ALICE, TOUR_GUIDES]);

    await processBulkRequest(json('3.7.2-bulkid-request.json'), directory.perform, { tenantUrl: TENANT });

    const group = json('3.7.2-group-get-response.json');
    expect(directory.resources.get(group.id)!.members).toEqual(group.members.map(({ value, type }: any) => ({ value, type })));
  });

  it("replaces a bulkId in the enterprise extension's manager.value the same way", async () => {
    const directory = new FakeDirectory([ALICE, BOB]);

    const { body } = await processBulkRequest(json('3.7.2-manager-request.json'), directory.perform, { tenantUrl: TENANT });

    expect(body.Operations.map((o) => o.status)).toEqual(['201', '201']);
    expect(directory.calls[1].data!['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({
      employeeNumber: '11250',
      manager: { value: ALICE },
    });
    expect(directory.resources.get(BOB)!.data['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toMatchObject({
      manager: { value: ALICE },
    });
  });
});

describe('RFC 7644 §3.7.3 response and error handling', () => {
  const request = (): any => JSON.parse(repairPatchData(text('3.7.3-request.txt')));

  it('prints a request that is not JSON: the PATCH data is an array inside braces', () => {
    expect(() => JSON.parse(text('3.7.3-request.txt'))).toThrow(SyntaxError);
    expect(request().Operations[2].data.Operations).toEqual([
      { op: 'remove', path: 'nickName' },
      { op: 'add', path: 'userName', value: 'Dave' },
    ]);
  });

  it('adds, updates and removes users, sending each version as If-Match, and answers the RFC response', async () => {
    // Prepare
    const { calls, perform } = scripted({
      0: { status: 201, id: ALICE, version: 'W/"oY4m4wn58tkVjJxK"' },
      1: { status: 200, id: BOB, version: 'W/"huJj29dMNgu3WXPD"' },
      2: { status: 200, id: DAVE, version: 'W/"huJj29dMNgu3WXPD"' },
      3: { status: 204, id: GONE },
    });

    // Act
    const { body } = await processBulkRequest(request(), perform, { tenantUrl: TENANT });

    // Assess
    expect(calls.map((c) => [c.method, c.id ?? null, c.ifMatch ?? null])).toEqual([
      ['POST', null, null],
      ['PUT', BOB, 'W/"3694e05e9dff591"'],
      ['PATCH', DAVE, 'W/"edac3253e2c0ef2"'],
      ['DELETE', GONE, 'W/"0ee8add0a938e1a"'],
    ]);
    expect(body).toEqual(json('3.7.3-response.json'));
  });

  it('with failOnErrors 1, stops after the first error and answers only it', async () => {
    const { calls, perform } = scripted({
      0: ScimError.invalidSyntax('Request is unparsable, syntactically incorrect, or violates schema.'),
    });

    const { body, execution } = await processBulkRequest(request(), perform, { tenantUrl: TENANT });

    expect(calls).toHaveLength(1);
    expect(execution.stopped).toBe('failOnErrors');
    expect(() => JSON.parse(text('3.7.3-fail-on-errors-response.txt'))).toThrow(SyntaxError);
    expect(body).toEqual(JSON.parse(repairMissingComma(text('3.7.3-fail-on-errors-response.txt'))));
  });

  it('without failOnErrors, processes every operation and answers each failure', async () => {
    // Prepare
    const { failOnErrors: _ignored, ...withoutLimit } = request();
    const changed = 'Failed to update.  Resource changed on the server.';
    const { calls, perform } = scripted({
      0: ScimError.invalidSyntax('Request is unparsable, syntactically incorrect, or violates schema.'),
      1: ScimError.preconditionFailed(changed),
      2: ScimError.preconditionFailed(changed),
      3: ScimError.notFound('Resource does not exist.'),
    });

    // Act
    const { body } = await processBulkRequest(withoutLimit, perform, { tenantUrl: TENANT });

    // Assess
    expect(calls).toHaveLength(4);
    expect(body).toEqual(JSON.parse(repairMissingComma(text('3.7.3-all-failed-response.txt'))));
  });
});

describe('RFC 7644 §3.7.4 maximum operations', () => {
  it("answers a body over maxPayloadSize with the RFC's 413", () => {
    let thrown: unknown;
    try {
      assertBulkPayloadSize(4294967296, { maxOperations: 1000, maxPayloadSize: 1048576 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScimError);
    expect((thrown as ScimError).toBody()).toEqual(json('3.7.4-payload-too-large-response.json'));
  });
});
