import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ApiError, notFound } from '../common/errors.js';
import { OBJECT_ID } from '../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { NothingToRequeueInto } from '../delivery/requeue.js';
import { CursorCodec } from '../events/cursor.js';
import { Topics } from '../kafka/topics.js';
import { type EventType } from '../contracts/event-types.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { ManualDeliveries } from '../recover/manual-deliveries.js';
import { assertEnabled } from '../webhooks/webhooks.service.js';
import { AttemptLogStore, type AttemptFilter, type DeadLetterRow } from './attempt-log.store.js';
import type { DeadLettersPageDto, DeadLettersQueryDto, DeliveriesPageDto, DeliveriesQueryDto, RetryQueuedDto } from './deliveries.dto.js';

/** A tenant's view of one webhook's delivery attempts, and manual redelivery of one event. */
@Injectable()
export class DeliveriesService {
  private readonly cursors: CursorCodec;

  constructor(
    private readonly prisma: PrismaService,
    private readonly store: AttemptLogStore,
    private readonly manual: ManualDeliveries,
    private readonly topics: Topics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cursors = new CursorCodec(config.secretKey);
  }

  async list(tenantId: string, webhookId: string, q: DeliveriesQueryDto): Promise<DeliveriesPageDto> {
    const since = q.since ? new Date(q.since) : undefined;
    const until = q.until ? new Date(q.until) : undefined;
    if (since && until && since >= until) throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', ['since must be before until']);
    const filter = { outcome: q.outcome, eventId: q.event_id, eventType: q.event_type, since, until };
    const key = ['deliveries', webhookId, q.outcome ?? null, q.event_id ?? null, q.event_type ?? null, q.since ?? null, q.until ?? null];
    // Without the newer filters the cursor key keeps its earlier form: cursors handed out before stay valid.
    const page = await this.page(tenantId, webhookId, filter, key.slice(0, q.event_type || q.since || q.until ? 7 : 4), q.limit, q.cursor);
    return { data: page.rows.map(({ id, at, delivered_at: _, ...r }) => ({ attempt_id: id, ...r, at: at.toISOString() })), next_cursor: page.next };
  }

  /** The webhook's dead letters (attempts that handed a delivery to the DLQ), newest first, with whether it was delivered later. */
  async deadLetters(tenantId: string, webhookId: string, q: DeadLettersQueryDto): Promise<DeadLettersPageDto> {
    const page = await this.page(tenantId, webhookId, { next: 'dead_letter' }, ['dead-letters', webhookId], q.limit, q.cursor);
    return {
      data: page.rows.map(({ id, at, delivered_at, ...r }) => ({ attempt_id: id, ...r, at: at.toISOString(), delivered_at: delivered_at?.toISOString() ?? null })),
      next_cursor: page.next,
    };
  }

  private async page(tenantId: string, webhookId: string, filter: AttemptFilter, key: unknown[], limit = 50, cursor?: string): Promise<{ rows: DeadLetterRow[]; next: string | null }> {
    await this.webhook(tenantId, webhookId);
    const filters = JSON.stringify(key);
    let after: { at: Date; id: string } | undefined;
    if (cursor) {
      const pos = this.cursors.decode(cursor, filters);
      if (typeof pos === 'string') throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', [pos]);
      after = { at: new Date(Number(pos.txid)), id: pos.seq.toString(16).padStart(24, '0') };
    }
    const rows = await this.store.page(tenantId, webhookId, filter, after, limit);
    const last = rows.at(-1);
    return { rows, next: last && rows.length === limit ? this.cursors.encode({ txid: BigInt(last.at.getTime()), seq: BigInt(`0x${last.id}`) }, filters) : null };
  }

  /**
   * Sends a stored event to one of the tenant's webhooks again, as a new delivery with the whole retry
   * schedule. The body is rebuilt from the event store (same data, a new `timestamp`). While an
   * earlier manual delivery of the same event to the same webhook is pending, a 409 names it.
   */
  async retry(tenantId: string, webhookId: string, eventId: string): Promise<RetryQueuedDto> {
    const webhook = await this.webhook(tenantId, webhookId);
    assertEnabled(webhook);
    const event = OBJECT_ID.test(eventId)
      ? (await this.prisma.$queryRawUnsafe<{ type: EventType; data: unknown }[]>('SELECT type, data FROM events WHERE tenant_id = $1 AND id = $2', tenantId, eventId))[0]
      : undefined;
    if (!event) throw notFound('event');
    if (!webhook.events.includes(event.type)) {
      throw new ApiError(HttpStatus.NOT_FOUND, 'Not Found', `event ${eventId} is a ${event.type} event and webhook ${webhookId} does not subscribe to ${event.type}`);
    }
    if (!this.topics.tiers[0]) throw new ApiError(HttpStatus.CONFLICT, 'Conflict', new NothingToRequeueInto().message);
    const now = new Date();
    const [id] = await this.prisma.$transaction(async (tx) => {
      if (!(await this.manual.lockWebhook(tx, tenantId, webhookId))) throw notFound('webhook');
      const pending = await this.manual.pending(tx, webhookId, eventId);
      if (pending) throw this.manual.conflict(eventId, pending);
      return this.manual.record(tx, [{ tenantId, webhookId, eventId, kind: 'retry', queuedAt: now }]);
    });
    try {
      await this.manual.enqueue(tenantId, webhookId, { id: eventId, type: event.type, data: event.data }, now);
    } catch (err) {
      await this.prisma.$executeRawUnsafe('DELETE FROM manual_deliveries WHERE id = $1', id);
      throw err;
    }
    return { webhook_id: webhookId, event_id: eventId, status: 'queued' };
  }

  private async webhook(tenantId: string, id: string): Promise<{ id: string; events: string[]; disabledAt: Date | null; disabledReason: string | null }> {
    const row = OBJECT_ID.test(id)
      ? await this.prisma.webhook.findFirst({ where: { id, tenantId }, select: { id: true, events: true, disabledAt: true, disabledReason: true } })
      : null;
    if (!row) throw notFound('webhook');
    return row;
  }
}
