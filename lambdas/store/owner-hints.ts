/**
 * Which id last held a unique name (a userName or a group displayName), remembered per container so
 * a lookup by name can read the holder's item straight away: one strongly consistent GetItem
 * instead of two (the name's sentinel, then the item). A hint is only a guess: the caller reads
 * the item and keeps it only when the item still holds the name (compared through the sentinel's
 * key, so case folding is the key module's), and otherwise forgets the hint and reads the sentinel.
 * That is exact because a sentinel and its holder's item change in the same transaction
 * (unique-names.ts): an item that holds the name at a consistent read is the name's only holder.
 */

/** Enough for every user of a large directory; each entry is a key and an id (≈150 bytes). */
const DEFAULT_MAX_ENTRIES = 20_000;

export interface OwnerHints {
  /** The id last seen holding the name whose sentinel key is `sentinelPk`. */
  get(sentinelPk: string): string | undefined;
  set(sentinelPk: string, id: string): void;
  forget(sentinelPk: string): void;
}

export const createOwnerHints = (maxEntries = DEFAULT_MAX_ENTRIES): OwnerHints => {
  const hints = new Map<string, string>();
  return {
    get: (sentinelPk) => hints.get(sentinelPk),
    set(sentinelPk, id) {
      hints.delete(sentinelPk);
      hints.set(sentinelPk, id);
      // Oldest first out (Map keeps insertion order): memory stays bounded whatever the directory's size.
      if (hints.size > maxEntries) hints.delete(hints.keys().next().value as string);
    },
    forget: (sentinelPk) => {
      hints.delete(sentinelPk);
    },
  };
};
