/**
 * Profiles for people: labels (Department, Designation…), values as text, the mapping as table rows
 * and profile changes as report lines (`department: Sales → Marketing`). The console, the CLI and
 * report rows all read profiles through these, so one attribute reads the same everywhere.
 * Custom attributes have no label of their own: their name is spelled out (`costCenterCode` →
 * "Cost center code").
 */
import { DEFAULT_ATTRIBUTES, defaultAttribute } from './default-attributes';
import { diffProfiles } from './diff';
import { transformName, type ProfileMapping, type Transform } from './mapping';
import type { GroupRef, Profile, ProfileType, ProfileValue } from './types';

/** `costCenterCode` → "Cost center code"; `cost_center` → "Cost center"; `badgeIDs` → "Badge IDs". */
export const spellOutName = (name: string): string => {
  const words = name
    .replace(/_+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z]{2,})/g, '$1 $2')
    .trim()
    .split(/\s+/)
    // Acronyms (two capitals or more: ID, IDs, URL) keep their case.
    .map((word) => (/[A-Z].*[A-Z]/.test(word) ? word : word.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

export const profileAttributeLabel = (name: string): string => defaultAttribute(name)?.label ?? spellOutName(name);

const LABEL_BY_SCIM_PATH: ReadonlyMap<string, string> = new Map(DEFAULT_ATTRIBUTES.map((a) => [a.scim.toLowerCase(), a.label]));

/**
 * A SCIM attribute path as people read it in reports: the label of the default profile attribute
 * it fills (`urn:…:enterprise:2.0:User:department` → "Department", `emails[type eq "work"].value` →
 * "Email"); otherwise the path without its schema URN, spelled out (`active` → "Active",
 * `name.formatted` → "Name formatted", `emails[type eq "home"].value` → "Emails (home) value").
 */
export const scimPathLabel = (path: string): string => {
  const known = LABEL_BY_SCIM_PATH.get(path.toLowerCase());
  if (known) return known;
  const bare = path.replace(/^urn:.*:/i, '');
  return bare
    .split('.')
    .map((segment, i) => {
      const filter = /^(\w+)\[\w+ eq "([^"]*)"\]$/.exec(segment);
      const word = spellOutName(filter ? filter[1] : segment);
      const text = i === 0 ? word : word.toLowerCase();
      return filter ? `${text} (${filter[2]})` : text;
    })
    .join(' ');
};

const isGroupList = (value: unknown): value is GroupRef[] =>
  Array.isArray(value) && value.every((g) => typeof g === 'object' && g !== null && 'displayName' in g);

/** One value as text: lists joined with ", ", a manager by name and id, groups by name. */
export const formatProfileValue = (value: ProfileValue | GroupRef[] | null | undefined): string => {
  if (value === null || value === undefined) return '';
  if (isGroupList(value)) return value.map((g) => g.displayName).join(', ');
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return value.displayName ? `${value.displayName} (${value.id})` : value.id;
  return String(value);
};

export interface ProfileProperty {
  readonly name: string;
  readonly label: string;
  readonly value: string;
}

/**
 * The user page's property list: the profile's attributes in the order admins know them (the
 * default table's, then custom ones as declared, then any others), labelled, as text.
 */
export const profileProperties = (profile: Profile, mapping?: ProfileMapping): ProfileProperty[] => {
  const order = [...DEFAULT_ATTRIBUTES.map((a) => a.name), ...(mapping?.custom ?? []).map((c) => c.name)];
  const names = [...new Set([...order, ...Object.keys(profile.attributes)])].filter((name) => Object.hasOwn(profile.attributes, name));
  return names.map((name) => ({ name, label: profileAttributeLabel(name), value: formatProfileValue(profile.attributes[name]) }));
};

const formatTransform = (t: Transform): string => {
  const name = transformName(t);
  if (typeof t === 'string') return name;
  return `${name} "${'split' in t ? t.split : t.join}"`;
};

export interface MappingRow {
  readonly profile: string;
  readonly label: string;
  readonly type: ProfileType;
  readonly custom: boolean;
  /** The SCIM path, canonical; empty for a declared custom attribute no entry maps. */
  readonly scim: string;
  /** The default as text; empty when there is none. */
  readonly default: string;
  /** The transforms in order, e.g. `trim → lowercase`. */
  readonly transform: string;
}

/** The mapping as the console's table shows it: mapped attributes in order, then unmapped custom ones. */
export const describeMapping = (mapping: ProfileMapping): MappingRow[] => {
  const customType = new Map(mapping.custom.map((c) => [c.name, c.type] as const));
  const rows: MappingRow[] = mapping.attributes.map((entry) => ({
    profile: entry.profile,
    label: profileAttributeLabel(entry.profile),
    type: defaultAttribute(entry.profile)?.type ?? customType.get(entry.profile) ?? 'string',
    custom: !defaultAttribute(entry.profile),
    scim: entry.scim,
    default: formatProfileValue(entry.default),
    transform: entry.transform.map(formatTransform).join(' → '),
  }));
  const mapped = new Set(mapping.attributes.map((e) => e.profile));
  for (const { name, type } of mapping.custom) {
    if (!mapped.has(name)) rows.push({ profile: name, label: profileAttributeLabel(name), type, custom: true, scim: '', default: '', transform: '' });
  }
  return rows;
};

/** A change as report rows keep them (the shape of reports' AttributeChange): absent = no value. */
export interface ProfileChange {
  name: string;
  old?: string;
  new?: string;
}

const valueOf = (profile: Profile | undefined, change: string): ProfileValue | GroupRef[] | undefined => {
  if (!profile) return undefined;
  if (change.startsWith('attributes.')) {
    const name = change.slice('attributes.'.length);
    return Object.hasOwn(profile.attributes, name) ? profile.attributes[name] : undefined;
  }
  return profile[change as 'userName' | 'externalId' | 'active' | 'groups'];
};

/** Profile changes in profile names, as text: `{name: "department", old: "Sales", new: "Marketing"}`. */
export const profileChanges = (before: Profile | undefined, after: Profile | undefined): ProfileChange[] =>
  diffProfiles(before, after).changes.map((change) => {
    const name = change.replace(/^attributes\./, '');
    const row: ProfileChange = { name };
    const old = formatProfileValue(valueOf(before, change));
    const now = formatProfileValue(valueOf(after, change));
    if (old !== '') row.old = old;
    if (now !== '') row.new = now;
    return row;
  });

/** `department: Sales → Marketing`, `mobile: (none) → +1 555 0100`. */
export const profileChangeLine = ({ name, old, new: now }: ProfileChange): string => `${name}: ${old ?? '(none)'} → ${now ?? '(none)'}`;
