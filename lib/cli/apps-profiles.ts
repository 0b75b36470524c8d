/**
 * `scim-gateway apps mapping | features | profile`: an application's attribute mapping, its
 * provisioning features and its users' profiles, through the admin API (docs/profiles.md).
 * Human output reads the values through the profiles core's labels, so the CLI names attributes
 * as the console and the report do.
 */
import { readFile } from 'node:fs/promises';
import type { FeaturesJson, MappingJson, ProfileJson } from '../../lambdas/admin/profile-json';
import { describeMapping, formatProfileValue, profileProperties, type Profile, type ProfileMapping } from '../../lambdas/profiles';
import { DELETE_MODES } from '../../lambdas/provisioning-features';
import { CliError, table } from './admin-client';

export const PROFILE_COMMANDS = ['mapping', 'features', 'profile'] as const;

export const PROFILE_USAGE = `  mapping <appId> [--show | --set <file.json>]     show the attribute mapping (and its recompute), or replace it from a file
  features <appId> [--create on|off] [--update on|off] [--deactivate on|off] [--reactivate on|off]
                   [--delete delete|deactivate|ignore] [--groups on|off]
                                                     show the provisioning features, or change the ones given
  profile <appId> <userName|id>                      show a user's profile
`;

/** The options these commands add to `apps`. */
export const PROFILE_OPTIONS = {
  show: { type: 'boolean' },
  set: { type: 'string' },
  create: { type: 'string' },
  update: { type: 'string' },
  deactivate: { type: 'string' },
  reactivate: { type: 'string' },
  delete: { type: 'string' },
  groups: { type: 'string' },
} as const;

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;
type Print = (value: unknown, human: () => string) => void;

const SWITCHES = ['create', 'update', 'deactivate', 'reactivate', 'groups'] as const;

const onOff = (flag: string, value: string): boolean => {
  const v = value.toLowerCase();
  if (['on', 'true', 'yes'].includes(v)) return true;
  if (['off', 'false', 'no'].includes(v)) return false;
  throw new CliError(`--${flag} takes on or off, not "${value}".`);
};

const recomputeLine = (mapping: MappingJson): string => {
  const job = mapping.recompute;
  if (!job) return 'Profiles      follow this mapping (never changed).';
  if (job.state === 'running') return `Profiles      being recomputed: ${job.processed} users read, ${job.updated} rewritten (pass ${job.pass}); reads may show the previous mapping until done.`;
  const failed = job.failed ? `; ${job.failed} could not be computed (they keep their previous profile): ${job.failures.map((f) => `${f.id}: ${f.detail}`).join(' ')}` : '';
  return `Profiles      recomputed at ${job.finishedAt}: ${job.updated} rewritten${failed}.`;
};

const mappingText = (mapping: MappingJson): string =>
  [
    `Mapping version ${mapping.version}${mapping.version === 0 ? ' (the default: what Entra ID sends by default)' : ''}`,
    recomputeLine(mapping),
    '',
    table([
      ['PROFILE ATTRIBUTE', 'TYPE', 'SCIM ATTRIBUTE', 'DEFAULT', 'TRANSFORM'],
      ...describeMapping(mapping as ProfileMapping).map((r) => [`${r.profile}${r.custom ? ' (custom)' : ''}`, r.type, r.scim || '-', r.default || '-', r.transform || '-']),
    ]),
  ].join('\n');

const featuresText = (features: FeaturesJson): string =>
  table([['FEATURE', 'VALUE'], ...SWITCHES.map((s) => [s, features[s] ? 'on' : 'off']), ['delete', features.delete]]);

const profileText = (profile: ProfileJson): string =>
  [
    `${profile.userName} (id ${profile.id}${profile.externalId ? `, externalId ${profile.externalId}` : ''})`,
    `Active        ${profile.active ? 'yes' : 'no'}`,
    `Groups        ${formatProfileValue(profile.groups) || '-'}`,
    '',
    ...profileProperties(profile as Profile).map((p) => `${p.label.padEnd(20)}${p.value}`),
    '',
  ].join('\n');

/** Runs one of PROFILE_COMMANDS; `rest` are its positionals after the command. */
export const runProfileCommand = async (
  command: (typeof PROFILE_COMMANDS)[number],
  rest: string[],
  values: Partial<Record<keyof typeof PROFILE_OPTIONS, string | boolean>>,
  call: Call,
  print: Print,
): Promise<number> => {
  const appId = rest[0];
  if (!appId) throw new CliError(`Usage: scim-gateway apps ${command} <appId>${command === 'profile' ? ' <userName|id>' : ' …'}`);
  const base = `/admin/apps/${encodeURIComponent(appId)}`;
  switch (command) {
    case 'mapping': {
      if (typeof values.set === 'string') {
        let body: unknown;
        try {
          body = JSON.parse(await readFile(values.set, 'utf8'));
        } catch (error) {
          throw new CliError(`--set ${values.set}: ${(error as Error).message}`);
        }
        const saved = await call<MappingJson>('PUT', `${base}/mapping`, body);
        print(saved, () => `Mapping saved (version ${saved.version}); every profile of the application is being recomputed.\n${mappingText(saved)}`);
        return 0;
      }
      const mapping = await call<MappingJson>('GET', `${base}/mapping`);
      print(mapping, () => mappingText(mapping));
      return 0;
    }
    case 'features': {
      const current = await call<FeaturesJson>('GET', `${base}/features`);
      const changes: Partial<FeaturesJson> = {};
      for (const s of SWITCHES) if (typeof values[s] === 'string') changes[s] = onOff(s, values[s] as string);
      if (typeof values.delete === 'string') {
        if (!(DELETE_MODES as readonly string[]).includes(values.delete)) throw new CliError(`--delete takes ${DELETE_MODES.join(', ')}, not "${values.delete}".`);
        changes.delete = values.delete as FeaturesJson['delete'];
      }
      const features = Object.keys(changes).length ? await call<FeaturesJson>('PUT', `${base}/features`, { ...current, ...changes }) : current;
      print(features, () => `${Object.keys(changes).length ? 'Provisioning features saved.\n' : ''}${featuresText(features)}`);
      return 0;
    }
    default: {
      const user = rest[1];
      if (!user) throw new CliError('Usage: scim-gateway apps profile <appId> <userName|id>');
      const profile = await call<ProfileJson>('GET', `${base}/profiles/${encodeURIComponent(user)}`);
      print(profile, () => profileText(profile));
      return 0;
    }
  }
};
