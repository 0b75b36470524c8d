/**
 * `npm run bench -- [options]`: which sections run and how big they are. A full run takes under
 * 20 minutes on a 2-core laptop, `--quick` under one; `--only` picks sections.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const SECTIONS = ['round-trips', 'cpu', 'oauth', 'gateway-cpu', 'cold-start', 'scale', 'bulk', 'cycle', 'freshness', 'webhooks', 'cost'] as const;
export type SectionId = (typeof SECTIONS)[number];

export interface BenchSizes {
  /** Largest application of the `userName eq` scale curve (the curve is N/100, N/10, N). */
  users: number;
  /** Largest group of the add-one-member curve (the curve is 10, N/100, N). */
  members: number;
  /** Entra-style initial cycle: users looked up then created, then groups filled by PATCH. */
  cycleUsers: number;
  cycleGroups: number;
  /** Requests in flight during the cycle and the gateway CPU run (Entra sends several at once). */
  concurrency: number;
  /** Handler CPU: timed iterations per operation (after a warm-up of a tenth as many). */
  cpuIterations: number;
  /** Cold start: fresh Node processes per bundle (with 2 or more, also as many without source maps). */
  coldStartRuns: number;
  /** Scale curve: timed requests per size. */
  scaleSamples: number;
  /** Report freshness: writes timed until visible. */
  freshnessSamples: number;
  /** Gateway CPU: filtered GETs sent while its CPU time is read. */
  gatewayRequests: number;
}

export interface BenchOptions {
  quick: boolean;
  sections: SectionId[];
  sizes: BenchSizes;
  /** Where the JSON results go. */
  out: string;
  /** Markdown file whose figures block is rewritten; undefined = leave docs alone. */
  docs?: string;
}

export const FULL_SIZES: BenchSizes = {
  users: 100_000,
  members: 100_000,
  cycleUsers: 10_000,
  cycleGroups: 100,
  concurrency: 8,
  cpuIterations: 3_000,
  coldStartRuns: 5,
  scaleSamples: 100,
  freshnessSamples: 50,
  gatewayRequests: 3_000,
};

export const QUICK_SIZES: BenchSizes = {
  users: 1_000,
  members: 1_000,
  cycleUsers: 500,
  cycleGroups: 10,
  concurrency: 8,
  cpuIterations: 200,
  coldStartRuns: 1,
  scaleSamples: 30,
  freshnessSamples: 10,
  gatewayRequests: 300,
};

export const DEFAULT_OUT = 'bench/results/latest.json';
export const DEFAULT_DOCS = 'docs/benchmarks.md';

export const USAGE = `Usage: npm run bench -- [options]

Sections: ${SECTIONS.join(', ')}

Options:
  --quick              small sizes: the whole run takes under a minute
  --only <sections>    comma-separated sections to run (default: all); "cost" also runs
                       round-trips and cpu, whose figures it needs
  --users <n>          largest application of the userName-lookup curve (default ${FULL_SIZES.users}, quick ${QUICK_SIZES.users})
  --members <n>        largest group of the add-one-member curve (default ${FULL_SIZES.members}, quick ${QUICK_SIZES.members})
  --cycle-users <n>    users of the Entra-style initial cycle (default ${FULL_SIZES.cycleUsers}, quick ${QUICK_SIZES.cycleUsers})
  --groups <n>         groups of the initial cycle (default ${FULL_SIZES.cycleGroups}, quick ${QUICK_SIZES.cycleGroups})
  --concurrency <n>    requests in flight over HTTP (default ${FULL_SIZES.concurrency})
  --iterations <n>     handler-CPU iterations per operation (default ${FULL_SIZES.cpuIterations}, quick ${QUICK_SIZES.cpuIterations})
  --out <file>         results JSON (default ${DEFAULT_OUT})
  --docs <file>        Markdown file whose figures block is rewritten (default ${DEFAULT_DOCS};
                       only when every section runs)
  --no-docs            leave the Markdown file alone
  -h, --help           this text
`;

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

const Count = z.coerce.number().int().min(1).max(10_000_000);

const count = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const parsed = Count.safeParse(text);
  if (!parsed.success) throw new BenchUsageError(`--${name} must be a whole number from 1 to 10000000 (got "${text}").`);
  return parsed.data;
};

const sectionsOf = (only: string | undefined): SectionId[] => {
  if (!only) return [...SECTIONS];
  const wanted = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new BenchUsageError(`Unknown section ${unknown.map((u) => `"${u}"`).join(', ')}; choose from ${SECTIONS.join(', ')}.`);
  const chosen = new Set(wanted as SectionId[]);
  if (chosen.has('cost')) {
    chosen.add('round-trips');
    chosen.add('cpu');
  }
  return SECTIONS.filter((s) => chosen.has(s));
};

/** Parses argv; returns undefined for --help. */
export const parseBenchArgs = (argv: readonly string[]): BenchOptions | undefined => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        users: { type: 'string' },
        members: { type: 'string' },
        'cycle-users': { type: 'string' },
        groups: { type: 'string' },
        concurrency: { type: 'string' },
        iterations: { type: 'string' },
        out: { type: 'string' },
        docs: { type: 'string' },
        'no-docs': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const base = values.quick ? QUICK_SIZES : FULL_SIZES;
  const sizes: BenchSizes = {
    ...base,
    users: count('users', values.users) ?? base.users,
    members: count('members', values.members) ?? base.members,
    cycleUsers: count('cycle-users', values['cycle-users']) ?? base.cycleUsers,
    cycleGroups: count('groups', values.groups) ?? base.cycleGroups,
    concurrency: count('concurrency', values.concurrency) ?? base.concurrency,
    cpuIterations: count('iterations', values.iterations) ?? base.cpuIterations,
  };
  const sections = sectionsOf(values.only);
  const everySection = sections.length === SECTIONS.length;
  return {
    quick: values.quick,
    sections,
    sizes,
    out: values.out ?? DEFAULT_OUT,
    docs: values['no-docs'] ? undefined : (values.docs ?? (everySection ? DEFAULT_DOCS : undefined)),
  };
};
