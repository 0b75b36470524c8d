import fc from 'fast-check';
import { changedAttributes, decideWrite, refusalError, REFUSAL_DETAILS, type FeatureDecision } from '../../../lambdas/provisioning-features/decide';
import { DEFAULT_FEATURES, type ProvisioningFeatures } from '../../../lambdas/provisioning-features/features';
import type { ScimData } from '../../../lambdas/scim/resource';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER: ScimData = { userName: 'alice', active: true, title: 'Engineer', [ENTERPRISE]: { department: 'Sales' } };
const INACTIVE: ScimData = { ...USER, active: false };
const MOVED: ScimData = { ...USER, [ENTERPRISE]: { department: 'Marketing' } };
const MOVED_AND_DISABLED: ScimData = { ...MOVED, active: false };

const features = (change: Partial<ProvisioningFeatures>): ProvisioningFeatures => ({ ...DEFAULT_FEATURES, ...change });

const refusedDetail = (decision: FeatureDecision): string => {
  if (decision.outcome !== 'refused') throw new Error(`expected a refusal, got ${JSON.stringify(decision)}`);
  return decision.detail;
};

describe('decideWrite', () => {
  it.each<[string, Partial<ProvisioningFeatures>, Parameters<typeof decideWrite>[1], Partial<FeatureDecision>]>([
    // create
    ['POST /Users', {}, { operation: 'createUser' }, { outcome: 'allowed', requested: ['create'], applied: ['create'] }],
    ['POST /Users with create off', { create: false }, { operation: 'createUser' }, { outcome: 'refused', refusedBy: ['create'], status: 403 }],
    // update
    ['an attribute change', {}, { operation: 'updateUser', before: USER, after: MOVED }, { outcome: 'allowed', requested: ['update'] }],
    ['an attribute change with update off', { update: false }, { operation: 'updateUser', before: USER, after: MOVED }, { outcome: 'refused', refusedBy: ['update'] }],
    ['a PATCH that changes nothing, update off', { update: false }, { operation: 'updateUser', before: USER, after: { ...USER } }, { outcome: 'allowed', requested: [], applied: [] }],
    // deactivate / reactivate
    ['a deactivation', {}, { operation: 'updateUser', before: USER, after: INACTIVE }, { outcome: 'allowed', requested: ['deactivate'], applied: ['deactivate'] }],
    ['a deactivation with deactivate off', { deactivate: false }, { operation: 'updateUser', before: USER, after: INACTIVE }, { outcome: 'refused', refusedBy: ['deactivate'] }],
    ['a deactivation with update off', { update: false }, { operation: 'updateUser', before: USER, after: INACTIVE }, { outcome: 'allowed', requested: ['deactivate'] }],
    ['a reactivation', {}, { operation: 'updateUser', before: INACTIVE, after: USER }, { outcome: 'allowed', requested: ['reactivate'] }],
    ['a reactivation with reactivate off', { reactivate: false }, { operation: 'updateUser', before: INACTIVE, after: USER }, { outcome: 'refused', refusedBy: ['reactivate'] }],
    ['a reactivation with deactivate off', { deactivate: false }, { operation: 'updateUser', before: INACTIVE, after: USER }, { outcome: 'allowed' }],
    ['"False" as Entra spells it', { deactivate: false }, { operation: 'updateUser', before: USER, after: { ...USER, active: 'False' } }, { outcome: 'refused', refusedBy: ['deactivate'] }],
    ['an absent active, which means active', { reactivate: false }, { operation: 'updateUser', before: { userName: 'a' }, after: { userName: 'a', active: true } }, { outcome: 'allowed', requested: [] }],
    // both parts
    ['changes and a deactivation', {}, { operation: 'updateUser', before: USER, after: MOVED_AND_DISABLED }, { outcome: 'allowed', requested: ['update', 'deactivate'] }],
    ['changes and a deactivation, deactivate off', { deactivate: false }, { operation: 'updateUser', before: USER, after: MOVED_AND_DISABLED }, { outcome: 'refused', refusedBy: ['deactivate'] }],
    ['changes and a deactivation, both off', { deactivate: false, update: false }, { operation: 'updateUser', before: USER, after: MOVED_AND_DISABLED }, { outcome: 'refused', refusedBy: ['deactivate', 'update'] }],
    // delete
    ['DELETE', {}, { operation: 'deleteUser', before: USER }, { outcome: 'allowed', requested: ['delete'], applied: ['delete'] }],
    ['DELETE with delete: "ignore"', { delete: 'ignore' }, { operation: 'deleteUser', before: USER }, { outcome: 'converted', requested: ['delete'], applied: [], write: null }],
    ['DELETE of an inactive user with delete: "deactivate"', { delete: 'deactivate' }, { operation: 'deleteUser', before: INACTIVE }, { outcome: 'converted', applied: [], write: null }],
    // groups
    ['a group write', {}, { operation: 'writeGroup' }, { outcome: 'allowed', requested: ['groups'] }],
    ['a group write with groups off', { groups: false }, { operation: 'writeGroup' }, { outcome: 'refused', refusedBy: ['groups'] }],
  ])('%s', (_, change, write, expected) => {
    expect(decideWrite(features(change), write)).toMatchObject(expected);
  });

  it('DELETE with delete: "deactivate" stores the user with active false and everything else as it was', () => {
    expect(decideWrite(features({ delete: 'deactivate' }), { operation: 'deleteUser', before: USER })).toEqual({
      outcome: 'converted',
      requested: ['delete'],
      applied: ['deactivate'],
      write: { ...USER, active: false },
      notApplied: [],
      note: 'The user was deactivated instead of deleted (provisioning feature "delete": "deactivate").',
    });
  });

  it('a deactivation with other changes under update: false applies the deactivation alone and lists what it left', () => {
    const after = { ...MOVED_AND_DISABLED, title: 'Manager' };

    expect(decideWrite(features({ update: false }), { operation: 'updateUser', before: USER, after })).toEqual({
      outcome: 'converted',
      requested: ['update', 'deactivate'],
      applied: ['deactivate'],
      write: { ...USER, active: false },
      notApplied: ['title', `${ENTERPRISE}:department`],
      note: `Only the deactivation was applied: updating users is turned off (provisioning feature "update"), so title, ${ENTERPRISE}:department kept their values.`,
    });
  });

  it('a reactivation with other changes under update: false applies the reactivation alone', () => {
    const { active: _, ...rest } = USER;
    const decision = decideWrite(features({ update: false }), { operation: 'updateUser', before: { ...rest, Active: 'False' }, after: MOVED });

    expect(decision).toMatchObject({ outcome: 'converted', applied: ['reactivate'], write: { ...USER, active: true } });
  });

  it.each<[string, Partial<ProvisioningFeatures>, Parameters<typeof decideWrite>[1]]>([
    ['create', { create: false }, { operation: 'createUser' }],
    ['update', { update: false }, { operation: 'updateUser', before: USER, after: MOVED }],
    ['deactivate', { deactivate: false }, { operation: 'updateUser', before: USER, after: INACTIVE }],
    ['reactivate', { reactivate: false }, { operation: 'updateUser', before: INACTIVE, after: USER }],
    ['groups', { groups: false }, { operation: 'writeGroup' }],
  ])('a refusal by "%s" answers 403 with a detail naming the switch', (name, change, write) => {
    const decision = decideWrite(features(change), write);
    if (decision.outcome !== 'refused') throw new Error('expected a refusal');

    const error = refusalError(decision);

    expect(error.status).toBe(403);
    expect(error.toBody()).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403', detail: decision.detail });
    expect(error.detail).toContain(`(provisioning feature "${name}")`);
  });

  it('says in words which switch refused: "Creating users is turned off for this application"', () => {
    expect(refusedDetail(decideWrite(features({ create: false }), { operation: 'createUser' }))).toBe(
      'Creating users is turned off for this application (provisioning feature "create").',
    );
    expect(REFUSAL_DETAILS.groups).toMatch(/groups can still be read/);
  });

  it('with every switch on, every write is allowed as requested', () => {
    const data = fc.dictionary(fc.constantFrom('userName', 'active', 'title', ENTERPRISE), fc.oneof(fc.boolean(), fc.constantFrom('True', 'False', 'x'), fc.dictionary(fc.constantFrom('department'), fc.string({ maxLength: 2 }))));
    fc.assert(
      fc.property(data, data, (before, after) => {
        const decision = decideWrite(DEFAULT_FEATURES, { operation: 'updateUser', before, after });
        expect(decision.outcome).toBe('allowed');
        expect(decision.applied).toEqual(decision.requested);
      }),
    );
  });
});

