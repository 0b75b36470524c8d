/**
 * A DynamoDB that answers from memory, for timing handler CPU without I/O. Two ways to plug it in:
 * - `httpHandler()`: as the SDK's HTTP request handler. The whole SDK path still runs
 *   (marshalling, serialising, SigV4 signing, parsing); only the network is gone.
 * - `documentClientSend()`: in place of the document client's `send`. Only our code runs: the
 *   handler, the SCIM core and the store, as the brief's "stubbed client" asks.
 *
 * Answers are canned per request shape: a user, group or sentinel for GetItem by sort key, the
 * user's partition for a partition Query, a page of users for a list Query, every asked key for
 * BatchGetItem, and `{}` for every write. Answers are cached as JSON text and parsed per call, so
 * each call gets fresh objects for a few microseconds.
 */
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ItemType } from '../../lambdas/domain/items';
import { Attr, keys } from '../../lambdas/store/keys';

interface HttpRequestLike {
  headers: Record<string, string>;
  body?: unknown;
}

export interface RequestHandlerLike {
  handle(request: HttpRequestLike, options?: unknown): Promise<{ response: unknown }>;
}

export interface CannedWorld {
  appId: string;
  /** The user every user read returns (its `id` is replaced by the id asked for). */
  user: Record<string, unknown>;
  group: Record<string, unknown>;
  /** Users of a list page. */
  listSize: number;
  /** Total users the app claims to have (COUNT queries). */
  totalUsers: number;
}

type Plain = Record<string, unknown>;
type Operation = 'GetItem' | 'Query' | 'BatchGetItem';

export interface CannedDynamoDb {
  /** Makes reads of this user id answer with the canned user under that id. */
  knowUser(id: string): void;
  knowGroup(id: string): void;
  httpHandler(): RequestHandlerLike;
  documentClientSend(): (command: { input: unknown; constructor: { name: string } }) => Promise<unknown>;
}

/** What the main table's indexes copy: both keys and the item type (lib/tables.ts). */
const INDEX_COPIED = new Set<string>([Attr.pk, Attr.sk, Attr.gsi1pk, Attr.gsi1sk, Attr.gsi2pk, Attr.gsi2sk, Attr.type]);

const DOCUMENT_COMMANDS: Record<string, Operation> = { GetCommand: 'GetItem', QueryCommand: 'Query', BatchGetCommand: 'BatchGetItem' };

const respond = (body: Buffer) => ({
  response: { statusCode: 200, reason: 'OK', headers: { 'content-type': 'application/x-amz-json-1.0' }, body },
});

