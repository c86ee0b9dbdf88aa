import type { AttemptRecord } from '../contracts/attempt-record.js';
import { healthDeltas } from './endpoint-health.js';

let n = 0;
const rec = (webhook: string, outcome: 'succeeded' | 'failed', at: string, extra: Partial<AttemptRecord> = {}): AttemptRecord => ({
  id: String(++n).padStart(24, '0'),
  tenant_id: 't'.repeat(24),
  webhook_id: webhook,
  event_id: 'e'.repeat(24),
  event_type: 'click',
  attempt: 1,
  tier: 'first',
  outcome,
  status_code: outcome === 'succeeded' ? 200 : 500,
  error: outcome === 'succeeded' ? null : 'http_500',
  next: outcome === 'succeeded' ? 'delivered' : 'retry',
  duration_ms: 5,
  at,
  ...extra,
});

describe('healthDeltas', () => {
  it('counts failures after the last success, per webhook, in order', () => {
    const d = healthDeltas([
      rec('a', 'failed', '2026-03-24T12:00:00Z'),
      rec('a', 'succeeded', '2026-03-24T12:00:01Z'),
      rec('a', 'failed', '2026-03-24T12:00:02Z'),
      rec('a', 'failed', '2026-03-24T12:00:03Z'),
      rec('b', 'failed', '2026-03-24T12:00:04Z', { status_code: 410, error: 'http_410' }),
    ]);
    expect(d).toEqual([
      {
        webhookId: 'a',
        lastSuccessAt: new Date('2026-03-24T12:00:01Z'),
        failures: 2,
        firstFailureAt: new Date('2026-03-24T12:00:02Z'),
        lastFailureAt: new Date('2026-03-24T12:00:03Z'),
        gone: false,
      },
      {
        webhookId: 'b',
        lastSuccessAt: null,
        failures: 1,
        firstFailureAt: new Date('2026-03-24T12:00:04Z'),
        lastFailureAt: new Date('2026-03-24T12:00:04Z'),
        gone: true,
      },
    ]);
  });

  it('leaves out test sends and refusals that never reached the endpoint', () => {
    expect(
      healthDeltas([
        rec('a', 'failed', '2026-03-24T12:00:00Z', { tier: 'test', next: 'none' }),
        rec('a', 'failed', '2026-03-24T12:00:00Z', { status_code: null, error: 'endpoint_saturated' }),
      ]),
    ).toEqual([]);
  });
});
