import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors.js';
import { CursorCodec } from '../common/cursor.js';
import { LINK_ID } from './dto/event-data.dto.js';
import type { EventsPageDto, EventsQueryDto, LinkStatsDto, StatsQueryDto } from './dto/events-query.dto.js';
import { EventStore } from './event-store.js';

const badRequest = (message: string) => new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', [message]);

/** Link stats and event pages from the event store: the zero-loss reconciliation path. */
@Injectable()
export class EventsService {
  constructor(
    private readonly store: EventStore,
    private readonly cursors: CursorCodec,
  ) {}

  async stats(tenantId: string, linkId: string, q: StatsQueryDto): Promise<LinkStatsDto> {
    if (!LINK_ID.test(linkId)) throw badRequest('link_id must be 1-128 characters of letters, digits, . _ ~ -, starting with a letter or digit');
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from > to) throw badRequest('from must not be after to');
    const buckets = await this.store.statsBuckets(tenantId, linkId, from, to);
    const out: LinkStatsDto = {
      link_id: linkId,
      from: from?.toISOString() ?? null,
      to: to?.toISOString() ?? null,
      clicks: 0,
      attributions: 0,
      conversions: 0,
      conversions_by_type: {},
      revenue: {},
      first_event_at: null,
      last_event_at: null,
    };
    // Summed exactly as bigint; see exactAmount for how a sum past 2^53 - 1 is written.
    const byType: Record<string, bigint> = {};
    const revenue: Record<string, bigint> = {};
    let first: Date | undefined;
    let last: Date | undefined;
    for (const b of buckets) {
      const n = Number(b.count);
      if (n === 0) continue;
      if (b.type === 'click') out.clicks += n;
      else if (b.type === 'attribution') out.attributions += n;
      else {
        out.conversions += n;
        const t = (out.conversions_by_type[b.conversion_type] ??= { count: 0, amount_cents: {} });
        t.count += n;
        if (b.currency) {
          const amount = BigInt(b.amount_cents);
          byType[`${b.conversion_type}\u0000${b.currency}`] = (byType[`${b.conversion_type}\u0000${b.currency}`] ?? 0n) + amount;
          revenue[b.currency] = (revenue[b.currency] ?? 0n) + amount;
        }
      }
      if (!first || b.first_at < first) first = b.first_at;
      if (!last || b.last_at > last) last = b.last_at;
    }
    for (const [key, sum] of Object.entries(byType)) {
      const [type, currency] = key.split('\u0000') as [string, string];
      out.conversions_by_type[type]!.amount_cents[currency] = exactAmount(sum);
    }
    for (const [currency, sum] of Object.entries(revenue)) out.revenue[currency] = exactAmount(sum);
    out.first_event_at = first?.toISOString() ?? null;
    out.last_event_at = last?.toISOString() ?? null;
    return out;
  }

  async page(tenantId: string, q: EventsQueryDto): Promise<EventsPageDto> {
    const filters = JSON.stringify([q.link_id ?? null, q.type ?? null, q.since ?? null]);
    let after = { txid: 0n, seq: 0n };
    if (q.cursor) {
      const decoded = this.cursors.decode(q.cursor, filters);
      if (typeof decoded === 'string') throw badRequest(decoded);
      after = decoded;
    }
    const rows = await this.store.page(tenantId, after, { linkId: q.link_id, type: q.type, since: q.since ? new Date(q.since) : undefined }, q.limit ?? 100);
    const lastRow = rows.at(-1);
    const next = lastRow ? { txid: BigInt(lastRow.txid), seq: BigInt(lastRow.seq) } : after;
    return {
      data: rows.map((r) => ({ event_id: r.id, event: r.type, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown> })),
      next_cursor: this.cursors.encode(next, filters),
    };
  }
}

/**
 * An amount as a JSON number while it is a safe integer, else as a string of its decimal digits:
 * a JSON number past 2^53 - 1 would silently lose digits in most receivers' parsers.
 */
export function exactAmount(sum: bigint): number | string {
  return sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum.toString();
}
