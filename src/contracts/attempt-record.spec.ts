import { parseAttemptRecord, type AttemptRecord } from './attempt-record.js';

const record: AttemptRecord = {
  id: '66a1b2c3d4e5f6a7b8c9d0e1',
  tenant_id: '6650a1b2c3d4e5f6a7b8c9d0',
  webhook_id: '66a1b2c3d4e5f6a7b8c9d0e2',
  event_id: '66a1b2c3d4e5f6a7b8c9d0e3',
  event_type: 'conversion',
  attempt: 2,
  tier: '1s',
  outcome: 'failed',
  status_code: 503,
  error: 'http_503',
  next: 'retry',
  duration_ms: 41.5,
  at: '2026-03-24T15:00:01.000Z',
};
const buf = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('parseAttemptRecord', () => {
  it('reads a record back as written', () => {
    expect(parseAttemptRecord(buf(record))).toEqual(record);
    const delivered = { ...record, outcome: 'succeeded', status_code: 200, error: null, next: 'delivered' };
    expect(parseAttemptRecord(buf(delivered))).toEqual(delivered);
    const refused = { ...record, status_code: null, error: 'econnrefused' };
    expect(parseAttemptRecord(buf(refused))).toEqual(refused);
  });

  it('returns null for no value and bad JSON', () => {
    expect(parseAttemptRecord(null)).toBeNull();
    expect(parseAttemptRecord(Buffer.from('{'))).toBeNull();
    expect(parseAttemptRecord(Buffer.from('null'))).toBeNull();
  });

  it.each([
    ['an id that is not 24 lowercase hex', { id: '66A1B2C3D4E5F6A7B8C9D0E1' }],
    ['a tenant id too short', { tenant_id: 'abc' }],
    ['an unknown event type', { event_type: 'purchase' }],
    ['attempt 0', { attempt: 0 }],
    ['an attempt past smallint', { attempt: 32_768 }],
    ['a fractional attempt', { attempt: 1.5 }],
    ['a tier longer than its column', { tier: 'x'.repeat(17) }],
    ['an unknown outcome', { outcome: 'maybe' }],
    ['a status below 100', { status_code: 99 }],
    ['a status of 600', { status_code: 600 }],
    ['an error longer than its column', { error: 'e'.repeat(65) }],
    ['an unknown next step', { next: 'later' }],
    ['a negative duration', { duration_ms: -1 }],
    ['a duration that is not a number', { duration_ms: '5' }],
    ['a time that does not parse', { at: 'yesterday' }],
  ])('returns null for a record with %s', (_, change) => {
    expect(parseAttemptRecord(buf({ ...record, ...change }))).toBeNull();
  });

  it('accepts the bounds themselves', () => {
    expect(
      parseAttemptRecord(buf({ ...record, attempt: 32_767, tier: 'x'.repeat(16), error: 'e'.repeat(64), status_code: 100, duration_ms: 0 })),
    ).not.toBeNull();
    expect(parseAttemptRecord(buf({ ...record, status_code: 599 }))).not.toBeNull();
  });
});