export const cannedDynamoDb = (world: CannedWorld): CannedDynamoDb => {
  const { appId } = world;
  // Reverse maps from key strings to ids, built with the key module (no key format known here).
  const idOfUserPk = new Map<string, string>();
  const idOfGroupPk = new Map<string, string>();
  const userItem = (id: string): Plain => ({ ...world.user, ...keys.user(appId, id), ...keys.userListEntry(appId, id), id });
  const groupItem = (id: string): Plain => ({ ...world.group, ...keys.group(appId, id), ...keys.groupListEntry(appId, id), id });
  const someUser = String(world.user.id);
  const emailPrefix = keys.userByEmail(appId, '').gsi2pk;

  const get = (key: { pk: string; sk: string }): Plain => {
    if (key.sk === 'USER') return { Item: userItem(idOfUserPk.get(key.pk) ?? someUser) };
    if (key.sk === 'GROUP') return { Item: groupItem(idOfGroupPk.get(key.pk) ?? String(world.group.id)) };
    if (key.sk === 'UNIQUE') return { Item: { ...key, type: ItemType.unique, appId, ownerId: world.user.id } };
    return {};
  };

  const query = (input: { IndexName?: string; Select?: string; Limit?: number }, pk: string): Plain => {
    if (input.Select === 'COUNT') return { Count: world.totalUsers, ScannedCount: world.totalUsers };
    let items: Plain[] = [];
    if (!input.IndexName) items = [userItem(idOfUserPk.get(pk) ?? someUser)];
    else if (pk === keys.userList(appId).gsi1pk) {
      items = Array.from({ length: Math.min(input.Limit ?? world.listSize, world.listSize) }, (_v, i) => userItem(`${someUser.slice(0, 28)}${String(i).padStart(8, '0')}`));
    } else if (pk.startsWith(emailPrefix)) items = [userItem(someUser)];
    // Group members: none (member changes never list them).
    // The indexes copy keys and type only (lib/tables.ts): readers fetch the items with BatchGet.
    if (input.IndexName) items = items.map((item) => Object.fromEntries(Object.entries(item).filter(([name]) => INDEX_COPIED.has(name))));
    return { Items: items, Count: items.length, ScannedCount: items.length };
  };

  const batchGet = (requestItems: Record<string, { pk: string; sk: string }[]>): Plain => {
    const Responses: Record<string, Plain[]> = {};
    for (const [table, wanted] of Object.entries(requestItems)) {
      // Under the key asked for, so a reader matching items to index entries finds each one.
      Responses[table] = wanted.map((key) => ({ ...(key.sk === 'GROUP' ? groupItem(idOfGroupPk.get(key.pk) ?? '') : userItem(idOfUserPk.get(key.pk) ?? '')), ...key }));
    }
    return { Responses, UnprocessedKeys: {} };
  };

  /** Plain (document-level) input → plain output. */
  const answer = (operation: Operation, input: Plain): Plain => {
    if (operation === 'GetItem') return get(input.Key as { pk: string; sk: string });
    if (operation === 'Query') return query(input, String((input.ExpressionAttributeValues as Plain)[':pk']));
    const requested = input.RequestItems as Record<string, { Keys: { pk: string; sk: string }[] }>;
    return batchGet(Object.fromEntries(Object.entries(requested).map(([t, r]) => [t, r.Keys])));
  };

  const marshallOutput = (operation: Operation, output: Plain): Plain => {
    const m = (item: Plain) => marshall(item, { removeUndefinedValues: true });
    if (operation === 'GetItem') return output.Item ? { Item: m(output.Item as Plain) } : {};
    if (operation === 'Query') return { ...output, ...(output.Items ? { Items: (output.Items as Plain[]).map(m) } : {}) };
    const responses = output.Responses as Record<string, Plain[]>;
    return { Responses: Object.fromEntries(Object.entries(responses).map(([t, items]) => [t, items.map(m)])), UnprocessedKeys: {} };
  };

  const unmarshallInput = (operation: Operation, input: Plain): Plain => {
    const u = (value: unknown) => unmarshall(value as never);
    if (operation === 'GetItem') return { ...input, Key: u(input.Key) };
    if (operation === 'Query') return { ...input, ExpressionAttributeValues: u(input.ExpressionAttributeValues) };
    const requested = input.RequestItems as Record<string, { Keys: unknown[] }>;
    return { RequestItems: Object.fromEntries(Object.entries(requested).map(([t, r]) => [t, { Keys: r.Keys.map(u) }])) };
  };

  return {
    knowUser: (id) => {
      idOfUserPk.set(keys.user(appId, id).pk, id);
    },
    knowGroup: (id) => {
      idOfGroupPk.set(keys.group(appId, id).pk, id);
    },

    httpHandler: () => {
      const cache = new Map<string, Buffer>();
      const empty = Buffer.from('{}');
      return {
        async handle(request) {
          const target = request.headers['x-amz-target'] ?? '';
          const operation = target.slice(target.indexOf('.') + 1) as Operation;
          if (operation !== 'GetItem' && operation !== 'Query' && operation !== 'BatchGetItem') return respond(empty);
          const bytes = request.body as Uint8Array | string;
          // A view on the bytes: Buffer.from(<Uint8Array subclass>) would call the SDK adapter's valueOf().
          const body = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
          let cached = cache.get(body);
          if (!cached) {
            const output = answer(operation, unmarshallInput(operation, JSON.parse(body) as Plain));
            cached = Buffer.from(JSON.stringify(marshallOutput(operation, output)));
            cache.set(body, cached);
          }
          return respond(cached);
        },
      };
    },

    documentClientSend: () => {
      const cache = new Map<string, string>();
      return async (command) => {
        const operation = DOCUMENT_COMMANDS[command.constructor.name];
        if (!operation) return {};
        const input = command.input as Plain;
        // A cheap cache key: the parts of the input that decide the answer.
        const key = `${operation}|${JSON.stringify(operation === 'GetItem' ? input.Key : operation === 'Query' ? [input.IndexName, input.Select, input.Limit, input.ExpressionAttributeValues] : input.RequestItems)}`;
        let cached = cache.get(key);
        if (cached === undefined) {
          cached = JSON.stringify(answer(operation, input));
          cache.set(key, cached);
        }
        return JSON.parse(cached) as unknown;
      };
    },
  };
};
