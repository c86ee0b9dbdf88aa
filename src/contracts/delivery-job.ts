import type { EventType } from './event-types.js';
import type { FailureClass } from './failure.js';

/** One attempt's outcome, kept in the job's history and in the DLQ entry. */
export interface JobAttempt {
  attempt: number;
  at: string;
  duration_ms: number;
  status?: number;
  error?: FailureClass;
}

/**
 * A delivery of one event to one webhook, as it travels through the retry tiers and the DLQ.
 * `body` is the exact payload text of the first attempt: every retry sends the same bytes.
 */
export interface DeliveryJob {
  v: 1;
  webhook_id: string;
  tenant_id: string;
  event_id: string;
  event_type: EventType;
  body: string;
  /** Attempts made so far. */
  attempts: number;
  /** Epoch ms at which the next attempt is due (jitter included). */
  due_at: number;
  /** The random delay (ms) added to the schedule for this retry (up to JITTER_SHARE of the tier's delay, delivery/tuning.ts). */
  jitter_ms?: number;
  /** Requests actually sent so far (X-Rift-Attempt is this + 1); absent in jobs of older versions: `attempts`. */
  sent?: number;
  /** Times this attempt was parked because the webhook was at its cap (not attempts). */
  deferrals?: number;
  /** Epoch ms since which this attempt has waited for a slot of its webhook (WEBHOOK_MAX_SATURATION_WAIT_MS). */
  saturated_since?: number;
  history: JobAttempt[];
}

export function parseDeliveryJob(raw: Buffer | null): DeliveryJob | null {
  if (!raw) return null;
  try {
    const j = JSON.parse(raw.toString('utf8')) as DeliveryJob;
    const ok =
      j &&
      j.v === 1 &&
      typeof j.webhook_id === 'string' &&
      typeof j.tenant_id === 'string' &&
      typeof j.event_id === 'string' &&
      typeof j.body === 'string' &&
      typeof j.attempts === 'number' &&
      typeof j.due_at === 'number' &&
      Array.isArray(j.history);
    return ok ? j : null;
  } catch {
    return null;
  }
}

/** A message of the dead-letter topic: the job as it was after its last attempt, with when and why. */
export interface DeadLetterMessage extends DeliveryJob {
  dead_at: string;
  last_error: FailureClass;
}
