import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ApiError, notFound } from '../common/errors.js';
import { OBJECT_ID } from '../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { NothingToRequeueInto } from '../delivery/requeue.js';
import { CursorCodec } from '../events/cursor.js';
import { type EventType, Topics } from '../kafka/topics.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { ManualDeliveries } from '../recover/manual-deliveries.js';
import { assertEnabled } from '../webhooks/webhooks.service.js';
import { AttemptLogStore } from './attempt-log.store.js';
import type { DeliveriesPageDto, DeliveriesQueryDto, RetryQueuedDto } from './deliveries.dto.js';

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
    await this.webhook(tenantId, webhookId);
    const filters = JSON.stringify(['deliveries', webhookId, q.outcome ?? null, q.event_id ?? null]);
    let after: { at: Date; id: string } | undefined;
    if (q.cursor) {
      const pos = this.cursors.decode(q.cursor, filters);
      if (typeof pos === 'string') throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', [pos]);
      after = { at: new Date(Number(pos.txid)), id: pos.seq.toString(16).padStart(24, '0') };
    }
    const limit = q.limit ?? 50;
    const rows = await this.store.page(tenantId, webhookId, { outcome: q.outcome, eventId: q.event_id }, after, limit);
    const last = rows.at(-1);
    return {
      data: rows.map(({ id, at, ...r }) => ({ attempt_id: id, ...r, at: at.toISOString() })),
      next_cursor: last && rows.length === limit ? this.cursors.encode({ txid: BigInt(last.at.getTime()), seq: BigInt(`0x${last.id}`) }, filters) : null,
    };
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
