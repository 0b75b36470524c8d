/**
 * The CLI speaks in the words the user typed: an API refusal that names a query parameter is
 * reworded with the flag that set it, an unknown flag or application name comes back with the
 * closest ones there are, and node's parseArgs messages become one short sentence.
 */

/** Edit distance (insert, delete, substitute), case-insensitive. */
const distance = (a: string, b: string): number => {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[t.length];
};

/**
 * The candidates close to what was typed, closest first (at most `max`): those containing it or
 * contained in it (letter case ignored), and those within a few edits (a third of its length, at least 2).
 */
export const closeMatches = (typed: string, candidates: readonly string[], max = 3): string[] => {
  const needle = typed.toLowerCase().trim();
  if (!needle) return [];
  const tolerance = Math.max(2, Math.floor(needle.length / 3));
  return candidates
    .map((candidate) => {
      const hay = candidate.toLowerCase();
      const contains = hay.includes(needle) || (hay.length >= 3 && needle.includes(hay));
      return { candidate, score: contains ? 0 : distance(needle, hay) };
    })
    .filter(({ score }) => score <= tolerance)
    .sort((a, b) => a.score - b.score)
    .slice(0, max)
    .map(({ candidate }) => candidate);
};

/** `a`, `a or b`, `a, b or c`. */
export const orList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

/**
 * node:util parseArgs' error → one sentence with the flag as typed, and for an unknown flag the
 * closest known ones (`--sinse` → did you mean --since?).
 */
export const parseArgsMessage = (error: Error & { code?: string }, flags: readonly string[]): string => {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const close = closeMatches(option.replace(/^-+/, ''), flags.map((f) => f.replace(/^-+/, ''))).map((f) => `--${f}`);
    return `unknown flag ${option}${close.length ? `; did you mean ${orList(close)}?` : '.'}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(error.message) ? `${option} needs a value.` : `${option} takes no value.`;
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const value = /'([^']*)'/.exec(error.message)?.[1];
    return `unexpected argument "${value ?? ''}" (put a value with spaces in quotes).`;
  }
  return error.message;
};

/**
 * An API refusal reworded with the flags that set each parameter: `from "x" is not a date` →
 * `--since "x" is not a date`. Only a parameter name that opens the sentence or follows "is after"
 * is replaced, so ordinary words ("to", "from") elsewhere stay as they are.
 */
export const inFlagWords = (detail: string, flagOf: Readonly<Record<string, string>>): string =>
  detail
    .replace(/^([A-Za-z]+)\b/, (name: string) => flagOf[name] ?? name)
    .replace(/ is after ([A-Za-z]+) \(/, (whole: string, name: string) => (flagOf[name] ? ` is after ${flagOf[name]} (` : whole));
