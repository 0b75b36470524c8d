/**
 * `npm run bench`: cost, speed and scale of the gateway, measured. Tables go to stdout, progress
 * and notes to stderr, figures to bench/results/latest.json and docs/benchmarks.md.
 * See `npm run bench -- --help` and docs/benchmarks.md for what each section measures.
 */
// First: the environment the handler modules read when they are imported.
import './lib/process-env';
import { BenchUsageError, parseBenchArgs, USAGE } from './lib/options';
import { progressBar } from './lib/progress';
import { runBench } from './lib/runner';

const main = async (): Promise<number> => {
  let options;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  process.stderr.write(`bench: sections ${options.sections.join(', ')}${options.quick ? ' (quick sizes)' : ''}\n`);
  const { results } = await runBench(options, {
    progress: progressBar(),
    print: (text) => process.stdout.write(text),
    log: (message) => process.stderr.write(`bench: ${message}\n`),
  });
  return Object.keys(results.failed).length ? 1 : 0;
};

main().then(
  (code) => {
    process.exitCode = code;
    // An SDK socket or a timer left behind must not keep a finished run alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
