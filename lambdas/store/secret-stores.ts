/**
 * Where token hashes live, behind one small interface: AWS Secrets Manager in AWS, a JSON file for
 * the local gateway. Both hold the same named string values, so nothing above this file differs.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

export interface SecretStore {
  /** The current value, or undefined when no such secret exists. */
  get(name: string): Promise<string | undefined>;
  /** Creates the secret or replaces its value. */
  put(name: string, value: string): Promise<void>;
  /**
   * Creates the secret only when it does not exist yet; false when it did (its value is left as it
   * was). Two writers racing to create one value (the first signing key set) thus agree on the winner.
   */
  create(name: string, value: string): Promise<boolean>;
  /** Removes the secret at once (no recovery window); absent secrets are fine. */
  delete(name: string): Promise<void>;
}

/** Secret names, all under one prefix so IAM can scope every grant to it. */
export const secretNames = (prefix: string) => ({
  app: (appId: string) => `${prefix}/apps/${appId}`,
  /** Directory token hashes of an application (issue 16): under its own name, inside the same grants. */
  directory: (appId: string) => `${prefix}/apps/${appId}/directory`,
  admin: `${prefix}/admin`,
  /** Hashes of an application's OAuth client secrets (under apps/, so the admin grant covers it). */
  oauthClients: (appId: string) => `${prefix}/apps/${appId}/oauth-clients`,
  /** The access-token signing key set, private parts included: only the token endpoint and the rotation read it. */
  signingKeys: `${prefix}/oauth/signing-keys`,
});

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/** `kmsKeyId`: the customer key new application secrets are encrypted with (the construct's key). */
export const createSecretsManagerStore = (
  client: SecretsManagerClient = new SecretsManagerClient({ maxAttempts: 3 }),
  kmsKeyId?: string,
): SecretStore => {
  const putValue = (name: string, value: string) => client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  return {
    async get(name) {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: name }));
        return out.SecretString;
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },
    async put(name, value) {
      try {
        await putValue(name, value);
        return;
      } catch (error) {
        if (errorName(error) !== 'ResourceNotFoundException') throw error;
      }
      try {
        await client.send(
          new CreateSecretCommand({ Name: name, SecretString: value, KmsKeyId: kmsKeyId, Description: 'scim-gateway Secret Token hashes' }),
        );
      } catch (error) {
        // Someone created it between our two calls: write over it like any other update.
        if (errorName(error) !== 'ResourceExistsException') throw error;
        await putValue(name, value);
      }
    },
    async create(name, value) {
      try {
        await client.send(new CreateSecretCommand({ Name: name, SecretString: value, KmsKeyId: kmsKeyId, Description: 'scim-gateway OAuth signing keys' }));
        return true;
      } catch (error) {
        if (errorName(error) === 'ResourceExistsException') return false;
        throw error;
      }
    },
    async delete(name) {
      try {
        await client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
      } catch (error) {
        if (errorName(error) !== 'ResourceNotFoundException') throw error;
      }
    },
  };
};

/**
 * The parsed contents of each secret file, shared by every store of this process. The local
 * gateway is the file's only writer (its data-directory lock keeps a second gateway out, and the
 * CLI goes through the admin API), so the file is read once and every write replaces the cached
 * copy: a revocation is effective on the very next request without a file read per request.
 */
const fileContents = new Map<string, Record<string, string>>();

/**
 * A JSON file `{ "<name>": "<value>" }` for the local gateway. Writes go to a temp file renamed
 * into place, so a reader never sees half a file, and then become the cached contents.
 */
export const createFileSecretStore = (file: string): SecretStore => {
  let queue: Promise<unknown> = Promise.resolve();

  const readAll = async (): Promise<Record<string, string>> => {
    const cached = fileContents.get(file);
    if (cached) return { ...cached };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`The secret file ${file} does not hold a JSON object.`);
    }
    fileContents.set(file, { ...(parsed as Record<string, string>) });
    return parsed as Record<string, string>;
  };

  const writeAll = async (all: Record<string, string>): Promise<void> => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
      await rename(temp, file);
      fileContents.set(file, { ...all });
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  };

  // Read-modify-write of one file: serialise the writers of this process.
  const update = (change: (all: Record<string, string>) => void): Promise<void> => {
    const next = queue.then(async () => {
      const all = await readAll();
      change(all);
      await writeAll(all);
    });
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    async get(name) {
      const all = fileContents.get(file) ?? (await readAll());
      const value = Object.hasOwn(all, name) ? all[name] : undefined;
      return typeof value === 'string' ? value : undefined;
    },
    put: (name, value) =>
      update((all) => {
        all[name] = value;
      }),
    async create(name, value) {
      let created = false;
      await update((all) => {
        if (Object.hasOwn(all, name)) return;
        all[name] = value;
        created = true;
      });
      return created;
    },
    delete: (name) =>
      update((all) => {
        delete all[name];
      }),
  };
};
