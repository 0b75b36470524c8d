import { fromLocalInput, isSpanPreset, localText, toLocalInput, utcText } from '../../../console/src/time';

describe('console time', () => {
  it('shows the UTC instant for the hover text', () => {
    expect(utcText('2026-03-01T12:34:56.789Z')).toBe('2026-03-01 12:34:56 UTC');
    expect(utcText('not a date')).toBe('not a date');
  });

  it('shows a time in the given zone', () => {
    const text = localText('2026-07-01T12:00:00.000Z', 'en-GB', 'Europe/Berlin');
    expect(text).toContain('14:00:00');
    expect(localText('2026-07-01T12:00:00.000Z', 'en-GB', 'UTC')).toContain('12:00:00');
  });

  it('round-trips a datetime-local value through ISO 8601 in the local zone', () => {
    const iso = fromLocalInput('2026-02-03T04:05');
    expect(iso).toBe(new Date(2026, 1, 3, 4, 5).toISOString());
    expect(toLocalInput(iso as string)).toBe('2026-02-03T04:05');
  });

  it('refuses datetime-local values that are empty or malformed', () => {
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('2026-02-03')).toBeUndefined();
    expect(fromLocalInput('yesterday')).toBeUndefined();
    expect(toLocalInput('nope')).toBe('');
  });

  it('knows the four presets', () => {
    expect(['1h', '24h', '7d', '30d'].every(isSpanPreset)).toBe(true);
    expect(isSpanPreset('2h')).toBe(false);
  });
});
