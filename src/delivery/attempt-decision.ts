import type { AttemptNext, AttemptRecord } from '../contracts/attempt-record.js';
import type { DeliveryJob } from '../contracts/delivery-job.js';
import { isPolicyRefusal, mayHaveReached, type FailureClass } from '../contracts/failure.js';
import type { RetryTier } from '../kafka/topics.js';
import { nextStep, type NextStep } from './next-step.js';

/**
 * What one attempt ended with, as the decisions below need it: the sender's result, or the refusal
 * of a delivery that waited for its webhook's slot too long (`sent: false`: nothing was sent).
 */
export interface AttemptResult {
  ok: boolean;
  status?: number;
  error?: FailureClass;
  durationMs: number;
  retryAfter?: string;
  /** A request was started (a slot was held); false when the wait for a slot counted as the attempt. */
  sent: boolean;
}

/** The failed attempt of a delivery whose wait for a slot of its webhook ran out. */
export const SATURATED: AttemptResult = { ok: false, error: 'endpoint_saturated', durationMs: 0, sent: false };

/** What to do after an attempt: the record to log, and where the job goes next (nowhere when delivered). */
export interface AttemptDecision {
  record: AttemptRecord;
  step: NextStep;
  /** The job as it leaves this attempt (attempts and history updated); handed to `step`'s tier or the DLQ. */
  next: DeliveryJob;
  /** The DLQ's `last_error`, when step is a dead letter. */
  lastError?: FailureClass;
}

export interface AttemptFacts {
  job: DeliveryJob;
  webhookId: string;
  result: AttemptResult;
  tiers: readonly RetryTier[];
  /** When the attempt started and when it ended (epoch ms). */
  startedAt: number;
  now: number;
  /** The attempt record's id (an ObjectId of startedAt). */
  recordId: string;
  random?: () => number;
}

/** The `tier` of an attempt record: "first", or the label of the tier that makes attempt n. */
export function tierOf(attempt: number, tiers: readonly RetryTier[]): string {
  return attempt === 1 ? 'first' : (tiers[attempt - 2]?.label ?? 'unknown');
}

/**
 * Decides everything that follows an attempt, from the job, the result and the schedule (no I/O):
 * delivered, the next retry tier (with jitter and any Retry-After), or the DLQ.
 */
export function decideAfterAttempt(f: AttemptFacts): AttemptDecision {
  const { job, result, tiers } = f;
  const attempt = job.attempts + 1;
  const step = nextStep(result, attempt, tiers, f.now, f.random);
  const record: AttemptRecord = {
    id: f.recordId,
    tenant_id: job.tenant_id,
    webhook_id: f.webhookId,
    event_id: job.event_id,
    event_type: job.event_type,
    attempt,
    tier: tierOf(attempt, tiers),
    outcome: result.ok ? 'succeeded' : 'failed',
    status_code: result.status ?? null,
    error: result.error ?? null,
    next: step.kind satisfies AttemptNext,
    duration_ms: Math.round(result.durationMs),
    at: new Date(f.startedAt).toISOString(),
  };
  // X-Rift-Attempt counts requests that may have reached the endpoint: an answer, a timeout or a
  // reset after connecting. DNS failures, refused connections and policy refusals sent nothing.
  const reached = result.sent && mayHaveReached(result.error, result.status);
  const sent = (job.sent ?? job.attempts) + (reached ? 1 : 0);
  const buildNext = (): DeliveryJob => {
    const history = { attempt, at: record.at, duration_ms: result.durationMs, status: result.status, error: result.error };
    const next: DeliveryJob = { ...job, attempts: attempt, sent, deferrals: 0, saturated_since: undefined, history: [...job.history, history] };
    if (step.kind === 'retry') {
      // due_at carries the jitter (and any Retry-After); the tier may be a later one than scheduled.
      next.due_at = step.dueAt;
      next.jitter_ms = step.jitterMs;
    }
    return next;
  };
  // Built when first read: a delivered job (almost every attempt) goes nowhere, and copying it with
  // its history was a visible share of this function's time in the dispatcher's profile.
  let next: DeliveryJob | undefined;
  return {
    record,
    step,
    get next() {
      return (next ??= buildNext());
    },
    lastError: step.kind === 'dead_letter' ? (result.error ?? 'network_error') : undefined,
  };
}

export interface SaturationFacts {
  job: DeliveryJob;
  now: number;
  /** The webhook's recent attempts timed out or could not connect (ConcurrencyGate.isUnreachable). */
  unreachable: boolean;
  maxSaturationWaitMs: number;
  /** Parks allowed for an unreachable webhook before the wait counts as a failed attempt. */
  maxUnreachableParks: number;
}

/**
 * A delivery found its webhook at its concurrency cap: may it wait (be parked in a retry tier for
 * the same attempt), or does the wait count as a failed attempt now? An endpoint that answers may
 * keep a delivery waiting for WEBHOOK_MAX_SATURATION_WAIT_MS in all; an unreachable one only for a
 * few parks, so its backlog walks the retry schedule instead of cycling through the tiers.
 */
export function mayPark(f: SaturationFacts): boolean {
  if (f.unreachable) return (f.job.deferrals ?? 0) < f.maxUnreachableParks;
  return f.now - (f.job.saturated_since ?? f.now) < f.maxSaturationWaitMs;
}

/**
 * Where a parked delivery goes: the first tier whose delay covers the webhook's expected wait
 * (capped at the last tier: tiers are FIFO with one delay each, so a job never sits at a partition's
 * head longer than that tier's own delay), due after that tier's delay; `saturated_since` keeps when
 * the first wait began (the first parked attempt's start). Undefined without tiers.
 */
export function parkIn(
  job: DeliveryJob,
  tiers: readonly RetryTier[],
  expectedWaitMs: number,
  now: number,
  startedAt = now,
): { tier: RetryTier; job: DeliveryJob } | undefined {
  if (tiers.length === 0) return undefined;
  const tier = tiers.find((t) => t.delayMs >= expectedWaitMs) ?? tiers[tiers.length - 1]!;
  const deferrals = (job.deferrals ?? 0) + 1;
  return { tier, job: { ...job, deferrals, saturated_since: job.saturated_since ?? startedAt, due_at: now + tier.delayMs } };
}

/** Whether a failed attempt lowers the webhook's concurrency cap: any failure but Rift's own refusals. */
export function lowersCapacity(result: AttemptResult): boolean {
  return result.status === undefined && !isPolicyRefusal(result.error);
}
