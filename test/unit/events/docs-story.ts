/**
 * The records behind docs/events.md's examples ("One user's day, in order"): the docs show exactly
 * what the derivation makes of them, and test/unit/events/docs.test.ts keeps it so.
 */
import type { DirectoryChange } from '../../../lambdas/events/change';
import { deriveEvents } from '../../../lambdas/events/derive';
import type { DirectoryEvent } from '../../../lambdas/events/types';

const APP = '6f1c2a9e-3b7d-4c58-9a41-2d7e5f0b8c13';
const USER = '2819c223-7f76-453a-919d-413861904646';
const GROUP = '9f2a6b1c-0d4e-4f8a-b3c2-7e5d1a9b6c04';
const at = (time: string) => `2024-05-31T${time}.000Z`;

const request = (requestId: string, time: string, operation: string, requested: string[], applied = requested) => ({
  requestId,
  appName: 'Entra ID',
  at: at(time),
  operation,
  requested,
  applied,
});

type Stamp = ReturnType<typeof request>;

const user = (version: number, membershipVersion: number, active: boolean, department: string, groupName: string | undefined, modified: string, stamp: Stamp) => ({
  pk: `APP#${APP}#USER#${USER}`,
  sk: 'USER',
  type: 'User',
  appId: APP,
  id: USER,
  userName: 'alice@contoso.com',
  externalId: 'alice',
  active,
  resource: {},
  version,
  membershipVersion,
  created: at('07:00:00'),
  lastModified: at(modified),
  lastRequest: stamp,
  profile: {
    id: USER,
    userName: 'alice@contoso.com',
    externalId: 'alice',
    active,
    attributes: { email: 'alice@contoso.com', firstName: 'Alice', lastName: 'Smith', department, designation: 'Account Executive' },
    groups: groupName ? [{ id: GROUP, displayName: groupName }] : [],
    version,
    updatedAt: at(modified),
  },
});

const group = (version: number, displayName: string, modified: string, stamp: Stamp) => ({
  pk: `APP#${APP}#GROUP#${GROUP}`,
  sk: 'GROUP',
  type: 'Group',
  appId: APP,
  id: GROUP,
  displayName,
  externalId: 'sales',
  resource: {},
  version,
  created: at('07:30:00'),
  lastModified: at(modified),
  lastRequest: stamp,
});

export const storyEvents = (): DirectoryEvent[] => {
  const created = user(1, 0, true, 'Sales', undefined, '07:00:00', request('req-create', '07:00:00', 'createUser', ['create']));
  const moved = user(2, 0, true, 'Marketing', undefined, '07:40:00', request('req-move', '07:40:00', 'updateUser', ['update']));
  const joined = user(2, 1, true, 'Marketing', 'Sales', '07:40:00', request('req-add', '07:41:00', 'updateGroup', ['groups']));
  const renamedGroup = user(2, 1, true, 'Marketing', 'Sales EMEA', '07:40:00', request('req-add', '07:41:00', 'updateGroup', ['groups']));
  const disabled = user(3, 1, false, 'Marketing', 'Sales EMEA', '08:20:00', request('req-off', '08:20:00', 'deleteUser', ['delete'], ['deactivate']));
  const enabled = user(4, 1, true, 'Marketing', 'Sales EMEA', '09:00:00', request('req-on', '09:00:00', 'updateUser', ['reactivate']));
  const left = user(4, 2, true, 'Marketing', undefined, '09:00:00', request('req-remove', '09:05:00', 'updateGroup', ['groups']));
  const sales = group(1, 'Sales', '07:30:00', request('req-group', '07:30:00', 'createGroup', ['groups']));
  const emea = group(2, 'Sales EMEA', '08:00:00', request('req-rename', '08:00:00', 'updateGroup', ['groups']));
  const notes = {
    User: { at: at('09:30:00'), request: request('req-delete', '09:30:00', 'deleteUser', ['delete']) },
    Group: { at: at('09:20:00'), request: request('req-group-delete', '09:20:00', 'deleteGroup', ['groups']) },
  };
  let n = 0;
  const record = (eventName: DirectoryChange['eventName'], oldImage?: object, newImage?: object): DirectoryChange => ({
    eventId: `4e1f0c6a-story-${++n}`,
    eventName,
    sequenceNumber: String(n),
    approximateCreationTime: Date.parse(at('09:30:00')),
    oldImage: oldImage as Record<string, unknown>,
    newImage: newImage as Record<string, unknown>,
  });
  return [
    record('INSERT', undefined, created),
    record('MODIFY', created, moved),
    record('MODIFY', moved, joined),
    // The group's rename reaches its members' profiles: no event of theirs.
    record('MODIFY', joined, renamedGroup),
    record('MODIFY', renamedGroup, disabled),
    record('MODIFY', disabled, enabled),
    record('MODIFY', enabled, left),
    record('REMOVE', left),
    record('INSERT', undefined, sales),
    record('MODIFY', sales, emea),
    record('REMOVE', emea),
  ].flatMap((change) => deriveEvents(change, { deletionNote: (kind) => notes[kind] }));
};