describe('changedAttributes', () => {
  it('names changed attributes, extension ones one by one, never active', () => {
    const after = { ...MOVED_AND_DISABLED, nickName: 'Al', title: undefined };

    expect(changedAttributes(USER, after)).toEqual(['title', `${ENTERPRISE}:department`, 'nickName']);
  });
});

/**
 * What Entra does after each answer (entra-scim.md §13, §14; how-provisioning-works "Errors and
 * retries"): it retries a failed object in later cycles, drops its link after a 2xx DELETE, and
 * matches a re-assigned user by userName, then PATCHes the difference. These sequences check that
 * each feature leads Entra to a state where it has nothing left to send.
 */
describe('Entra sequences under each feature', () => {
  /** A gateway of one user: applies decisions the way the handlers will. */
  const gateway = (settings: ProvisioningFeatures) => {
    let stored: ScimData | undefined = { ...USER };
    const answer = (write: Parameters<typeof decideWrite>[1], after?: ScimData): number => {
      const decision = decideWrite(settings, write);
      if (decision.outcome === 'refused') return decision.status;
      if (decision.outcome === 'converted') {
        if (decision.write) stored = decision.write;
        return write.operation === 'deleteUser' ? 204 : 200;
      }
      if (write.operation === 'deleteUser') stored = undefined;
      else if (after) stored = after;
      return write.operation === 'deleteUser' ? 204 : 200;
    };
    return { answer, stored: () => stored };
  };

  it('delete: "deactivate": DELETE → 204 and inactive; re-assigned, Entra finds the user and reactivates it', () => {
    const g = gateway(features({ delete: 'deactivate' }));

    expect(g.answer({ operation: 'deleteUser', before: g.stored() as ScimData })).toBe(204);
    expect(g.stored()).toEqual({ ...USER, active: false });
    // Re-assigned: GET /Users?filter=userName eq "alice" finds it, so Entra PATCHes active "True".
    const before = g.stored() as ScimData;
    expect(g.answer({ operation: 'updateUser', before, after: { ...before, active: true } }, { ...before, active: true })).toBe(200);
    expect(g.stored()).toEqual(USER);
  });

  it('delete: "ignore": DELETE → 204 and unchanged; re-assigned, Entra matches the user and has nothing to change', () => {
    const g = gateway(features({ delete: 'ignore' }));

    expect(g.answer({ operation: 'deleteUser', before: g.stored() as ScimData })).toBe(204);
    expect(g.stored()).toEqual(USER);
    expect(decideWrite(features({ delete: 'ignore' }), { operation: 'updateUser', before: USER, after: { ...USER } }).requested).toEqual([]);
  });

  it('update: false: the refused PATCH changes nothing, so each retry meets the same 403; the disable that follows unassignment goes through', () => {
    const g = gateway(features({ update: false }));
    const first = decideWrite(features({ update: false }), { operation: 'updateUser', before: USER, after: MOVED });

    expect(g.answer({ operation: 'updateUser', before: USER, after: MOVED }, MOVED)).toBe(403);
    expect(g.stored()).toEqual(USER);
    expect(decideWrite(features({ update: false }), { operation: 'updateUser', before: g.stored() as ScimData, after: MOVED })).toEqual(first);
    // Unassigned: Entra sends PATCH active "False" alone.
    expect(g.answer({ operation: 'updateUser', before: USER, after: { ...USER, active: 'False' } }, INACTIVE)).toBe(200);
    expect(g.stored()).toEqual(INACTIVE);
  });

  it('deactivate: false: the refused disable leaves the user active and is answered the same on every retry', () => {
    const g = gateway(features({ deactivate: false }));

    expect(g.answer({ operation: 'updateUser', before: USER, after: INACTIVE }, INACTIVE)).toBe(403);
    expect(g.answer({ operation: 'updateUser', before: g.stored() as ScimData, after: INACTIVE }, INACTIVE)).toBe(403);
    expect(g.stored()).toEqual(USER);
  });
});
