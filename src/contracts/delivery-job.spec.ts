import { parseDeliveryJob, type DeliveryJob } from './delivery-job.js';

const job: DeliveryJob = {
  v: 1,
  webhook_id: 'w',
  tenant_id: 't',
  event_id: 'e',
  event_type: 'click',
  body: '{"event":"click"}',
  attempts: 1,
  due_at: 1_700_000_000_000,
  history: [{ attempt: 1, at: '2026-03-24T15:00:00Z', duration_ms: 12, status: 503, error: 'http_503' }],
};
const buf = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('parseDeliveryJob', () => {
  it('reads a job back as written, optional fields included', () => {
    const full = { ...job, jitter_ms: 40, sent: 2, deferrals: 1, saturated_since: 5 };
    expect(parseDeliveryJob(buf(full))).toEqual(full);
  });

  it('returns null for no value, bad JSON and JSON that is not an object', () => {
    expect(parseDeliveryJob(null)).toBeNull();
    expect(parseDeliveryJob(Buffer.from('{"v":1,'))).toBeNull();
    expect(parseDeliveryJob(Buffer.from('null'))).toBeNull();
    expect(parseDeliveryJob(Buffer.from('"job"'))).toBeNull();
  });

  it.each([
    ['another version', { v: 2 }],
    ['a numeric webhook id', { webhook_id: 7 }],
    ['no tenant', { tenant_id: undefined }],
    ['no event id', { event_id: undefined }],
    ['a body that is not text', { body: { event: 'click' } }],
    ['attempts as text', { attempts: '1' }],
    ['no due time', { due_at: undefined }],
    ['a history that is not a list', { history: {} }],
  ])('returns null for a job with %s', (_, change) => {
    expect(parseDeliveryJob(buf({ ...job, ...change }))).toBeNull();
  });
});
