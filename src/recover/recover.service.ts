import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ApiError, notFound } from '../common/errors.js';
import { assertEnabled, WebhookLookup } from '../webhooks/webhook-lookup.js';
import { newObjectId, OBJECT_ID } from '../common/ids.js';
import { rfc3339Millis } from '../common/rfc3339.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { EventType } from '../contracts/event-types.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { ManualDeliveries, PENDING_HORIZON_MS, PENDING_SQL, type Tx } from '../delivery/manual-deliveries.js';
import type { RecoverAcceptedDto, RecoverProgressDto } from './recover.dto.js';

/** At most 7 days of events per recovery (the bound; longer outages take several calls). */
export const MAX_RANGE_MS = 7 * 86_400_000;
/** A recovery queues at most this many events, so one request stays a few seconds of work. */
export const MAX_RECOVER_EVENTS = 50_000;
/**
 * An event stored this recently with no attempt to the webhook yet is taken as in flight (its first
 * attempt may still be running: up to WEBHOOK_TIMEOUT_MS, or waiting behind a busy dispatcher).
 */
export const IN_FLIGHT_GRACE_MS = 120_000;

interface Candidate {
  id: string;
  type: EventType;
  data: unknown;
  in_flight: boolean;
}

/**
 * Recovery by time range: every stored event in [since, until) that the webhook subscribes to,
 * stored after the webhook was created and with no successful attempt to it, is queued again as a
 * new delivery with the whole retry schedule. Deliveries still in flight, waiting in a tier, or
 * already queued by hand are skipped and counted.
 */
