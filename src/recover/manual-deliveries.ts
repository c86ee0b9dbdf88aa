import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors.js';
import { newObjectId } from '../common/ids.js';
import { requeue } from '../delivery/requeue.js';
import { isoSeconds } from '../events/event-schema.js';
import type { Prisma } from '../generated/prisma/client.js';
import { KafkaProducer } from '../kafka/producer.js';
import { type EventType, Topics } from '../kafka/topics.js';

/**
 * A manual delivery with no outcome in the attempt log after this long no longer blocks another
 * request (nor counts its recovery as running): its job was lost or dropped. One hour is far past
 * the default schedule (31 s of delays, plus up to 5 deferrals per attempt).
 */
export const PENDING_HORIZON_MS = 3_600_000;

export type ManualKind = 'retry' | 'recover' | 'test';
export type Tx = Prisma.TransactionClient;

export interface PendingDelivery {
  id: string;
  kind: ManualKind;
  recover_id: string | null;
  queued_at: Date;
}

/**
 * SQL condition: the manual delivery `md` has no final outcome yet (no success and no dead letter in
 * the attempt log since it was queued) and is younger than the horizon. Attempt records carry the
 * time their attempt started, which for a requeued job is after `queued_at`.
 */
export const PENDING_SQL = `md.queued_at > now() - interval '${PENDING_HORIZON_MS / 1000} seconds'
  AND NOT EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.tenant_id = md.tenant_id AND a.webhook_id = md.webhook_id
    AND a.event_id = md.event_id AND a.at >= md.queued_at AND a.next IN ('delivered', 'dead_letter'))`;

/**
 * Deliveries queued by hand (retry endpoint, recoveries): recorded so that a repeated request for the
 * same webhook and event is refused while one is pending, and so a recovery's progress can be read.
 * Callers hold the webhook's row lock (`lockWebhook`) from the check to the record.
 */
@Injectable()
export class ManualDeliveries {
  constructor(private readonly kafka: KafkaProducer, private readonly topics: Topics) {}

  /** Serialises manual requests for one webhook; false when the tenant has no such webhook. */
  async lockWebhook(tx: Tx, tenantId: string, webhookId: string): Promise<boolean> {
    const rows = await tx.$queryRawUnsafe<unknown[]>('SELECT 1 FROM webhooks WHERE id = $1 AND tenant_id = $2 FOR UPDATE', webhookId, tenantId);
    return rows.length > 0;
  }

  async pending(tx: Tx, webhookId: string, eventId: string): Promise<PendingDelivery | undefined> {
    const rows = await tx.$queryRawUnsafe<PendingDelivery[]>(
      `SELECT md.id, md.kind, md.recover_id, md.queued_at FROM manual_deliveries md
        WHERE md.webhook_id = $1 AND md.event_id = $2 AND ${PENDING_SQL} ORDER BY md.queued_at DESC LIMIT 1`,
      webhookId,
      eventId,
    );
    return rows[0];
  }

  /** The 409 a duplicate request gets, naming the pending delivery. */
  conflict(eventId: string, p: PendingDelivery): ApiError {
    const by = p.recover_id ? `recovery ${p.recover_id}` : `${p.kind} ${p.id}`;
    return new ApiError(HttpStatus.CONFLICT, 'Conflict', `event ${eventId} is already queued for this webhook by ${by} (queued at ${p.queued_at.toISOString()}); wait for its outcome in GET /v1/webhooks/{id}/deliveries`);
  }

  /** Records manual deliveries (one statement); returns their ids in order. */
  async record(tx: Tx, rows: { tenantId: string; webhookId: string; eventId: string; kind: ManualKind; recoverId?: string; queuedAt: Date }[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => newObjectId(r.queuedAt.getTime()));
    await tx.$executeRawUnsafe(
      `INSERT INTO manual_deliveries (id, tenant_id, webhook_id, event_id, kind, recover_id, queued_at)
       SELECT * FROM unnest($1::char(24)[], $2::char(24)[], $3::char(24)[], $4::char(24)[], $5::varchar[], $6::char(24)[], $7::timestamptz[])`,
      ids,
      rows.map((r) => r.tenantId),
      rows.map((r) => r.webhookId),
      rows.map((r) => r.eventId),
      rows.map((r) => r.kind),
      rows.map((r) => r.recoverId ?? null),
      rows.map((r) => r.queuedAt),
    );
    return ids;
  }

  /**
   * Queues a stored event for a webhook as a new delivery with the whole retry schedule: the same
   * `data` and `X-Rift-Event-Id`, a new `timestamp` (the time of this request). Resolves once Kafka
   * has the job.
   */
  enqueue(tenantId: string, webhookId: string, event: { id: string; type: EventType; data: unknown }, now: Date): Promise<void> {
    const data = typeof event.data === 'string' ? (JSON.parse(event.data) as unknown) : event.data;
    const body = JSON.stringify({ event: event.type, timestamp: isoSeconds(now), data });
    return requeue(this.kafka, this.topics, { webhook_id: webhookId, tenant_id: tenantId, event_id: event.id, event_type: event.type, body, history: [] });
  }
}
