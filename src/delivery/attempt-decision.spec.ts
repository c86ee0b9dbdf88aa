import type { DeliveryJob } from '../contracts/delivery-job.js';
import { retryTiers } from '../kafka/topics.js';
import { decideAfterAttempt, lowersCapacity, mayPark, parkIn, SATURATED, tierOf, type AttemptResult } from './attempt-decision.js';

/** The default schedule 0,1,5,25: tiers make attempts 2, 3 and 4. */
const TIERS = retryTiers('p', [0, 1, 5, 25]);
const NOW = Date.UTC(2026, 2, 24, 12, 0, 0);
const job = (over: Partial<DeliveryJob> = {}): DeliveryJob => ({
  v: 1,
  webhook_id: 'w'.repeat(24),
  tenant_id: 't'.repeat(24),
  event_id: 'e'.repeat(24),
  event_type: 'click',
  body: '{"event":"click"}',
  attempts: 0,
  due_at: NOW,
  history: [],
  ...over,
});
const decide = (result: AttemptResult, j = job()) =>
  decideAfterAttempt({ job: j, webhookId: j.webhook_id, result, tiers: TIERS, startedAt: NOW - 40, now: NOW, recordId: 'a'.repeat(24), random: () => 0 });

describe('decideAfterAttempt', () => {
  it('a 2xx is delivered: the record says so and nothing is handed on', () => {
    const d = decide({ ok: true, status: 204, durationMs: 12.4, sent: true });
    expect(d.step).toEqual({ kind: 'delivered' });
    expect(d.record).toEqual({
      id: 'a'.repeat(24),
      tenant_id: 't'.repeat(24),
      webhook_id: 'w'.repeat(24),
      event_id: 'e'.repeat(24),
      event_type: 'click',
      attempt: 1,
      tier: 'first',
      outcome: 'succeeded',
      status_code: 204,
      error: null,
      next: 'delivered',
      duration_ms: 12,
      at: new Date(NOW - 40).toISOString(),
    });
    expect(d.lastError).toBeUndefined();
  });

  it('a failure goes to the tier of the next attempt, due after its delay, with the attempt in the history', () => {
    const d = decide({ ok: false, status: 503, error: 'http_503', durationMs: 30, sent: true }, job({ attempts: 1, sent: 1 }));
    expect(d.step).toMatchObject({ kind: 'retry', tier: TIERS[1], dueAt: NOW + 5_000, jitterMs: 0 });
    expect(d.record).toMatchObject({ attempt: 2, tier: '1s', outcome: 'failed', status_code: 503, error: 'http_503', next: 'retry' });
    expect(d.next).toMatchObject({ attempts: 2, sent: 2, due_at: NOW + 5_000, jitter_ms: 0, deferrals: 0, saturated_since: undefined });
    expect(d.next.history).toEqual([{ attempt: 2, at: new Date(NOW - 40).toISOString(), duration_ms: 30, status: 503, error: 'http_503' }]);
  });

  it('after the last tier, and at once on 410, the job is dead-lettered with its error', () => {
    const last = decide({ ok: false, error: 'timeout', durationMs: 10_000, sent: true }, job({ attempts: 3 }));
    expect(last.step).toEqual({ kind: 'dead_letter', reason: 'exhausted' });
    expect(last.record).toMatchObject({ attempt: 4, tier: '25s', next: 'dead_letter' });
    expect(last.lastError).toBe('timeout');
    const gone = decide({ ok: false, status: 410, error: 'http_410', durationMs: 5, sent: true });
    expect(gone.step).toEqual({ kind: 'dead_letter', reason: 'gone' });
    expect(gone.lastError).toBe('http_410');
  });

  it('counts a request as sent only when it may have reached the endpoint', () => {
    const sentAfter = (r: AttemptResult) => decide(r, job({ attempts: 1, sent: 1 })).next.sent;
    expect(sentAfter({ ok: false, status: 500, error: 'http_500', durationMs: 1, sent: true })).toBe(2);
    expect(sentAfter({ ok: false, error: 'timeout', durationMs: 1, sent: true })).toBe(2);
    expect(sentAfter({ ok: false, error: 'econnreset', durationMs: 1, sent: true })).toBe(2);
    expect(sentAfter({ ok: false, error: 'econnrefused', durationMs: 1, sent: true })).toBe(1);
    expect(sentAfter({ ok: false, error: 'enotfound', durationMs: 1, sent: true })).toBe(1);
    expect(sentAfter({ ok: false, error: 'unsafe_target', durationMs: 0, sent: true })).toBe(1);
    expect(sentAfter(SATURATED)).toBe(1);
    // Jobs of older versions carry no `sent`: their attempts stand for it.
    expect(decide({ ok: false, status: 500, error: 'http_500', durationMs: 1, sent: true }, job({ attempts: 2 })).next.sent).toBe(3);
  });

  it('a saturated wait that ran out is a failed attempt with no status', () => {
    const d = decide(SATURATED);
    expect(d.record).toMatchObject({ outcome: 'failed', status_code: null, error: 'endpoint_saturated', next: 'retry', duration_ms: 0 });
  });
});

