import { bootstrapToken, hashToken, issueAdminToken, issueAppToken } from '../../../lambdas/domain/secret-tokens';
import type { SecretStore } from '../../../lambdas/store/secret-stores';
import { createTokenVault, MalformedSecretError } from '../../../lambdas/store/token-vault';

const NOW = new Date('2026-06-01T12:00:00Z');
const memoryStore = (initial: Record<string, string> = {}): SecretStore & { data: Record<string, string> } => {
  const data = { ...initial };
  return {
    data,
    get: async (name) => data[name],
    put: async (name, value) => {
      data[name] = value;
    },
    create: async (name, value) => {
      if (name in data) return false;
      data[name] = value;
      return true;
    },
    delete: async (name) => {
      delete data[name];
    },
  };
};

describe('store/token-vault', () => {
  it('writes an application secret holding only ids, hashes and dates', async () => {
    const store = memoryStore();
    const issued = issueAppToken('abcdefghij12', NOW, '2027-01-01T00:00:00.000Z');
    await createTokenVault(store, 'p').putAppTokens('abcdefghij12', [{ ...issued.stored, secret: issued.token } as never]);
    expect(JSON.parse(store.data['p/apps/abcdefghij12'])).toEqual({ tokens: [issued.stored] });
    expect(store.data['p/apps/abcdefghij12']).not.toContain(issued.token);
  });

  it('reads back what it wrote, and undefined for an application without a secret', async () => {
    const vault = createTokenVault(memoryStore(), 'p');
    const issued = issueAppToken('abcdefghij12', NOW);
    await vault.putAppTokens('abcdefghij12', [issued.stored]);
    await expect(vault.appTokens('abcdefghij12')).resolves.toEqual([issued.stored]);
    await expect(vault.appTokens('zzzzzzzzzzzz')).resolves.toBeUndefined();
    await vault.deleteAppTokens('abcdefghij12');
    await expect(vault.appTokens('abcdefghij12')).resolves.toBeUndefined();
  });

  it.each([
    ['not JSON', '{'],
    ['no token list', '{"tokens":"x"}'],
    ['a hash that is not 64 hex digits', '{"tokens":[{"id":"a","hash":"abc","created":"x"}]}'],
  ])('refuses a secret with %s instead of reading it as "no tokens"', async (_what, text) => {
    const vault = createTokenVault(memoryStore({ 'p/apps/abcdefghij12': text }), 'p');
    await expect(vault.appTokens('abcdefghij12')).rejects.toBeInstanceOf(MalformedSecretError);
  });

  it('turns the bootstrap value into a hashed admin token with id "boot"', async () => {
    const vault = createTokenVault(memoryStore({ 'p/admin': JSON.stringify({ bootstrap: 'B'.repeat(32) }) }), 'p');
    const tokens = await vault.adminTokens();
    expect(tokens).toEqual([expect.objectContaining({ id: 'boot', hash: hashToken(bootstrapToken('B'.repeat(32))) })]);
  });

  it('adds admin tokens without dropping the bootstrap value or unknown fields', async () => {
    const store = memoryStore({ 'p/admin': JSON.stringify({ bootstrap: 'B'.repeat(32), note: 'kept' }) });
    const vault = createTokenVault(store, 'p');
    const issued = issueAdminToken(NOW);
    await vault.addAdminToken(issued.stored);
    expect(JSON.parse(store.data['p/admin'])).toEqual({ bootstrap: 'B'.repeat(32), note: 'kept', tokens: [issued.stored] });
    await expect(vault.adminTokens()).resolves.toHaveLength(2);
  });

  it('creates the admin secret when there is none', async () => {
    const store = memoryStore();
    const vault = createTokenVault(store, 'p');
    await expect(vault.adminTokens()).resolves.toBeUndefined();
    await vault.addAdminToken(issueAdminToken(NOW).stored);
    await expect(vault.adminTokens()).resolves.toHaveLength(1);
  });
});
