import { isRfc3339, rfc3339Millis } from './rfc3339.js';

describe('isRfc3339', () => {
  it.each([
    '2026-03-24T15:00:00Z',
    '2026-03-24t15:00:00z',
    '2026-03-24T15:00:00.123Z',
    '2026-03-24T15:00:00.123456789+05:30',
    '2026-03-24T15:00:00-08:00',
    '2024-02-29T00:00:00Z',
  ])('accepts %s', (v) => expect(isRfc3339(v)).toBe(true));

  it.each([
    '2026-03-24',
    '2026-03-24T15:00:00',
    '2026-03-24T15:00Z',
    '2026-03-24 15:00:00Z',
    '20260324T150000Z',
    '2026-W13-2T15:00:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-24T24:00:00Z',
    '2026-03-24T15:00:00+0530',
    '2026-03-24T15:00:00+24:00',
    'yesterday',
    '',
    1711292400000,
    null,
  ])('refuses %p', (v) => expect(isRfc3339(v)).toBe(false));

  it('parses to epoch milliseconds, offsets applied', () => {
    expect(rfc3339Millis('2026-03-24T15:00:00+01:00')).toBe(Date.UTC(2026, 2, 24, 14));
    expect(rfc3339Millis('2026-03-24T15:00:00.25Z')).toBe(Date.UTC(2026, 2, 24, 15, 0, 0, 250));
  });
});

describe('leap seconds', () => {
  it('are refused: neither JavaScript nor PostgreSQL can hold second 60 exactly', () => {
    expect(isRfc3339('2016-12-31T23:59:60Z')).toBe(false);
    expect(isRfc3339('2016-12-31T18:59:60-05:00')).toBe(false);
  });
});
