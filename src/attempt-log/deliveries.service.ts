import { HttpStatus, Injectable } from '@nestjs/common';
import { CursorCodec } from '../common/cursor.js';
import { ApiError } from '../common/errors.js';
import { WebhookLookup } from '../webhooks/webhook-lookup.js';
import { AttemptLogStore, type AttemptFilter, type DeadLetterRow } from './attempt-log.store.js';
import type { DeadLettersPageDto, DeadLettersQueryDto, DeliveriesPageDto, DeliveriesQueryDto } from './deliveries.dto.js';

/** A tenant's view of one webhook's delivery attempts and dead letters. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly store: AttemptLogStore,
    private readonly webhooks: WebhookLookup,
    private readonly cursors: CursorCodec,
  ) {}

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
      data: page.rows.map(({ id, at, delivered_at, ...r }) => ({
        attempt_id: id,
        ...r,
        at: at.toISOString(),
        delivered_at: delivered_at?.toISOString() ?? null,
      })),
      next_cursor: page.next,
    };
  }

  private async page(
    tenantId: string,
    webhookId: string,
    filter: AttemptFilter,
    key: unknown[],
    limit = 50,
    cursor?: string,
  ): Promise<{ rows: DeadLetterRow[]; next: string | null }> {
    await this.webhooks.find(tenantId, webhookId);
    const filters = JSON.stringify(key);
    let after: { at: Date; id: string } | undefined;
    if (cursor) {
      const pos = this.cursors.decode(cursor, filters);
      if (typeof pos === 'string') throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', [pos]);
      after = { at: new Date(Number(pos.txid)), id: pos.seq.toString(16).padStart(24, '0') };
    }
    const rows = await this.store.page(tenantId, webhookId, filter, after, limit);
    const last = rows.at(-1);
    return {
      rows,
      next: last && rows.length === limit ? this.cursors.encode({ txid: BigInt(last.at.getTime()), seq: BigInt(`0x${last.id}`) }, filters) : null,
    };
  }
}
