/**
 * Whether a SCIM write may happen under an application's provisioning features: allowed, refused
 * (a SCIM Error naming the switch) or converted (done differently, and the report says how).
 *
 * Why 403 for a refusal. Entra's provisioning log files 403 with "InsufficientRights, MethodNotAllowed,
 * NotPermitted, Unauthorized": "Microsoft Entra authenticated with the target application but wasn't
 * authorized to perform the update. Review any instructions that the target application provided"
 * (learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs, "Error
 * codes"), which is what a turned-off switch is, and the log shows our `detail`. The others are worse:
 * 401 reads as invalid credentials and quarantines the whole job (application-provisioning-quarantine-status);
 * 409 is filed as a matching conflict (EntryConflict, …IncompatibleFiltering); 400 as a bad
 * request the admin cannot fix in Entra; a 2xx for a create that did not happen gives Entra an id
 * that does not exist (InvalidAnchor later). No status makes Entra give up for good: "If an
 * individual user can't be added, updated, or deleted … the operation is retried in the next sync
 * cycle … gradually scaling back to just one attempt per day" (app-provisioning/how-provisioning-works,
 * "Errors and retries"). So Entra does not loop: a refused object is retried at most once a day;
 * an admin who means it also clears Entra's matching Target Object Action (Create/Update/Delete) or
 * disables the group mapping, which stops the requests (and their failures counting toward
 * quarantine's escrow threshold: 40 % of events once 5,000 have failed).
 *
 * A PUT/PATCH has two parts, judged by their own switches: the `active` flip (deactivate /
 * reactivate) and every other attribute change (update).
 * - The flip decides whether the request happens: a refused flip refuses the request, even if
 *   `update` is on, so Entra's log says the deactivation did not happen and it retries.
 * - A permitted flip with attribute changes under `update: false` is converted: the flip is applied
 *   alone (offboarding must not wait on a department change), the other changes are not, and the
 *   report lists them. Entra sends no attribute updates to a user it has disabled, so nothing loops.
 * - Attribute changes alone under `update: false` are refused; a request that changes nothing is allowed.
 */
import { isDeepStrictEqual } from 'node:util';
import { ScimError } from '../scim/errors';
import type { ScimData } from '../scim/resource';
import { getCaseInsensitive, isPlainObject } from '../scim/json';
import type { FeatureSwitch, ProvisioningFeatures } from './features';

export type UserWrite =
  | { readonly operation: 'createUser' }
  | { readonly operation: 'updateUser'; readonly before: ScimData; readonly after: ScimData }
  | { readonly operation: 'deleteUser'; readonly before: ScimData }
  /** POST, PUT, PATCH or DELETE of a group; group reads are never asked about. */
  | { readonly operation: 'writeGroup' };

/** What a request asked for and what the gateway did, as the report records them. */
export type FeatureAction = 'create' | 'update' | 'deactivate' | 'reactivate' | 'delete' | 'groups';

export type FeatureDecision =
  | { readonly outcome: 'allowed'; readonly requested: FeatureAction[]; readonly applied: FeatureAction[] }
  | {
      readonly outcome: 'refused';
      readonly requested: FeatureAction[];
      readonly applied: [];
      /** The switches that refused it, the deciding one first. */
      readonly refusedBy: FeatureSwitch[];
      readonly status: 403;
      /** The SCIM Error's detail: names each switch, for the client's provisioning log. */
      readonly detail: string;
    }
  | {
      readonly outcome: 'converted';
      readonly requested: FeatureAction[];
      readonly applied: FeatureAction[];
      /** The resource to store instead of the request's; null: store nothing. */
      readonly write: ScimData | null;
      /** Attributes the request changed that were not applied (`update: false`). */
      readonly notApplied: string[];
      /** One sentence for the report row. */
      readonly note: string;
    };

/** The refusals' details: each names its switch, so the client's admin knows what to ask for. */
export const REFUSAL_DETAILS: Record<Exclude<FeatureSwitch, 'delete'>, string> = {
  create: 'Creating users is turned off for this application (provisioning feature "create").',
  update: 'Updating users is turned off for this application (provisioning feature "update").',
  deactivate: 'Deactivating users is turned off for this application (provisioning feature "deactivate").',
  reactivate: 'Reactivating users is turned off for this application (provisioning feature "reactivate").',
  groups: 'Writing groups is turned off for this application (provisioning feature "groups"); groups can still be read.',
};

const allowed = (requested: FeatureAction[]): FeatureDecision => ({ outcome: 'allowed', requested, applied: requested });

