/**
 * `<data dir>/local.json`: what the local gateway created on its first start and a person (or a
 * test) needs to call it — the API URL, the admin token and each application's Tenant URL and
 * Secret Token. It holds clear tokens, so it is written readable by its owner only.
 */
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { tenantUrlOf } from '../../lambdas/shared/routes';

export const LocalAppSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  tenantUrl: z.url(),
  secretToken: z.string().min(1),
});

export const LocalStateSchema = z.object({
  apiUrl: z.url(),
  /** Null when an admin token exists but its clear value was lost (see gateway.ts). */
  adminToken: z.string().min(1).nullable(),
  apps: z.array(LocalAppSchema),
});
export type LocalState = z.infer<typeof LocalStateSchema>;

export const LOCAL_STATE_FILE = 'local.json';

export const localStatePath = (dataDir: string): string => path.join(dataDir, LOCAL_STATE_FILE);

/** The saved state, or undefined when there is none or it is not ours to trust. */
export const readLocalState = (dataDir: string): LocalState | undefined => {
  let text: string;
  try {
    text = readFileSync(localStatePath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = LocalStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

export const writeLocalState = (dataDir: string, state: LocalState): void => {
  const file = localStatePath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(LocalStateSchema.parse(state), null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  chmodSync(file, 0o600);
};

/** Tenant URLs follow the API URL, which changes with the port. */
export const withApiUrl = (state: LocalState, apiUrl: string): LocalState => ({
  ...state,
  apiUrl,
  apps: state.apps.map((app) => ({ ...app, tenantUrl: tenantUrlOf(apiUrl, app.id) })),
});
