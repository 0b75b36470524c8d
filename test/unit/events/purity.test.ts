/**
 * lambdas/events is a pure core: the event stage, the sender and the read API bring the I/O. So no
 * module of it imports AWS, the store, the handlers or the shared runtime, reads the environment,
 * or takes the time or randomness itself (they are parameters, so every result can be replayed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '../../../lambdas/events');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

describe('lambdas/events', () => {
  it.each(FILES)('%s imports only node built-ins, zod, standardwebhooks, the pure cores and the stored groups format', (file) => {
    const source = readFileSync(path.join(DIR, file), 'utf8');
    const imports = [...source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map((m) => m[1]);
    const allowed = /^(node:(crypto|net|util)|zod\/mini|standardwebhooks|\.\/[\w-]+|\.\.\/(profiles|scim\/errors|scim\/schemas|domain\/stored-groups))$/;
    expect(imports.filter((i) => !allowed.test(i))).toEqual([]);
  });

  it.each(FILES)('%s takes no time, randomness or environment of its own', (file) => {
    const code = readFileSync(path.join(DIR, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(|process\.|crypto\.getRandomValues|performance\.now/);
    // Randomness comes in as a parameter; node:crypto serves hashes only.
    expect(code).not.toMatch(/import \{[^}]*\b(randomBytes|randomUUID|randomInt|getRandomValues)\b[^}]*\} from 'node:crypto'/);
  });
});
