import type { RetryTier } from '../kafka/topics.js';
import { JITTER_SHARE, MAX_RETRY_AFTER_MS } from './tuning.js';

/** Statuses whose Retry-After is honoured (RFC 9110: 429 Too Many Requests, 503 Service Unavailable). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/**
 * A Retry-After value as milliseconds from `now`: delta-seconds (`120`) or an HTTP date. Undefined
 * for anything negative, longer than MAX_RETRY_AFTER_MS, or unparseable (ignored, as the docs say).
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else if (/GMT$/.test(v)) {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  } else return undefined;
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}

export interface AttemptOutcome {
  ok: boolean;
  status?: number;
  /** The response's Retry-After header, if any. */
  retryAfter?: string;
}

/** What to do after an attempt. The deliverer only performs it. */
export type NextStep =
  | { kind: 'delivered' }
  /** `tier`: the topic that makes the next attempt; `dueAt` includes jitter and any Retry-After. */
  | { kind: 'retry'; tier: RetryTier; dueAt: number; jitterMs: number; retryAfterMs?: number }
  | { kind: 'dead_letter'; reason: 'exhausted' | 'gone' };

/**
 * Decides the step after attempt `attempt` (1-based). `tiers[i]` makes attempt i + 2.
 *
 * - 2xx: delivered. `410 Gone`: dead letter at once (the webhook is disabled for it, see EndpointHealth).
 * - No tier left: dead letter.
 * - Otherwise the next attempt number is attempt + 1 (a Retry-After never adds attempts), due after
 *   the scheduled delay plus jitter. On 429/503 with a valid Retry-After, the wait is at least what
 *   was asked (capped at the longest tier's delay), and the job goes through the first tier whose
 *   delay is at least that wait, so a long wait never sits at the head of a short tier's partition.
 */
export function nextStep(outcome: AttemptOutcome, attempt: number, tiers: readonly RetryTier[], now: number, random: () => number = Math.random): NextStep {
  if (outcome.ok) return { kind: 'delivered' };
  if (outcome.status === 410) return { kind: 'dead_letter', reason: 'gone' };
  const scheduled = tiers[attempt - 1];
  if (!scheduled) return { kind: 'dead_letter', reason: 'exhausted' };
  let tier = scheduled;
  let delay = scheduled.delayMs;
  const asked = outcome.status !== undefined && RETRY_AFTER_STATUSES.has(outcome.status) ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  if (asked !== undefined && asked > delay) {
    const longest = tiers.reduce((a, b) => (b.delayMs > a.delayMs ? b : a));
    delay = Math.min(asked, longest.delayMs);
    tier = tiers.find((t) => t.delayMs >= delay) ?? longest;
  }
  const jitterMs = Math.floor(random() * JITTER_SHARE * delay);
  return { kind: 'retry', tier, dueAt: now + delay + jitterMs, jitterMs, retryAfterMs: asked };
}
