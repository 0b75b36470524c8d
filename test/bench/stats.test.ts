import { percentile, summarize } from '../../bench/lib/stats';
import { markdownTable, textTable } from '../../bench/lib/table';

describe('bench stats', () => {
  it('takes percentiles by nearest rank, so p99 is an observed value', () => {
    const values = Array.from({ length: 100 }, (_v, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes unsorted samples', () => {
    expect(summarize([3, 1, 2])).toEqual({ count: 3, median: 2, p99: 3, mean: 2, min: 1, max: 3 });
  });
});

describe('bench tables', () => {
  const spec = { title: 'T', headers: ['op', 'ms'], rows: [['a|b', 1.234], ['c', undefined]], notes: ['n'] };

  it('right-aligns numbers and shows missing cells as a dash', () => {
    expect(textTable(spec)).toBe('T\nop     ms\n───  ────\na|b  1.23\nc    —\n  · n\n');
  });

  it('escapes pipes in Markdown cells and right-aligns numeric columns', () => {
    expect(markdownTable(spec)).toBe('| op | ms |\n| --- | ---: |\n| a\\|b | 1.23 |\n| c | — |\n\n- n');
  });
});