describe('mayPark', () => {
  const facts = { now: NOW, maxSaturationWaitMs: 60_000, maxUnreachableParks: 5 };
  it('an answering endpoint may keep a delivery waiting until the saturation wait is spent', () => {
    expect(mayPark({ ...facts, unreachable: false, job: job() })).toBe(true);
    expect(mayPark({ ...facts, unreachable: false, job: job({ saturated_since: NOW - 59_999 }) })).toBe(true);
    expect(mayPark({ ...facts, unreachable: false, job: job({ saturated_since: NOW - 60_000 }) })).toBe(false);
  });
  it('an unreachable endpoint only for a few parks, however short the wait', () => {
    expect(mayPark({ ...facts, unreachable: true, job: job({ deferrals: 4, saturated_since: NOW }) })).toBe(true);
    expect(mayPark({ ...facts, unreachable: true, job: job({ deferrals: 5, saturated_since: NOW }) })).toBe(false);
  });
});

describe('parkIn', () => {
  it('picks the first tier whose delay covers the expected wait, capped at the last', () => {
    expect(parkIn(job(), TIERS, 800, NOW)!.tier).toBe(TIERS[0]);
    expect(parkIn(job(), TIERS, 4_000, NOW)!.tier).toBe(TIERS[1]);
    expect(parkIn(job(), TIERS, 3_600_000, NOW)!.tier).toBe(TIERS[2]);
  });
  it('keeps the attempt, counts the deferral and remembers when the wait began', () => {
    const first = parkIn(job({ attempts: 2 }), TIERS, 0, NOW)!;
    expect(first.job).toMatchObject({ attempts: 2, deferrals: 1, saturated_since: NOW, due_at: NOW + 1_000 });
    const again = parkIn(first.job, TIERS, 0, NOW + 5_000)!;
    expect(again.job).toMatchObject({ deferrals: 2, saturated_since: NOW, due_at: NOW + 6_000 });
  });
  it('has nowhere to park without tiers', () => {
    expect(parkIn(job(), [], 0, NOW)).toBeUndefined();
  });
});

describe('lowersCapacity and tierOf', () => {
  it('every failure without an answer lowers the cap, except Rift refusing to send', () => {
    expect(lowersCapacity({ ok: false, error: 'timeout', durationMs: 1, sent: true })).toBe(true);
    expect(lowersCapacity({ ok: false, error: 'econnrefused', durationMs: 1, sent: true })).toBe(true);
    expect(lowersCapacity({ ok: false, status: 503, error: 'http_503', durationMs: 1, sent: true })).toBe(false);
    for (const error of ['unsafe_target', 'not_https', 'invalid_url'] as const)
      expect(lowersCapacity({ ok: false, error, durationMs: 0, sent: true })).toBe(false);
  });
  it('names the tier of each attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => tierOf(n, TIERS))).toEqual(['first', '1s', '5s', '25s', 'unknown']);
  });
});

describe('parkIn, the start of the wait', () => {
  it('counts the saturation wait from the first parked attempt’s start, not from when it was parked', () => {
    const parked = parkIn(job(), TIERS, 0, NOW, NOW - 1_500)!;
    expect(parked.job.saturated_since).toBe(NOW - 1_500);
    expect(parkIn(parked.job, TIERS, 0, NOW + 9_000, NOW + 8_000)!.job.saturated_since).toBe(NOW - 1_500);
  });
});
