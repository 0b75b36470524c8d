/**
 * An in-memory directory behind a Bulk `perform`, built on the real SCIM core (`parseUserInput`,
 * `parseGroupInput`, `applyPatch`, `assertIfMatch`), so that what the executor sends, link PATCHes
 * included, is checked by the same code the single routes use. Rules kept from the store: userName
 * is unique (any letter case), group members must exist, ids and clock ticks are deterministic.
 */
import type { BulkCall, BulkSuccess } from '../../../../lambdas/scim/bulk';
import { ScimError } from '../../../../lambdas/scim/errors';
import { assertIfMatch, etagOf } from '../../../../lambdas/scim/etag';
import { applyPatch, type MemberChange } from '../../../../lambdas/scim/patch';
import { parseGroupInput, parseUserInput, type MemberRef } from '../../../../lambdas/scim/resource';

export interface StoredResource {
  resourceType: 'User' | 'Group';
  data: Record<string, unknown>;
  members: MemberRef[];
  version: number;
  /** Clock ticks: every write moves the clock by one. */
  created: number;
  lastModified: number;
}

export class FakeDirectory {
  readonly resources = new Map<string, StoredResource>();
  readonly calls: BulkCall[] = [];
  private clock = 0;
  private generated = 0;

  /**
   * `ids` are handed to creates in order; after them, `idOf(call)` when given, else `id-1`, `id-2`, …
   * (An `idOf` that does not depend on the order creates run in stands for the server's random ids,
   * which a client cannot know before the create.)
   */
  constructor(
    private readonly ids: string[] = [],
    private readonly idOf?: (call: BulkCall) => string,
  ) {}

  seed(id: string, resourceType: 'User' | 'Group', data: Record<string, unknown>): void {
    const tick = ++this.clock;
    this.resources.set(id, { resourceType, data, members: [], version: 1, created: tick, lastModified: tick });
  }

  readonly perform = async (call: BulkCall): Promise<BulkSuccess> => {
    this.calls.push(call);
    if (call.method === 'POST') return this.create(call);
    const stored = this.resources.get(call.id!);
    if (!stored || stored.resourceType !== call.resourceType) throw ScimError.resourceNotFound(call.resourceType, call.id!);
    assertIfMatch(call.ifMatch, stored.version);
    if (call.method === 'DELETE') {
      this.resources.delete(call.id!);
      for (const other of this.resources.values()) other.members = other.members.filter((m) => m.value !== call.id);
      return { status: 204, id: call.id! };
    }
    if (call.method === 'PUT') {
      const { data, members } = this.input(call);
      this.checkUnique(call.resourceType, data, call.id);
      return this.write(call.id!, stored, data, members, 200);
    }
    const result = applyPatch(call.resourceType, stored.data, call.data);
    const data = this.input({ ...call, data: result.data }).data;
    this.checkUnique(call.resourceType, data, call.id);
    return this.write(call.id!, stored, data, this.applyMembers(stored.members, result.memberChanges), 200);
  };

  private create(call: BulkCall): BulkSuccess {
    const { data, members } = this.input(call);
    this.checkUnique(call.resourceType, data);
    const id = this.ids.shift() ?? this.idOf?.(call) ?? `id-${++this.generated}`;
    const tick = ++this.clock;
    this.resources.set(id, { resourceType: call.resourceType, data, members, version: 1, created: tick, lastModified: tick });
    return { status: 201, id, version: etagOf(1) };
  }

  private write(id: string, stored: StoredResource, data: Record<string, unknown>, members: MemberRef[], status: number): BulkSuccess {
    this.checkMembers(members);
    Object.assign(stored, { data, members, version: stored.version + 1, lastModified: ++this.clock });
    return { status, id, version: etagOf(stored.version) };
  }

  private input(call: BulkCall): { data: Record<string, unknown>; members: MemberRef[] } {
    if (call.resourceType === 'User') return { data: parseUserInput(call.data), members: [] };
    const group = parseGroupInput(call.data);
    this.checkMembers(group.members);
    return group;
  }

  private checkMembers(members: readonly MemberRef[]): void {
    for (const member of members) {
      if (!this.resources.has(member.value)) throw ScimError.invalidValue(`Member ${member.value} does not exist.`);
    }
  }

  private checkUnique(resourceType: 'User' | 'Group', data: Record<string, unknown>, self?: string): void {
    if (resourceType !== 'User') return;
    const name = String(data.userName).toLowerCase();
    for (const [id, other] of this.resources) {
      if (id !== self && other.resourceType === 'User' && String(other.data.userName).toLowerCase() === name) {
        throw ScimError.uniqueness(`userName "${String(data.userName)}" is already taken.`);
      }
    }
  }

  private applyMembers(members: MemberRef[], changes: readonly MemberChange[]): MemberRef[] {
    let next = [...members];
    for (const change of changes) {
      if (change.op === 'add') next = [...next, ...change.members.filter((m) => !next.some((n) => n.value === m.value))];
      else if (change.op === 'remove') next = next.filter((m) => !change.values.includes(m.value));
      else if (change.op === 'removeAll') next = [];
      else next = [...change.members];
    }
    return next;
  }
}
