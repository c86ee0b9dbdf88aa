import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError, notFound } from '../common/errors.js';
import { OBJECT_ID } from '../common/ids.js';
import { EventStore } from '../events/event-store.js';
import { Topics } from '../kafka/topics.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { assertEnabled, WebhookLookup } from '../webhooks/webhook-lookup.js';
import type { RetryQueuedDto } from './dto/redelivery.dto.js';
import { ManualDeliveries } from './manual-deliveries.js';
import { NothingToRequeueInto } from './requeue.js';

/** Manual redelivery of one stored event to one webhook (the retry endpoint). */
@Injectable()
export class RedeliveryService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly webhooks: WebhookLookup,
    private readonly events: EventStore,
    private readonly manual: ManualDeliveries,
    private readonly topics: Topics,
  ) {}

  /**
   * Sends a stored event to one of the tenant's webhooks again, as a new delivery with the whole retry
   * schedule. The body is rebuilt from the event store (same data, a new `timestamp`). While an
   * earlier manual delivery of the same event to the same webhook is pending, a 409 names it.
   */
  async retry(tenantId: string, webhookId: string, eventId: string): Promise<RetryQueuedDto> {
    const webhook = await this.webhooks.find(tenantId, webhookId);
    assertEnabled(webhook);
    const event = OBJECT_ID.test(eventId) ? await this.events.find(tenantId, eventId) : undefined;
    if (!event) throw notFound('event');
    if (!webhook.events.includes(event.type)) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'Not Found',
        `event ${eventId} is a ${event.type} event and webhook ${webhookId} does not subscribe to ${event.type}`,
      );
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
      await this.manual.forget({ ids: [id] });
      throw err;
    }
    return { webhook_id: webhookId, event_id: eventId, status: 'queued' };
  }
}
