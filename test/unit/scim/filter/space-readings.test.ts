import { matches, parseFilter, spaceReading, withSpaceReadings } from '../../../../lambdas/scim/filter';

/** Does the query-string filter `text` (read both ways) match `resource`? */
const bothWays = (text: string, resource: Record<string, unknown>) => matches(withSpaceReadings(parseFilter(text)), resource);

describe('withSpaceReadings', () => {
  const salesTeam = { displayName: 'Sales Team' };
  const salesPlusTeam = { displayName: 'Sales+Team' };

  it('lets an eq on a value holding + match the spaced reading and the literal one', () => {
    expect(bothWays('displayName eq "Sales+Team"', salesTeam)).toBe(true);
    expect(bothWays('displayName eq "Sales+Team"', salesPlusTeam)).toBe(true);
    expect(bothWays('displayName eq "Sales+Team"', { displayName: 'Sales' })).toBe(false);
    // Without the rewrite only the literal reading matches.
    expect(matches(parseFilter('displayName eq "Sales+Team"'), salesTeam)).toBe(false);
  });

  it.each([
    ['co', 'displayName co "s+T"'],
    ['sw', 'displayName sw "Sales+"'],
    ['ew', 'displayName ew "+Team"'],
  ])('reads %s both ways', (_op, text) => {
    expect(bothWays(text, salesTeam)).toBe(true);
    expect(bothWays(text, salesPlusTeam)).toBe(true);
  });

  it('keeps ne the negation of eq: equal to neither reading', () => {
    expect(bothWays('displayName ne "Sales+Team"', salesTeam)).toBe(false);
    expect(bothWays('displayName ne "Sales+Team"', salesPlusTeam)).toBe(false);
    expect(bothWays('displayName ne "Sales+Team"', { displayName: 'Other' })).toBe(true);
  });

  it('keeps the + of an ordering comparison (a spaced date would compare as text)', () => {
    const created = (at: string) => ({ meta: { created: at } });
    const filter = withSpaceReadings(parseFilter('meta.created gt 2024-01-01T00:00:00+02:00'));
    expect(filter).toEqual(parseFilter('meta.created gt 2024-01-01T00:00:00+02:00'));
    expect(matches(filter, created('2023-12-31T22:30:00Z'))).toBe(true);
    expect(matches(filter, created('2023-12-31T21:30:00Z'))).toBe(false);
  });

  it('reads values inside value filters and valuePath filters both ways', () => {
    const ann = { emails: [{ type: 'work', value: 'Ann Lee' }] };
    expect(bothWays('emails[type eq "work"].value eq "Ann+Lee"', ann)).toBe(true);
    expect(bothWays('emails[type eq "work" and value eq "Ann+Lee"]', ann)).toBe(true);
    expect(bothWays('emails[type eq "work+x"].value eq "Ann Lee"', ann)).toBe(false);
  });

  it('reads every operand of and, or and not', () => {
    const user = { userName: 'ann lee', displayName: 'Ann Lee' };
    expect(bothWays('userName eq "ann+lee" and displayName eq "Ann+Lee"', user)).toBe(true);
    expect(bothWays('userName eq "nobody" or displayName eq "Ann+Lee"', user)).toBe(true);
    expect(bothWays('not (displayName eq "Ann+Lee")', user)).toBe(false);
  });

  it('leaves a filter without + as it is', () => {
    const filter = parseFilter('userName eq "x" and (emails[type eq "work"] or title pr)');
    expect(withSpaceReadings(filter)).toEqual(filter);
  });
});

describe('spaceReading', () => {
  it('reads every + as a space', () => {
    expect(spaceReading('EDU+All+personal')).toBe('EDU All personal');
    expect(spaceReading('no plus')).toBe('no plus');
  });
});
