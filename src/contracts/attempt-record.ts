import { OBJECT_ID } from '../common/ids.js';
import { EVENT_TYPES, type EventType } from './event-types.js';

/** What happened after an attempt: delivered, a later tier will try again, the DLQ, or nothing (a test send, tier "test"). */
export type AttemptNext = 'delivered' | 'retry' | 'dead_letter' | 'none';

/**
 * One delivery attempt as it lands in the attempt log (stored by the dispatcher, or through
 * `<prefix>.webhooks.attempts` when it could not be), and in the structured log line of the attempt.
 */
export interface AttemptRecord {
  id: string;
  tenant_id: string;
  webhook_id: string;
  event_id: string;
  event_type: EventType;
  attempt: number;
  /** "first", the retry tier's label ("1s", "25s"), or "test" (POST /v1/webhooks/{id}/test). */
  tier: string;
  outcome: 'succeeded' | 'failed';
  status_code: number | null;
  /** The failure class (contracts/failure.ts): http_503, timeout, econnrefused, endpoint_saturated, ... */
  error: string | null;
  next: AttemptNext;
  duration_ms: number;
  at: string;
}

const str = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;

/** The record, or null if the message is not one (it is then skipped and counted). */
export function parseAttemptRecord(raw: Buffer | null): AttemptRecord | null {
  if (!raw) return null;
  try {
    const r = JSON.parse(raw.toString('utf8')) as AttemptRecord;
    const ok =
      r &&
      [r.id, r.tenant_id, r.webhook_id, r.event_id].every((id) => typeof id === 'string' && OBJECT_ID.test(id)) &&
      EVENT_TYPES.includes(r.event_type) &&
      Number.isInteger(r.attempt) &&
      r.attempt > 0 &&
      r.attempt < 32_768 &&
      str(r.tier, 16) &&
      (r.outcome === 'succeeded' || r.outcome === 'failed') &&
      (r.status_code === null || (Number.isInteger(r.status_code) && r.status_code >= 100 && r.status_code < 600)) &&
      (r.error === null || str(r.error, 64)) &&
      ['delivered', 'retry', 'dead_letter', 'none'].includes(r.next) &&
      Number.isFinite(r.duration_ms) &&
      r.duration_ms >= 0 &&
      typeof r.at === 'string' &&
      !Number.isNaN(Date.parse(r.at));
    return ok ? r : null;
  } catch {
    return null;
  }
}
