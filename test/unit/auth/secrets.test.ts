import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { secretStoreOf } from '../../../lambdas/shared/app-stores';
import { createFileSecretStore, createSecretsManagerStore, secretNames } from '../../../lambdas/store/secret-stores';

const notFound = () => new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });

describe('store/secret-stores', () => {
  describe('Secrets Manager store', () => {
    const sm = mockClient(SecretsManagerClient);
    beforeEach(() => sm.reset());
    afterAll(() => sm.restore());
    const store = () => createSecretsManagerStore(new SecretsManagerClient({}));

    it('get returns the secret string', async () => {
      sm.on(GetSecretValueCommand, { SecretId: 'p/apps/a' }).resolves({ SecretString: '{"tokens":[]}' });
      await expect(store().get('p/apps/a')).resolves.toBe('{"tokens":[]}');
    });

    it('get returns undefined for a secret that does not exist', async () => {
      sm.on(GetSecretValueCommand).rejects(notFound());
      await expect(store().get('p/apps/a')).resolves.toBeUndefined();
    });

    it('get passes any other failure on', async () => {
      sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
      await expect(store().get('p/apps/a')).rejects.toThrow('User is not authorized');
    });

    it('put writes a new version of an existing secret', async () => {
      sm.on(PutSecretValueCommand).resolves({});
      await store().put('p/apps/a', 'v');
      expect(sm).toHaveReceivedCommandWith(PutSecretValueCommand, { SecretId: 'p/apps/a', SecretString: 'v' });
      expect(sm).not.toHaveReceivedCommand(CreateSecretCommand);
    });

    it('put creates the secret when it does not exist yet', async () => {
      sm.on(PutSecretValueCommand).rejects(notFound());
      sm.on(CreateSecretCommand).resolves({});
      await store().put('p/apps/a', 'v');
      expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, { Name: 'p/apps/a', SecretString: 'v' });
    });

    it('put creates new secrets with the configured KMS key', async () => {
      sm.on(PutSecretValueCommand).rejects(notFound());
      sm.on(CreateSecretCommand).resolves({});
      await createSecretsManagerStore(new SecretsManagerClient({}), 'arn:aws:kms:eu-west-1:111111111111:key/k').put('p/apps/a', 'v');
      expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, { Name: 'p/apps/a', KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k' });
    });

    it('put overwrites a secret created concurrently between its two calls', async () => {
      sm.on(PutSecretValueCommand).rejectsOnce(notFound()).resolves({});
      sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
      await store().put('p/apps/a', 'v');
      expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 2);
    });

    it('delete removes the secret without a recovery window, and ignores an absent one', async () => {
      sm.on(DeleteSecretCommand).resolvesOnce({}).rejects(notFound());
      await store().delete('p/apps/a');
      await store().delete('p/apps/a');
      expect(sm).toHaveReceivedCommandWith(DeleteSecretCommand, { SecretId: 'p/apps/a', ForceDeleteWithoutRecovery: true });
    });
  });

  describe('file store', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'scgw-secrets-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('puts, gets and deletes named values', async () => {
      const store = createFileSecretStore(join(dir, 'nested', 'secrets.json'));
      await expect(store.get('a')).resolves.toBeUndefined();
      await store.put('a', '1');
      await store.put('b', '2');
      await expect(store.get('a')).resolves.toBe('1');
      await store.delete('a');
      await store.delete('missing');
      await expect(store.get('a')).resolves.toBeUndefined();
      await expect(store.get('b')).resolves.toBe('2');
    });

    it('sees a change made through any store of this process at once (the gateway is the only writer)', async () => {
      const file = join(dir, 'secrets.json');
      const reader = createFileSecretStore(file);
      await createFileSecretStore(file).put('a', 'old');
      await expect(reader.get('a')).resolves.toBe('old');
      await createFileSecretStore(file).put('a', 'new');
      await expect(reader.get('a')).resolves.toBe('new');
    });

    it('reads the file once, not on every get', async () => {
      const file = join(dir, 'secrets.json');
      await writeFile(file, JSON.stringify({ a: '1' }));
      const store = createFileSecretStore(file);
      await expect(store.get('a')).resolves.toBe('1');
      await rm(file);
      await expect(store.get('a')).resolves.toBe('1');
      await store.put('b', '2');
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: '1', b: '2' });
    });

    it('keeps every one of many concurrent writes and leaves no temp file behind', async () => {
      const file = join(dir, 'secrets.json');
      const store = createFileSecretStore(file);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`k${i}`, String(i))));
      const all = JSON.parse(await readFile(file, 'utf8'));
      expect(Object.keys(all)).toHaveLength(20);
      expect(await readdir(dir)).toEqual(['secrets.json']);
    });

    it('writes a file only its owner can read', async () => {
      const file = join(dir, 'secrets.json');
      await createFileSecretStore(file).put('a', '1');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    });

    it('refuses a file that is not a JSON object rather than treating it as empty', async () => {
      const file = join(dir, 'secrets.json');
      await writeFile(file, '[1,2]');
      await expect(createFileSecretStore(file).get('a')).rejects.toThrow(/JSON object/);
      await writeFile(file, '{oops');
      await expect(createFileSecretStore(file).get('a')).rejects.toThrow();
    });

    it('does not return inherited properties as secrets', async () => {
      const file = join(dir, 'secrets.json');
      await writeFile(file, '{}');
      await expect(createFileSecretStore(file).get('toString')).resolves.toBeUndefined();
    });
  });

  describe('secretStoreOf', () => {
    it('needs a file path for the file store', () => {
      expect(() => secretStoreOf({ SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: undefined })).toThrow(/SCIM_SECRET_FILE/);
    });

    it('builds either store', () => {
      expect(secretStoreOf({ SCIM_SECRET_STORE: 'file', SCIM_SECRET_FILE: '/tmp/x.json' })).toHaveProperty('get');
      expect(secretStoreOf({ SCIM_SECRET_STORE: 'secrets-manager', SCIM_SECRET_FILE: undefined })).toHaveProperty('put');
    });
  });

  describe('names and permissions', () => {
    it('names one secret per application and one for admins under the prefix', () => {
      expect(secretNames('scim').app('abc')).toBe('scim/apps/abc');
      expect(secretNames('scim').admin).toBe('scim/admin');
    });
  });
});
