import { reportSummary, spanWords } from '../../../console/src/report-summary';
import {
  customSpanProblem,
  DEFAULT_FILTERS,
  filtersFromParams,
  paramsFromFilters,
  ENTRA_DEFAULT,
  ENTRA_DEFAULT_ATTRIBUTES,
  parseAttributeList,
  policyOf,
  REPORT_ACTIONS,
  reportApiQuery,
  splitPolicy,
  userSearchFilter,
  type ReportFilters,
} from '../../../console/src/queries';
import { REPORT_ACTIONS as API_ACTIONS } from '../../../lambdas/domain/report-row';
import { parseFilter } from '../../../lambdas/scim/filter';
import { REQUIRED_PRESETS } from '../../../lambdas/scim/required-policy';

const query = (filters: Partial<ReportFilters>, cursor?: string) =>
  Object.fromEntries(reportApiQuery({ ...DEFAULT_FILTERS, ...filters }, { limit: 50, cursor }));

describe('console report query', () => {
  it('sends a plain search as the last 24 hours, everything, 50 rows', () => {
    expect(query({})).toEqual({ from: '24h', limit: '50' });
  });

  it('sends every filter the admin set, and the cursor for Load more', () => {
    expect(query({ endUser: ' alice@contoso.com ', application: 'app1', action: 'update', status: 'failure', span: '7d' }, 'CUR')).toEqual({
      endUser: 'alice@contoso.com',
      application: 'app1',
      action: 'update',
      status: 'failure',
      from: '7d',
      limit: '50',
      cursor: 'CUR',
    });
  });

  it('sends a custom span as ISO instants', () => {
    const from = '2026-01-01T00:00:00.000Z';
    const to = '2026-01-02T00:00:00.000Z';
    expect(query({ span: 'custom', from, to })).toEqual({ from, to, limit: '50' });
  });

  it('says what is wrong with a custom span before asking the API', () => {
    expect(customSpanProblem({ ...DEFAULT_FILTERS, span: 'custom' })).toMatch(/starts/);
    expect(customSpanProblem({ ...DEFAULT_FILTERS, span: 'custom', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toMatch(/ends before/);
    expect(customSpanProblem({ ...DEFAULT_FILTERS, span: 'custom', from: '2026-01-01T00:00:00Z' })).toBeUndefined();
    expect(customSpanProblem(DEFAULT_FILTERS)).toBeUndefined();
  });

  it('keeps the filters in the URL without defaults, and reads them back', () => {
    const filters: ReportFilters = { ...DEFAULT_FILTERS, endUser: 'bob', status: 'success', span: 'custom', from: '2026-01-01T00:00:00.000Z' };
    const params = paramsFromFilters(filters);
    expect(params).toEqual({ endUser: 'bob', status: 'success', span: 'custom', from: '2026-01-01T00:00:00.000Z' });
    expect(filtersFromParams(params)).toEqual(filters);
    expect(paramsFromFilters(DEFAULT_FILTERS)).toEqual({});
  });

  it("offers exactly the report API's actions", () => {
    expect(REPORT_ACTIONS.map((a) => a.value).sort()).toEqual([...API_ACTIONS].sort());
  });

  it('ignores URL parameters it does not know', () => {
    expect(filtersFromParams({ span: '2h', status: 'maybe', action: 'explode', from: 'soon' })).toEqual(DEFAULT_FILTERS);
  });
});

describe('console user search filter', () => {
  it('matches userName, externalId, e-mail and display name', () => {
    expect(userSearchFilter(' al ')).toBe('userName sw "al" or externalId eq "al" or emails.value co "al" or displayName co "al"');
    expect(userSearchFilter('   ')).toBeUndefined();
  });

  it('builds filters the gateway parses, whatever the admin types', () => {
    for (const text of ['alice@contoso.com', 'say "hi"', 'back\\slash', 'x) or (1 eq 1', 'ünïcødé']) {
      expect(() => parseFilter(userSearchFilter(text) as string)).not.toThrow();
    }
  });
});

describe('console required attributes', () => {
  it('reads one path a line or comma-separated, dropping blanks and repeats', () => {
    expect(parseAttributeList('userName\n name.givenName ,emails[type eq "work"].value\n\nuserName')).toEqual([
      'userName',
      'name.givenName',
      'emails[type eq "work"].value',
    ]);
  });

  it('does not split inside a value filter', () => {
    expect(parseAttributeList('addresses[type eq "a,b"].locality')).toEqual(['addresses[type eq "a,b"].locality']);
  });
});

describe('console required-attribute policy', () => {
  it("names the gateway's preset and lists its attributes as the gateway defines them", () => {
    expect(REQUIRED_PRESETS[ENTRA_DEFAULT as keyof typeof REQUIRED_PRESETS]).toEqual(ENTRA_DEFAULT_ATTRIBUTES);
  });

  it('shows the entra-default preset as the checkbox and the other entries in the text box', () => {
    expect(splitPolicy(['userName', 'entra-default', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'])).toEqual({
      entraDefault: true,
      paths: ['userName', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'],
    });
    expect(splitPolicy(['userName'])).toEqual({ entraDefault: false, paths: ['userName'] });
  });

  it('sends the preset when the box is ticked, and once when it is also typed', () => {
    expect(policyOf(true, 'department')).toEqual(['entra-default', 'department']);
    expect(policyOf(true, 'Entra-Default')).toEqual(['Entra-Default']);
    expect(policyOf(false, 'userName\ndepartment')).toEqual(['userName', 'department']);
  });
});

describe('reportSummary', () => {
  const base = { ...DEFAULT_FILTERS };
  it('names every active filter: end user, application by name, span', () => {
    expect(
      reportSummary({ filters: { ...base, endUser: 'alice@contoso.com', application: 'a1', span: '7d' }, shown: 4, more: false, failures: 0, appName: 'Entra ID – Contoso' }),
    ).toBe('4 events for alice@contoso.com in Entra ID – Contoso, last 7 days, newest first.');
  });

  it('names action and status, counts failures, and says when more match', () => {
    expect(reportSummary({ filters: { ...base, action: 'disable' }, shown: 50, more: true, failures: 2 })).toBe('50+ events (Disable), last 24 hours, newest first · 2 failed.');
    expect(reportSummary({ filters: { ...base, status: 'failure' }, shown: 1, more: false, failures: 1 })).toBe('1 event (failure), last 24 hours, newest first.');
  });

  it('writes a custom span in the given zone, an open end as now', () => {
    const filters = { ...base, span: 'custom' as const, from: '2026-12-01T09:00:00.000Z', to: '' };
    expect(spanWords(filters, 'en-GB', 'Europe/Berlin')).toBe('1 Dec 2026, 10:00:00 – now');
  });
});
