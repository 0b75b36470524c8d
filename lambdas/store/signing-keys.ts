/**
 * The gateway's access-token signing keys. The key set (private parts included) is one secret
 * (`<prefix>/oauth/signing-keys`) that only the token endpoint and the rotation read; its public
 * half is published as one main-table item that every authorizer reads (GetItem, cached per
 * container), so verifying a token never calls Secrets Manager.
 *
 * Order is what keeps tokens valid: the public keys are published before the private set that
 * signs with them is written (rotation), and a newly created set is published before its first
 * signature (createIfAbsent, then publishIfAbsent by whoever loads it).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JSONWebKeySet } from 'jose';
import { ItemType } from '../domain/items';
import { parseKeySet, publicKeySet, serializeKeySet, type KeySet } from '../oauth/signing-keys';
import { keys } from './keys';
import { secretNames, type SecretStore } from './secret-stores';

export interface SigningKeyStore {
  /** The private key set, or undefined before the deployment's first token. */
  keySet(): Promise<KeySet | undefined>;
  /** Stores `set` unless one exists; returns the set that is stored (the winner of a race). */
  createIfAbsent(set: KeySet): Promise<KeySet>;
  /** Rotation: publish the new public keys, then store the private set. */
  replace(set: KeySet): Promise<void>;
  /** Publishes the public half of `set` when nothing is published yet. */
  publishIfAbsent(set: KeySet): Promise<void>;
  /** The published public keys (what the authorizer verifies with), or undefined. */
  publishedKeys(): Promise<JSONWebKeySet | undefined>;
}

const isConditionFailure = (error: unknown): boolean => (error as Error)?.name === 'ConditionalCheckFailedException';

export const createSigningKeyStore = (client: DynamoDBDocumentClient, tableName: string, secrets: SecretStore, prefix: string): SigningKeyStore => {
  const name = secretNames(prefix).signingKeys;

  const read = async (): Promise<KeySet | undefined> => {
    const text = await secrets.get(name);
    return text === undefined ? undefined : parseKeySet(text);
  };

  const publish = async (set: KeySet, onlyIfAbsent: boolean): Promise<void> => {
    const item = { ...keys.signingKeys(), type: ItemType.signingKeys, jwks: JSON.stringify(publicKeySet(set)), current: set.current.kid };
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ...(onlyIfAbsent ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } } : {}),
        }),
      );
    } catch (error) {
      if (!(onlyIfAbsent && isConditionFailure(error))) throw error;
    }
  };

  return {
    keySet: read,
    async createIfAbsent(set) {
      if (await secrets.create(name, serializeKeySet(set))) return set;
      const stored = await read();
      if (!stored) throw new Error(`The signing key secret ${name} exists but could not be read.`);
      return stored;
    },
    async replace(set) {
      await publish(set, false);
      await secrets.put(name, serializeKeySet(set));
    },
    publishIfAbsent: (set) => publish(set, true),
    async publishedKeys() {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: keys.signingKeys() }));
      if (!out.Item || typeof out.Item.jwks !== 'string') return undefined;
      return JSON.parse(out.Item.jwks) as JSONWebKeySet;
    },
  };
};
