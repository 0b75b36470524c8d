/**
 * The report's CSV encoding: RFC 4180 quoting (every cell round-trips through a strict reader) and
 * formula-injection safety (a cell a spreadsheet would run as a formula starts with `'`).
 */
import fc from 'fast-check';
import { csvField, csvLine, REPORT_CSV_HEADER, reportCsvLine } from '../../../lambdas/reports/csv';
import type { ReportRow } from '../../../lambdas/domain/report-row';
import { parseCsv } from '../../helpers/rfc4180';

const risky = fc.constantFrom('=', '+', '-', '@', '\t', '\r', ',', '"', '\n', '\r\n', 'a', 'é', ' ');
const cell = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.array(risky).map((parts) => parts.join('')));

/** What a reader sees for a cell: the text, with `'` in front when it would start a formula. */
const shown = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

describe('csvField / csvLine', () => {
  it('any record of any cells round-trips through an RFC 4180 reader', () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        expect(parseCsv(csvLine(cells))).toEqual([cells.map(shown)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('prefixes a cell that starts a formula with a quote, and only such a cell', () => {
    expect(['=SUM(A1)', '+1', '-1', '@cmd', '\tx', '\rx'].map(csvField)).toEqual(["'=SUM(A1)", "'+1", "'-1", "'@cmd", "'\tx", '"\'\rx"']);
    expect(['a=b', '1-2', 'x@y'].map(csvField)).toEqual(['a=b', '1-2', 'x@y']);
  });

  it('quotes a field with a comma, quote or line break and doubles its quotes', () => {
    expect(csvField('Smith, Alice')).toBe('"Smith, Alice"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(404)).toBe('404');
  });
});

describe('reportCsvLine', () => {
  const row: ReportRow = {
    eventId: 'e1:0',
    time: '2026-12-01T10:00:00.000Z',
    appId: 'app-1',
    appName: 'Entra ID – Contoso',
    resourceType: 'User',
    resourceId: 'u1',
    userName: 'alice@contoso.com',
    action: 'update',
    status: 'success',
    changes: [
      { name: 'active', old: 'true', new: 'false' },
      { name: 'title', new: '=HYPERLINK("http://x")' },
    ],
    expiresAt: '2027-03-01T10:00:00.000Z',
  };

  it('writes one record under the header, the changes in one cell', () => {
    const [header, record] = parseCsv(REPORT_CSV_HEADER + reportCsvLine(row));
    const byName = Object.fromEntries(header.map((name, i) => [name, record[i]]));
    expect(byName).toMatchObject({
      time: row.time,
      appName: 'Entra ID – Contoso',
      userName: 'alice@contoso.com',
      action: 'update',
      status: 'success',
      changes: 'active: true → false; title: → =HYPERLINK("http://x")',
      httpStatus: '',
      eventId: 'e1:0',
    });
    expect(header).toHaveLength(record.length);
  });
});