@Injectable()
export class RecoverService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly manual: ManualDeliveries,
    private readonly webhooks: WebhookLookup,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `tenantId` null: an operator (rift recover), any tenant's webhook. */
  async start(tenantId: string | null, webhookId: string, sinceText: string, untilText?: string): Promise<RecoverAcceptedDto> {
    const now = new Date();
    const { since, until } = this.range(sinceText, untilText, now);
    const webhook = await this.webhooks.find(tenantId, webhookId);
    assertEnabled(webhook);
    const recoverId = newObjectId(now.getTime());
    const queued = await this.prisma.$transaction(
      async (tx) => {
        await this.manual.lockWebhook(tx, webhook.tenantId, webhookId);
        const running = await tx.$queryRaw<
          { id: string }[]
        >`SELECT r.id FROM recoveries r WHERE r.webhook_id = ${webhookId} AND EXISTS (SELECT 1 FROM manual_deliveries md WHERE md.recover_id = r.id AND ${PENDING_SQL}) LIMIT 1`;
        if (running[0])
          throw new ApiError(
            HttpStatus.CONFLICT,
            'Conflict',
            `recovery ${running[0].id} is still running for this webhook; see GET /v1/webhooks/${webhookId}/recover/${running[0].id}`,
          );
        const candidates = await this.candidates(tx, webhook.tenantId, webhookId, since, until);
        if (candidates.length > MAX_RECOVER_EVENTS) {
          throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', [
            `since: the range matches more than ${MAX_RECOVER_EVENTS} events; recover it in shorter ranges`,
          ]);
        }
        const toSend = candidates.filter((c) => !c.in_flight);
        await tx.$executeRaw`INSERT INTO recoveries (id, tenant_id, webhook_id, since, until, matched, skipped_in_flight, created_at) VALUES (${recoverId}, ${webhook.tenantId}, ${webhookId}, ${since}, ${until}, ${toSend.length}, ${candidates.length - toSend.length}, ${now})`;
        await this.manual.record(
          tx,
          toSend.map((c) => ({ tenantId: webhook.tenantId, webhookId, eventId: c.id, kind: 'recover' as const, recoverId, queuedAt: now })),
        );
        return { toSend, skipped: candidates.length - toSend.length };
      },
      { timeout: 60_000 },
    );
    try {
      await Promise.all(queued.toSend.map((c) => this.manual.enqueue(webhook.tenantId, webhookId, c, now)));
    } catch (err) {
      // Nothing half-done stays "running": jobs already in Kafka are delivered (at least once), the
      // caller may recover the same range again.
      await this.manual.forget({ recoverId });
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'Service Unavailable', `could not queue the recovery: ${(err as Error).message}; try again`);
    }
    return { recover_id: recoverId, matched: queued.toSend.length, skipped_in_flight: queued.skipped };
  }

  async progress(tenantId: string | null, webhookId: string, recoverId: string): Promise<RecoverProgressDto> {
    await this.webhooks.find(tenantId, webhookId);
    const rows = OBJECT_ID.test(recoverId)
      ? await this.prisma.$queryRaw<
          { since: Date; until: Date; created_at: Date; matched: number; skipped_in_flight: number }[]
        >`SELECT since, until, created_at, matched, skipped_in_flight FROM recoveries WHERE id = ${recoverId} AND webhook_id = ${webhookId}`
      : [];
    const r = rows[0];
    if (!r) throw notFound('recovery');
    const counts = await this.prisma.$queryRaw<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM (
         SELECT CASE WHEN bool_or(a.outcome = 'succeeded') THEN 'delivered' WHEN bool_or(a.next = 'dead_letter') THEN 'failed'
                     WHEN count(a.id) > 0 THEN 'sent' ELSE 'queued' END AS status
           FROM manual_deliveries md LEFT JOIN delivery_attempts a ON a.tenant_id = md.tenant_id AND a.webhook_id = md.webhook_id
                AND a.event_id = md.event_id AND a.at >= md.queued_at
          WHERE md.recover_id = ${recoverId} GROUP BY md.id) s GROUP BY status`;
    const n = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
    const open = n('queued') + n('sent');
    const expired = Date.now() - r.created_at.getTime() > PENDING_HORIZON_MS;
    return {
      recover_id: recoverId,
      webhook_id: webhookId,
      since: r.since.toISOString(),
      until: r.until.toISOString(),
      created_at: r.created_at.toISOString(),
      status: open > 0 && !expired ? 'running' : 'done',
      matched: r.matched,
      skipped_in_flight: r.skipped_in_flight,
      queued: n('queued'),
      sent: n('sent'),
      delivered: n('delivered'),
      failed: n('failed'),
    };
  }

  /** The range rules; each problem names its field. */
  private range(sinceText: string, untilText: string | undefined, now: Date): { since: Date; until: Date } {
    const since = new Date(rfc3339Millis(sinceText));
    const until = untilText === undefined ? now : new Date(rfc3339Millis(untilText));
    const bad = (m: string) => new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', [m]);
    if (since.getTime() >= until.getTime()) throw bad('since: must be before until (until defaults to now)');
    if (until.getTime() - since.getTime() > MAX_RANGE_MS) throw bad('until: the range may span at most 7 days; recover longer outages in several calls');
    const days = this.config.attemptLog.retentionDays;
    if (since.getTime() < now.getTime() - days * 86_400_000) {
      throw bad(
        `since: older than the attempt log's retention (${days} days), so deliveries in that range cannot be told apart; use GET /v1/events to reconcile`,
      );
    }
    return { since, until };
  }

  /**
   * One statement: the events of the range, with whether their delivery is still open (a pending
   * manual delivery, a last attempt that handed it to a tier within the horizon, or no attempt yet
   * for an event stored within the grace). One row more than the cap tells the range is too large.
   */
  private candidates(tx: Tx, tenantId: string, webhookId: string, since: Date, until: Date): Promise<Candidate[]> {
    return tx.$queryRaw<Candidate[]>`SELECT e.id, e.type, e.data::text AS data,
              (EXISTS (SELECT 1 FROM manual_deliveries md WHERE md.webhook_id = w.id AND md.event_id = e.id AND ${PENDING_SQL})
               OR COALESCE(last.next = 'retry' AND last.at > now() - make_interval(secs => ${PENDING_HORIZON_MS / 1000}),
                           e.received_at > now() - make_interval(secs => ${IN_FLIGHT_GRACE_MS / 1000}))) AS in_flight
         FROM events e
         JOIN webhooks w ON w.tenant_id = e.tenant_id AND w.id = ${webhookId}
         LEFT JOIN LATERAL (SELECT a.next, a.at FROM delivery_attempts a WHERE a.tenant_id = e.tenant_id AND a.webhook_id = w.id AND a.event_id = e.id
                             ORDER BY a.at DESC, a.id DESC LIMIT 1) last ON true
        WHERE e.tenant_id = ${tenantId} AND e.occurred_at >= ${since} AND e.occurred_at < ${until} AND e.type = ANY(w.events) AND e.received_at >= w.created_at
          AND NOT EXISTS (SELECT 1 FROM delivery_attempts s WHERE s.tenant_id = e.tenant_id AND s.webhook_id = w.id AND s.event_id = e.id AND s.outcome = 'succeeded')
        ORDER BY e.occurred_at, e.id
        LIMIT ${MAX_RECOVER_EVENTS + 1}`;
  }
}
