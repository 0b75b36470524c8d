/**
 * The directory event types as values: a leaf with no imports, so the admin console's browser
 * bundle can list them (its Webhooks and Events views) without taking any server code along.
 */
export const USER_EVENT_TYPES = ['user.created', 'user.updated', 'user.deactivated', 'user.reactivated', 'user.deleted'] as const;
export const GROUP_EVENT_TYPES = ['group.created', 'group.updated', 'group.deleted', 'group.member_added', 'group.member_removed'] as const;
/** Every directory event type, in the order the docs list them. */
export const EVENT_TYPES = [...USER_EVENT_TYPES, ...GROUP_EVENT_TYPES] as const;
