import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors.js';
import { newObjectId } from '../common/ids.js';
import { requeue } from './requeue.js';
import { payloadBody } from '../events/event-schema.js';
import { Prisma } from '../generated/prisma/client.js';
import { KafkaProducer } from '../kafka/producer.js';
import { Topics } from '../kafka/topics.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { type EventType } from '../contracts/event-types.js';

/**
 * A manual delivery with no outcome in the attempt log after this long no longer blocks another
 * request (nor counts its recovery as running): its job was lost or dropped. One hour is far past
 * the default schedule (31 s of delays, plus jitter) and an unreachable webhook's parks
 * (MAX_UNREACHABLE_PARKS per attempt). A delivery parked for a saturated webhook may wait up to
 * WEBHOOK_MAX_SATURATION_WAIT_MS per attempt (one hour by default) and so can outlive this horizon;
 * a repeated request for it is then accepted (a duplicate delivery, as at least once allows).
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
export const PENDING_SQL = Prisma.sql`md.queued_at > now() - make_interval(secs => ${PENDING_HORIZON_MS / 1000})
  AND NOT EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.tenant_id = md.tenant_id AND a.webhook_id = md.webhook_id
    AND a.event_id = md.event_id AND a.at >= md.queued_at AND a.next IN ('delivered', 'dead_letter'))`;

/**
 * Deliveries queued by hand (retry endpoint, recoveries): recorded so that a repeated request for the
 * same webhook and event is refused while one is pending, and so a recovery's progress can be read.
 * Callers hold the webhook's row lock (`lockWebhook`) from the check to the record.
 */
@Injectable()
export class ManualDeliveries {
  constructor(
    private readonly kafka: KafkaProducer,
    private readonly topics: Topics,
    private readonly prisma: PrismaService,
  ) {}

  /** Serialises manual requests for one webhook; false when the tenant has no such webhook. */
  async lockWebhook(tx: Tx, tenantId: string, webhookId: string): Promise<boolean> {
    const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM webhooks WHERE id = ${webhookId} AND tenant_id = ${tenantId} FOR UPDATE`;
    return rows.length > 0;
  }

  async pending(tx: Tx, webhookId: string, eventId: string): Promise<PendingDelivery | undefined> {
    const rows = await tx.$queryRaw<PendingDelivery[]>`SELECT md.id, md.kind, md.recover_id, md.queued_at FROM manual_deliveries md
        WHERE md.webhook_id = ${webhookId} AND md.event_id = ${eventId} AND ${PENDING_SQL} ORDER BY md.queued_at DESC LIMIT 1`;
    return rows[0];
  }

  /** Forgets manual deliveries whose jobs never reached Kafka (the request failed): they no longer block a retry. */
  async forget(where: { ids: string[] } | { recoverId: string }): Promise<void> {
    if ('ids' in where) await this.prisma.$executeRaw`DELETE FROM manual_deliveries WHERE id = ANY(${where.ids}::char(24)[])`;
    else await this.prisma.$executeRaw`DELETE FROM manual_deliveries WHERE recover_id = ${where.recoverId}`;
  }

  /** The 409 a duplicate request gets, naming the pending delivery. */
  conflict(eventId: string, p: PendingDelivery): ApiError {
    const by = p.recover_id ? `recovery ${p.recover_id}` : `${p.kind} ${p.id}`;
    return new ApiError(
      HttpStatus.CONFLICT,
      'Conflict',
      `event ${eventId} is already queued for this webhook by ${by} (queued at ${p.queued_at.toISOString()}); wait for its outcome in GET /v1/webhooks/{id}/deliveries`,
    );
  }

  /** Records manual deliveries (one statement); returns their ids in order. */
  async record(
    tx: Tx,
    rows: { tenantId: string; webhookId: string; eventId: string; kind: ManualKind; recoverId?: string; queuedAt: Date }[],
  ): Promise<string[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => newObjectId(r.queuedAt.getTime()));
    await tx.$executeRaw`INSERT INTO manual_deliveries (id, tenant_id, webhook_id, event_id, kind, recover_id, queued_at)
       SELECT * FROM unnest(${ids}::char(24)[], ${rows.map((r) => r.tenantId)}::char(24)[], ${rows.map((r) => r.webhookId)}::char(24)[], ${rows.map((r) => r.eventId)}::char(24)[], ${rows.map((r) => r.kind)}::varchar[], ${rows.map((r) => r.recoverId ?? null)}::char(24)[], ${rows.map((r) => r.queuedAt)}::timestamptz[])`;
    return ids;
  }

  /**
   * Queues a stored event for a webhook as a new delivery with the whole retry schedule: the same
   * `data` and `X-Rift-Event-Id`, a new `timestamp` (the time of this request). Resolves once Kafka
   * has the job.
   */
  enqueue(tenantId: string, webhookId: string, event: { id: string; type: EventType; data: unknown }, now: Date): Promise<void> {
    const data = typeof event.data === 'string' ? (JSON.parse(event.data) as unknown) : event.data;
    const body = payloadBody(event.type, data, now);
    return requeue(this.kafka, this.topics, { webhook_id: webhookId, tenant_id: tenantId, event_id: event.id, event_type: event.type, body, history: [] });
  }
}