const refused = (requested: FeatureAction[], refusedBy: Exclude<FeatureSwitch, 'delete'>[]): FeatureDecision => ({
  outcome: 'refused',
  requested,
  applied: [],
  refusedBy,
  status: 403,
  detail: refusedBy.map((s) => REFUSAL_DETAILS[s]).join(' '),
});

/** Stored users say `active: false`; clients may still spell it "False". Absent means active. */
export const isActive = (data: ScimData): boolean => {
  const value = getCaseInsensitive(data, 'active');
  return !(value === false || (typeof value === 'string' && value.toLowerCase() === 'false'));
};

/** `data` with `active` set, whatever letter case it was stored under. */
const withActive = (data: ScimData, active: boolean): ScimData => {
  const copy: ScimData = {};
  for (const [key, value] of Object.entries(data)) if (key.toLowerCase() !== 'active') copy[key] = value;
  copy.active = active;
  return copy;
};

const entriesOf = (data: ScimData): Map<string, unknown> => {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(data)) {
    if (key.toLowerCase() === 'active') continue;
    // Extension attributes count one by one (`urn:…:User:department`), as reports name them.
    if (/^urn:/i.test(key) && isPlainObject(value)) for (const [child, v] of Object.entries(value)) flat.set(`${key}:${child}`, v);
    else flat.set(key, value);
  }
  return flat;
};

/** Attributes other than `active` whose values differ, in the order the resources hold them. */
export const changedAttributes = (before: ScimData, after: ScimData): string[] => {
  const old = entriesOf(before);
  const now = entriesOf(after);
  const names = [...new Set([...now.keys(), ...old.keys()])];
  return names.filter((name) => !isDeepStrictEqual(old.get(name), now.get(name)));
};

const decideUpdate = (features: ProvisioningFeatures, before: ScimData, after: ScimData): FeatureDecision => {
  const wasActive = isActive(before);
  const nowActive = isActive(after);
  const flip: 'deactivate' | 'reactivate' | undefined = wasActive === nowActive ? undefined : nowActive ? 'reactivate' : 'deactivate';
  const changed = changedAttributes(before, after);
  const requested: FeatureAction[] = [...(changed.length ? (['update'] as const) : []), ...(flip ? [flip] : [])];
  const updateRefused = changed.length > 0 && !features.update;
  if (flip && !features[flip]) return refused(requested, updateRefused ? [flip, 'update'] : [flip]);
  if (!updateRefused) return allowed(requested);
  if (!flip) return refused(requested, ['update']);
  return {
    outcome: 'converted',
    requested,
    applied: [flip],
    write: withActive(before, nowActive),
    notApplied: changed,
    note: `Only the ${flip === 'deactivate' ? 'deactivation' : 'reactivation'} was applied: updating users is turned off (provisioning feature "update"), so ${changed.join(', ')} kept their values.`,
  };
};

const decideDelete = (features: ProvisioningFeatures, before: ScimData): FeatureDecision => {
  switch (features.delete) {
    case 'delete':
      return allowed(['delete']);
    case 'deactivate': {
      const wasActive = isActive(before);
      return {
        outcome: 'converted',
        requested: ['delete'],
        applied: wasActive ? ['deactivate'] : [],
        write: wasActive ? withActive(before, false) : null,
        notApplied: [],
        note: wasActive
          ? 'The user was deactivated instead of deleted (provisioning feature "delete": "deactivate").'
          : 'The user was already inactive and was kept (provisioning feature "delete": "deactivate").',
      };
    }
    case 'ignore':
      return {
        outcome: 'converted',
        requested: ['delete'],
        applied: [],
        write: null,
        notApplied: [],
        note: 'The delete was answered and nothing was changed (provisioning feature "delete": "ignore").',
      };
  }
};

/** The decision for one write; pure, so the handler decides before it touches the table. */
export const decideWrite = (features: ProvisioningFeatures, write: UserWrite): FeatureDecision => {
  switch (write.operation) {
    case 'createUser':
      return features.create ? allowed(['create']) : refused(['create'], ['create']);
    case 'updateUser':
      return decideUpdate(features, write.before, write.after);
    case 'deleteUser':
      return decideDelete(features, write.before);
    case 'writeGroup':
      return features.groups ? allowed(['groups']) : refused(['groups'], ['groups']);
  }
};

/** The SCIM Error a refusal answers: 403, its detail naming the switch. */
export const refusalError = (decision: Extract<FeatureDecision, { outcome: 'refused' }>): ScimError => ScimError.forbidden(decision.detail);
