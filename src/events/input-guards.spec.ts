import { parseRfc3339 } from '../common/rfc3339.js';
import { validateEventData } from './event-schema.js';
import { badString, MAX_JSON_DEPTH, nestingDepth } from './input-guards.js';

const base = { tenant_id: 'a'.repeat(24), link_id: 'summer-sale', timestamp: '2026-03-24T15:00:00Z' };
const deep = (n: number) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown;

describe('input guards', () => {
  it('measures nesting without recursion, even 30,000 levels deep', () => {
    expect(nestingDepth({ a: 1 })).toBe(1);
    expect(nestingDepth({ a: { b: [1, [2]] } })).toBe(4);
    expect(nestingDepth(deep(30_000))).toBeGreaterThan(MAX_JSON_DEPTH);
  });

  it('refuses a conversion whose metadata nests 30,000 deep with a reason, not a RangeError', () => {
    const r = validateEventData('conversion', { ...base, conversion_type: 'deposit', metadata: { x: deep(30_000) } });
    expect(r).toEqual({ ok: false, reason: `value nests deeper than ${MAX_JSON_DEPTH} levels` });
    expect(validateEventData('conversion', { ...base, conversion_type: 'deposit', metadata: { x: deep(20) } }).ok).toBe(true);
  });

  it('finds U+0000 and lone surrogates in values and keys, and names where', () => {
    expect(badString({ a: 'ok', b: ['fine', '\u{1F600}'] })).toBeUndefined();
    expect(badString({ user_agent: 'a\u0000b' })).toMatch(/^user_agent contains U\+0000/);
    expect(badString({ metadata: { list: ['x', '\ud800'] } })).toMatch(/^metadata\.list\[1\] contains a lone UTF-16 surrogate/);
    expect(badString({ metadata: { ['\udc00']: 1 } })).toMatch(/^key .* lone UTF-16 surrogate/);
    expect(validateEventData('click', { ...base, referer: 'x\u0000' })).toEqual({ ok: false, reason: expect.stringContaining('U+0000') as string });
  });

  it('takes amount_cents only as a safe integer: larger values are refused, never rounded', () => {
    const conv = (amount_cents: number) => validateEventData('conversion', { ...base, conversion_type: 'deposit', amount_cents, currency: 'usd' });
    expect(conv(Number.MAX_SAFE_INTEGER).ok).toBe(true);
    expect(conv(Number.MAX_SAFE_INTEGER + 1).ok).toBe(false);
    expect(conv(1e300).ok).toBe(false);
    expect(conv(JSON.parse('12345678901234567890') as number).ok).toBe(false);
  });

  it('keeps a metadata key named __proto__ (class-transformer would drop it)', () => {
    const r = validateEventData('conversion', {
      ...base,
      conversion_type: 'deposit',
      metadata: JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as Record<string, unknown>,
    });
    expect(r.ok && JSON.stringify((r.data as { metadata?: unknown }).metadata)).toBe('{"__proto__":{"x":1},"a":2}');
  });
});

describe('RFC 3339 date-times', () => {
  it.each([
    ['2026-03-24T15:00:00Z', '2026-03-24T15:00:00Z'],
    ['2026-03-24t15:00:00z', '2026-03-24T15:00:00Z'],
    ['2026-03-24T17:00:00+02:00', '2026-03-24T15:00:00Z'],
    ['2026-03-24T17:00:00.5+02:00', '2026-03-24T15:00:00.5Z'],
    ['2026-03-24T15:00:00.123456789Z', '2026-03-24T15:00:00.123456789Z'],
    ['2026-03-01T00:30:00+01:00', '2026-02-28T23:30:00Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00Z'],
    ['2024-02-29T00:00:00-00:00', '2024-02-29T00:00:00Z'],
  ])('%s is delivered as %s', (input, utc) => {
    expect(parseRfc3339(input)).toMatchObject({ ok: true, utc });
  });

  it.each([
    '2026-03-24',
    '2026-03-24T15:00Z',
    '2026-03-24T15:00:00',
    '2026-W13-2T15:00:00Z',
    '2026-083T15:00:00Z',
    '20260324T150000Z',
    '2026-03-24T15:00:00,5Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-24T24:00:00Z',
    '2026-12-31T23:59:60Z',
    '2026-03-24T15:00:00+24:00',
    '2026-03-24T15:00:00.1234567890Z',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+00:01',
    '9999-12-31T23:59:59-00:01',
    '+002026-03-24T15:00:00Z',
    ' 2026-03-24T15:00:00Z',
  ])('%s is refused with a reason', (input) => {
    const r = parseRfc3339(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^timestamp /);
  });
});
