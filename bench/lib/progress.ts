/**
 * A progress bar on stderr, so stdout keeps only the tables. On a terminal it redraws one line;
 * elsewhere (CI, a pipe) it prints a line every 25 %, so logs stay short.
 */

export interface Progress {
  /** Adds `n` done units (default 1). */
  tick(n?: number): void;
  /** Finishes the bar and prints how long it took. */
  done(note?: string): void;
}

export type ProgressFactory = (label: string, total: number) => Progress;

const WIDTH = 28;

const bar = (fraction: number) => {
  const full = Math.round(fraction * WIDTH);
  return `[${'#'.repeat(full)}${'.'.repeat(WIDTH - full)}]`;
};

export const progressBar =
  (stream: NodeJS.WriteStream = process.stderr): ProgressFactory =>
  (label, total) => {
    const started = performance.now();
    const tty = Boolean(stream.isTTY);
    let count = 0;
    let lastDraw = 0;
    let lastQuarter = -1;
    const draw = (force = false) => {
      const fraction = total > 0 ? Math.min(1, count / total) : 1;
      if (tty) {
        const now = performance.now();
        if (!force && now - lastDraw < 100) return;
        lastDraw = now;
        stream.write(`\r  ${label.padEnd(34)} ${bar(fraction)} ${String(count).padStart(7)}/${total}`);
        return;
      }
      const quarter = Math.floor(fraction * 4);
      if (quarter > lastQuarter && quarter < 4) {
        lastQuarter = quarter;
        stream.write(`  ${label}: ${Math.round(fraction * 100)} % (${count}/${total})\n`);
      }
    };
    draw(true);
    return {
      tick: (n = 1) => {
        count += n;
        draw();
      },
      done: (note) => {
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        if (tty) {
          count = Math.max(count, total);
          draw(true);
          stream.write(`  ${seconds} s${note ? `  ${note}` : ''}\n`);
        } else {
          stream.write(`  ${label}: done in ${seconds} s${note ? `  ${note}` : ''}\n`);
        }
      },
    };
  };

/** For tests and programmatic runs: no output at all. */
export const silentProgress: ProgressFactory = () => ({ tick: () => undefined, done: () => undefined });
