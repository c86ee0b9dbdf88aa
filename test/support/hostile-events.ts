import fc from 'fast-check';
import { hex24 } from './fixtures.js';

/**
 * The hostile-input suite's generator (test/hostile-input.e2e-spec.ts): schema-valid events built as
 * raw JSON text, so that deep nesting, numbers past 2^53, odd date-times, escapes of U+0000 and lone
 * surrogates reach the service exactly as written. EVENT_MAX_BYTES is the service's limit in that suite.
 */
export const EVENT_MAX_BYTES = 65_536;

/** JSON text nested `n` arrays deep (valid JSON, a few bytes per level). */
export const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Every date-time form worth trying: RFC 3339 ones (accepted) and ISO-8601 ones it is not (refused). */
const DATE_TIMES = [
  '2026-03-24T15:00:00Z',
  '2026-03-24T17:00:00+02:00',
  '2026-03-24t15:00:00.123456789z',
  '2026-03-24T15:00:00.5-00:30',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2024-02-29T12:00:00Z',
  '2026-03-24',
  '2026-W13-2T15:00:00Z',
  '2026-083T15:00:00Z',
  '20260324T150000Z',
  '2026-03-24T15:00Z',
  '2026-03-24T15:00:00',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-23:59',
  '2026-12-31T23:59:60Z',
  '+002026-03-24T15:00:00Z',
  '2026-03-24T15:00:00,5Z',
  '2026-03-24T15:00:00+24:00',
  '2026-02-30T00:00:00Z',
];

/** Raw JSON text for numbers (so that values past 2^53 reach the service as written). */
const NUMBERS = [
  '0',
  '9007199254740991',
  '9007199254740992',
  '9223372036854775807',
  '9223372036854775808',
  '1e308',
  '1e400',
  '-1',
  '1.5',
  '-0',
  '5e-324',
  '123456789012345678901234567890',
];

const STRINGS = [
  'plain',
  '\\u0000',
  'a\\u0000b',
  '\\ud800',
  '\\udfff\\ud800',
  '\\ud83d\\ude00',
  'مرحبا',
  'e\\u0301',
  '\\ufeff',
  '\\uffff',
  '"quoted"',
  '\\\\',
  '\\u0001\\u001f',
];

export type Hostile = { type: 'click' | 'attribution' | 'conversion'; json: string; eventId: string };

/** One event of the tenant, of any type, drawn from the lists above (near EVENT_MAX_BYTES at times). */
export function hostileEvent(tenantId: string) {
  return fc
    .record({
      type: fc.constantFrom('click', 'attribution', 'conversion' as const),
      timestamp: fc.constantFrom(...DATE_TIMES),
      depth: fc.constantFrom(1, 5, 31, 32, 33, 200, 30_000),
      amount: fc.constantFrom(...NUMBERS),
      metaNumber: fc.constantFrom(...NUMBERS),
      str: fc.constantFrom(...STRINGS),
      longField: fc.boolean(),
      nearLimit: fc.constantFrom(0, 0, 0, 1, 2),
    })
    .map(({ type, timestamp, depth, amount, metaNumber, str, longField, nearLimit }): Hostile => {
      const eventId = hex24();
      const common = `"event_id":"${eventId}","tenant_id":"${tenantId}","link_id":"hostile","timestamp":"${timestamp}"`;
      const long = (n: number) => '\\u00e9'.repeat(n); // 2 bytes each in UTF-8, 6 in the JSON text
      let json: string;
      if (type === 'click') json = `{${common},"user_agent":"${longField ? long(2048) : str}","platform":"ios"}`;
      else if (type === 'attribution') json = `{${common},"install_id":"${longField ? long(256) : str}"}`;
      else {
        // Near the limit: padding that fills the message to a few bytes under (1) or over (2) EVENT_MAX_BYTES.
        const base = `{${common},"conversion_type":"deposit","amount_cents":${amount},"currency":"usd","metadata":{"n":${metaNumber},"s":"${str}","deep":${nested(depth)},"pad":"PAD"}}`;
        const room = EVENT_MAX_BYTES - (Buffer.byteLength(base) - 3);
        const pad = nearLimit === 0 || room <= 0 ? '' : 'x'.repeat(nearLimit === 1 ? room - 8 : room + 8);
        json = base.replace('"PAD"', `"${pad}"`);
      }
      return { type, json, eventId };
    });
}
