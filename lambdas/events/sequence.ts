/**
 * `sequence`: a number that grows with every event of a subject, so a consumer that applies an
 * event only when its sequence beats the one it stored is exactly-once in effect and order-proof.
 *
 * Why these numbers. DynamoDB Streams orders the records of one item, and only of one item (not
 * of a partition, not across items). So each subject's events come from one item:
 * - a group's from the group item: its `version`, which every write grows by one;
 * - a user's, membership events included, from the user item: `version` (SCIM writes) plus
 *   `membershipVersion` (membership writes). Membership is read from the user item's
 *   `profile.groups`, not from membership items: those are separate items whose records may
 *   arrive in any order relative to the user's, and whose removal leaves no counter behind.
 *   Each counter only grows and every write grows one of them, so the sum grows with every change,
 *   in stream order. `data.version` stays the SCIM resource version.
 * One record can yield several events (a write that adds a user to two groups): they take
 * consecutive numbers ending at the record's counter, which is exact when a write grows the
 * counter by the number of events it causes (the wiring's rule for `membershipVersion`: one per
 * group added or removed). A record that grew it by less still yields increasing numbers: they
 * start after the previous counter. Sequences are not gapless: writes that change nothing a
 * consumer sees (a member change only bumps the group's version) use a number and send nothing.
 * A deleted subject's last event takes the counter after its last write.
 */

/** A user's change counter: SCIM writes plus membership writes. */
export const userSequenceOf = (user: { version: number; membershipVersion?: number }): number => user.version + (user.membershipVersion ?? 0);

/** A group's change counter: its SCIM version. */
export const groupSequenceOf = (group: { version: number }): number => group.version;

/**
 * The sequences of the `count` events one record yields: consecutive, ending at the record's
 * counter `current` when it allows, never at or below the `previous` counter (undefined: a new item).
 */
export const recordSequences = (previous: number | undefined, current: number, count: number): number[] => {
  const start = Math.max((previous ?? 0) + 1, current - count + 1, 1);
  return Array.from({ length: count }, (_, i) => start + i);
};
