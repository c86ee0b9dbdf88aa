import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AttemptRecord } from '../contracts/attempt-record.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DurableSender } from '../kafka/durable-sender.js';
import { Topics } from '../kafka/topics.js';
import { Metrics } from '../ops/metrics.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { emitOperational } from './operational-events.js';

/** One webhook's attempts in a batch, folded in order (records of one webhook share a partition, so arrive in order). */
export interface HealthDelta {
  webhookId: string;
  /** Time of the last success in the batch, if any. */
  lastSuccessAt: Date | null;
  /** Failures after the batch's last success (all of them when there was none). */
  failures: number;
  /** The first of those failures. */
  firstFailureAt: Date | null;
  lastFailureAt: Date | null;
  /** A 410 Gone was answered. */
  gone: boolean;
}

/**
 * Folds attempt records into per-webhook deltas. Test sends (tier "test") do not count, nor do
 * refusals by the concurrency gate (`endpoint_saturated`: the endpoint was not contacted).
 */
export function healthDeltas(records: readonly AttemptRecord[]): HealthDelta[] {
  const out = new Map<string, HealthDelta>();
  for (const r of records) {
    if (r.tier === 'test' || r.error === 'endpoint_saturated') continue;
    let d = out.get(r.webhook_id);
    if (!d) out.set(r.webhook_id, (d = { webhookId: r.webhook_id, lastSuccessAt: null, failures: 0, firstFailureAt: null, lastFailureAt: null, gone: false }));
    const at = new Date(r.at);
    if (r.outcome === 'succeeded') {
      d.lastSuccessAt = at;
      d.failures = 0;
      d.firstFailureAt = null;
    } else {
      d.failures += 1;
      d.firstFailureAt ??= at;
      d.lastFailureAt = at;
      if (r.status_code === 410) d.gone = true;
    }
  }
  // In id order: every dispatcher folds the same hot rows, and one lock order keeps their UPDATEs from deadlocking.
  return [...out.values()].sort((a, b) => (a.webhookId < b.webhookId ? -1 : a.webhookId > b.webhookId ? 1 : 0));
}

/**
 * Endpoint health per webhook (consecutive failures, last success, last failure, start of the
 * failing streak), folded from the attempt records as they are stored (AttemptLogWriter, or the attempt-log consumer).
 * Disables a webhook that answered 410 Gone, or that has done nothing but fail for
 * WEBHOOK_DISABLE_AFTER_HOURS (from the first failure after its last success to its latest failure),
 * and emits `webhook.disabled`. A batch consumed twice (at-least-once) counts its failures twice:
 * the counter is a guide, the disable rule reads times, which a replay does not change.
 */
@Injectable()
export class EndpointHealth {
  private readonly logger = new Logger('EndpointHealth');

  constructor(
    private readonly prisma: PrismaService,
    private readonly kafka: DurableSender,
    private readonly topics: Topics,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async apply(records: readonly AttemptRecord[]): Promise<void> {
    const deltas = healthDeltas(records);
    if (deltas.length === 0) return;
    const col = <T>(f: (d: HealthDelta) => T) => deltas.map(f);
    await this.prisma.$executeRaw`UPDATE webhooks w SET
         consecutive_failures = CASE WHEN d.last_success IS NULL THEN w.consecutive_failures + d.failures ELSE d.failures END,
         last_success_at = GREATEST(w.last_success_at, d.last_success),
         last_failure_at = GREATEST(w.last_failure_at, d.last_failure),
         failing_since = CASE WHEN d.last_success IS NULL THEN COALESCE(w.failing_since, d.first_failure) ELSE d.first_failure END
       FROM unnest(${col((d) => d.webhookId)}::text[], ${col((d) => d.lastSuccessAt)}::timestamptz[], ${col((d) => d.failures)}::int[], ${col((d) => d.firstFailureAt)}::timestamptz[], ${col((d) => d.lastFailureAt)}::timestamptz[])
            AS d(id, last_success, failures, first_failure, last_failure)
       WHERE w.id = d.id`;
    const gone = deltas.filter((d) => d.gone).map((d) => d.webhookId);
    const disabled = await this.prisma.$queryRaw<{ id: string; tenant_id: string; disabled_reason: string }[]>`UPDATE webhooks SET disabled_at = now(),
              disabled_reason = CASE WHEN id = ANY(${gone}::text[]) THEN 'gone' ELSE 'failing' END
        WHERE id = ANY(${col((d) => d.webhookId)}::text[]) AND disabled_at IS NULL
          AND (id = ANY(${gone}::text[])
               OR (consecutive_failures > 0 AND failing_since IS NOT NULL
                   AND last_failure_at - failing_since >= make_interval(secs => ${this.config.delivery.disableAfterHours * 3600})))
        RETURNING id, tenant_id, disabled_reason`;
    for (const w of disabled) {
      this.metrics.webhooksDisabled.inc({ reason: w.disabled_reason });
      this.logger.warn({ msg: 'webhook disabled', webhook_id: w.id, reason: w.disabled_reason });
      await emitOperational(this.kafka, this.topics, this.metrics, {
        type: 'webhook.disabled',
        webhook_id: w.id,
        tenant_id: w.tenant_id,
        reason: w.disabled_reason,
      });
    }
  }
}
