/**
 * Races through the local gateway: parallel requests that DynamoDB's conditional writes and
 * transactions must order. Exactly one winner where one is allowed, 409/412 for the others, no
 * lost member, no dangling membership. The table is read directly afterwards (the gateway's own
 * DynamoDB Local), not only through the API.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ItemType } from '../../../lambdas/domain/items';
import { Index, keys } from '../../../lambdas/store/keys';
import { MAIN_TABLE_NAME } from '../../../lib/local/gateway';
import { entraGroup, entraUser, PATCH_URN } from '../support/arbitraries';
import { recordFigures } from '../support/figures';
import { scimPath, type Gateway, type LocalApp } from '../support/gateway';
import { scaled } from '../support/scale';

export const racesSuite = (shared: () => Gateway): void => {
  describe('races through the local gateway', () => {
    let gw: Gateway;
    let app: LocalApp;
    let db: DynamoDBDocumentClient;
    const figures: Record<string, unknown> = {};

    const scim = (method: string, rest: string, body?: unknown, headers: Record<string, string> = {}) =>
      gw.request(method, scimPath(app, rest), { token: app.secretToken, body: body === undefined ? undefined : JSON.stringify(body), headers });

    const countBy = (statuses: number[]): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
      return out;
    };

    const newUser = async (userName: string): Promise<string> => {
      const res = await scim('POST', '/Users', entraUser(userName));
      expect(res.status).toBe(201);
      return res.body.id;
    };

    const patchOps = (...ops: unknown[]) => ({ schemas: [PATCH_URN], Operations: ops });

    beforeAll(async () => {
      gw = shared();
      app = await gw.createApp('Races');
      db = gw.db();
    });

    afterAll(() => {
      recordFigures('races', figures);
    });

    it('50 parallel POST /Users of one userName → exactly one 201, 49 × 409 uniqueness', async () => {
      const rounds = scaled(1, 5);
      const outcomes: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const userName = `race.create.${round}`;
        // Different letter case and externalIds: uniqueness is on the case-folded userName alone.
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) => scim('POST', '/Users', { ...entraUser(i % 2 ? userName.toUpperCase() : userName), externalId: `ext-${round}-${i}` })),
        );
        const statuses = answers.map((a) => a.status);
        outcomes.push(...statuses);
        expect(countBy(statuses)).toEqual({ 201: 1, 409: 49 });
        for (const a of answers.filter((x) => x.status === 409)) expect(a.body.scimType).toBe('uniqueness');
        const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
        expect(found.body.totalResults).toBe(1);
      }
      figures.createSameUserName = { rounds, requests: outcomes.length, outcomes: countBy(outcomes) };
    });

    it('two users renamed to the same userName at once → one 200, one 409 uniqueness', async () => {
      const rounds = scaled(5, 50);
      const outcomes: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const [a, b] = [await newUser(`rename.a.${round}`), await newUser(`rename.b.${round}`)];
        const target = `rename.target.${round}`;
        const answers = await Promise.all([a, b].map((id) => scim('PATCH', `/Users/${id}`, patchOps({ op: 'replace', path: 'userName', value: target }))));
        const statuses = answers.map((x) => x.status).sort();
        outcomes.push(...statuses);
        expect(statuses).toEqual([200, 409]);
        const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${target}"`)}`);
        expect(found.body.totalResults).toBe(1);
      }
      figures.renameToSameName = { rounds, requests: outcomes.length, outcomes: countBy(outcomes) };
    });

    it('parallel PATCHes with the same If-Match → one 200, the others 412; the winner’s change is stored', async () => {
      const rounds = scaled(3, 30);
      const writers = 10;
      const outcomes: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const id = await newUser(`ifmatch.${round}`);
        const etag = (await scim('GET', `/Users/${id}`)).headers.etag;
        const answers = await Promise.all(
          Array.from({ length: writers }, (_, i) => scim('PATCH', `/Users/${id}`, patchOps({ op: 'replace', path: 'displayName', value: `writer ${i}` }), { 'If-Match': etag })),
        );
        const statuses = answers.map((x) => x.status);
        outcomes.push(...statuses);
        expect(countBy(statuses)).toEqual({ 200: 1, 412: writers - 1 });
        const winner = answers.findIndex((x) => x.status === 200);
        const stored = await scim('GET', `/Users/${id}`);
        expect(stored.body.displayName).toBe(`writer ${winner}`);
        expect(stored.headers.etag).not.toBe(etag);
      }
      figures.ifMatch = { rounds, writersPerRound: writers, requests: outcomes.length, outcomes: countBy(outcomes) };
    });

    it('20 parallel PATCHes adding 1,000 members in total to one group → all 20 succeed and every member is stored', async () => {
      // The quick slice adds 100 (5 a PATCH); the full run the 1,000 of the issue.
      const members = scaled(100, 1_000);
      const patches = 20;
      const userIds: string[] = [];
      for (let i = 0; i < members; i += 50) {
        userIds.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => newUser(`member.${i + j}`)))));
      }
      const group = await scim('POST', '/Groups', entraGroup('Race group'));
      expect(group.status).toBe(201);
      const per = members / patches;
      const answers = await Promise.all(
        Array.from({ length: patches }, (_, p) =>
          scim('PATCH', `/Groups/${group.body.id}`, patchOps({ op: 'add', path: 'members', value: userIds.slice(p * per, (p + 1) * per).map((value) => ({ value })) })),
        ),
      );
      const statuses = answers.map((x) => x.status);
      figures.parallelMemberAdds = { patches, members, outcomes: countBy(statuses) };
      expect(countBy(statuses)).toEqual({ 204: patches });
      // Every membership is in the table, and the API lists them all.
      const stored = new Set<string>();
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: MAIN_TABLE_NAME,
            IndexName: Index.lookups,
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.groupMembers(app.id, group.body.id).gsi2pk },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) if (item.type === ItemType.membership) stored.add(String(item.gsi2sk)); // the index copies keys and type: gsi2sk is the member's id
        start = page.LastEvaluatedKey;
      } while (start);
      expect(stored.size).toBe(members);
      const listed = await scim('GET', `/Groups/${group.body.id}`);
      expect(listed.body.members).toHaveLength(members);
    });

    it('a user deleted while being added to groups → no dangling membership, in the table or the API', async () => {
      const rounds = scaled(3, 30);
      const groupsPerRound = 5;
      const outcomes: Record<string, number[]> = { delete: [], add: [] };
      for (let round = 0; round < rounds; round++) {
        const userId = await newUser(`doomed.${round}`);
        const groupIds = await Promise.all(Array.from({ length: groupsPerRound }, async (_, g) => (await scim('POST', '/Groups', entraGroup(`Doom ${round}.${g}`))).body.id as string));
        const adds = groupIds.map((gid) => scim('PATCH', `/Groups/${gid}`, patchOps({ op: 'add', path: 'members', value: [{ value: userId }] })));
        // The delete starts in the middle of the adds.
        const [deleted, ...added] = await Promise.all([new Promise((r) => setTimeout(r, round % 3)).then(() => scim('DELETE', `/Users/${userId}`)), ...adds]);
        outcomes.delete.push(deleted.status);
        outcomes.add.push(...added.map((a) => a.status));
        expect(deleted.status).toBe(204);
        for (const a of added) expect([204, 400, 404]).toContain(a.status);
        const partition = await db.send(
          new QueryCommand({ TableName: MAIN_TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.userPartition(app.id, userId) }, ConsistentRead: true }),
        );
        expect(partition.Items ?? []).toEqual([]);
        for (const gid of groupIds) {
          const members = await db.send(
            new QueryCommand({
              TableName: MAIN_TABLE_NAME,
              IndexName: Index.lookups,
              KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk = :user',
              ExpressionAttributeValues: { ':pk': keys.groupMembers(app.id, gid).gsi2pk, ':user': userId },
            }),
          );
          expect(members.Items ?? []).toEqual([]);
          const group = await scim('GET', `/Groups/${gid}`);
          expect((group.body.members ?? []).map((m: { value: string }) => m.value)).not.toContain(userId);
        }
      }
      figures.deleteDuringMemberAdds = { rounds, groupsPerRound, deletes: countBy(outcomes.delete), adds: countBy(outcomes.add) };
    });
  });
};
