import { retryTiers } from '../kafka/topics.js';
import { nextStep, parseRetryAfter } from './next-step.js';
import { JITTER_SHARE, MAX_RETRY_AFTER_MS } from './tuning.js';

/** The default schedule 0,1,5,25: tiers make attempts 2, 3 and 4. */
const TIERS = retryTiers('p', [0, 1, 5, 25]);
const NOW = Date.UTC(2026, 2, 24, 12, 0, 0);
const noJitter = () => 0;

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0); // a date in the past: now
  });

  it('ignores negative, huge and unparseable values', () => {
    for (const v of ['-5', '1.5', 'soon', '', '12abc', 'Wed, 99 Foo 2026 99:00:00 GMT', String(MAX_RETRY_AFTER_MS / 1000 + 1), '99999999999999999999']) {
      expect(parseRetryAfter(v, NOW)).toBeUndefined();
    }
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('nextStep', () => {
  it('delivered on success; dead letter after the last attempt and at once on 410 Gone', () => {
    expect(nextStep({ ok: true, status: 200 }, 1, TIERS, NOW)).toEqual({ kind: 'delivered' });
    expect(nextStep({ ok: false, status: 500 }, 4, TIERS, NOW)).toEqual({ kind: 'dead_letter', reason: 'exhausted' });
    expect(nextStep({ ok: false, status: 410 }, 1, TIERS, NOW)).toEqual({ kind: 'dead_letter', reason: 'gone' });
  });

  it('follows the schedule, with up to 10% jitter on top and never earlier', () => {
    const s = nextStep({ ok: false, status: 500 }, 2, TIERS, NOW, noJitter);
    expect(s).toMatchObject({ kind: 'retry', tier: TIERS[1], dueAt: NOW + 5_000, jitterMs: 0 });
    const late = nextStep({ ok: false, status: 500 }, 2, TIERS, NOW, () => 0.999999);
    expect(late.kind === 'retry' && late.dueAt).toBe(NOW + 5_000 + Math.floor(0.999999 * JITTER_SHARE * 5_000));
    for (let i = 0; i < 200; i++) {
      const r = nextStep({ ok: false }, 1, TIERS, NOW);
      if (r.kind !== 'retry') throw new Error('expected a retry');
      expect(r.dueAt).toBeGreaterThanOrEqual(NOW + 1_000);
      expect(r.dueAt).toBeLessThan(NOW + 1_100);
    }
  });

  it('on 429/503 with Retry-After: the first tier at least as long, never earlier than asked, same attempt count', () => {
    const s = nextStep({ ok: false, status: 429, retryAfter: '3' }, 1, TIERS, NOW, noJitter);
    expect(s).toMatchObject({ kind: 'retry', tier: TIERS[1], dueAt: NOW + 3_000, retryAfterMs: 3_000 });
    const d = nextStep({ ok: false, status: 503, retryAfter: new Date(NOW + 10_000).toUTCString() }, 1, TIERS, NOW, noJitter);
    expect(d).toMatchObject({ kind: 'retry', tier: TIERS[2], dueAt: NOW + 10_000 });
    // Shorter than the schedule: the schedule wins.
    expect(nextStep({ ok: false, status: 429, retryAfter: '2' }, 2, TIERS, NOW, noJitter)).toMatchObject({ tier: TIERS[1], dueAt: NOW + 5_000 });
    // Longer than the longest tier: capped at the last tier.
    expect(nextStep({ ok: false, status: 503, retryAfter: '3600' }, 1, TIERS, NOW, noJitter)).toMatchObject({ tier: TIERS[2], dueAt: NOW + 25_000 });
    // The last attempt stays the last: no extra attempts.
    expect(nextStep({ ok: false, status: 429, retryAfter: '3' }, 4, TIERS, NOW)).toEqual({ kind: 'dead_letter', reason: 'exhausted' });
  });

  it('ignores Retry-After on other statuses and bad values', () => {
    expect(nextStep({ ok: false, status: 500, retryAfter: '20' }, 1, TIERS, NOW, noJitter)).toMatchObject({ tier: TIERS[0], dueAt: NOW + 1_000 });
    expect(nextStep({ ok: false, status: 429, retryAfter: '-1' }, 1, TIERS, NOW, noJitter)).toMatchObject({ tier: TIERS[0], dueAt: NOW + 1_000 });
    expect(nextStep({ ok: false, status: 429, retryAfter: 'tomorrow' }, 1, TIERS, NOW, noJitter)).toMatchObject({ tier: TIERS[0], dueAt: NOW + 1_000 });
  });
});
