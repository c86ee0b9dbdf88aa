import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError, notFound } from '../common/errors.js';
import { OBJECT_ID } from '../common/ids.js';
import { LINK_ID } from './dto/event-data.dto.js';
import type { StoredEventDto } from './dto/events-query.dto.js';
import { MAX_POINTS, type Interval, type LinkSeriesDto, type LinksDto, type SeriesPointDto, type SeriesQueryDto } from './dto/links.dto.js';
import { exactAmount } from './events.service.js';
import { LinksStore } from './links.store.js';

const HOUR_MS = 3_600_000;
const STEP_MS: Record<Interval, number> = { hour: HOUR_MS, day: 24 * HOUR_MS };
/** Default span of a series: 30 days of days, 48 hours of hours. */
const DEFAULT_POINTS: Record<Interval, number> = { hour: 48, day: 30 };

const badRequest = (message: string) => new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', [message]);

/** A tenant's links, a link's counts over time and one stored event: what the console shows. */
@Injectable()
export class LinksService {
  constructor(private readonly store: LinksStore) {}

  async links(tenantId: string, limit = 100): Promise<LinksDto> {
    const rows = await this.store.links(tenantId, limit);
    return {
      data: rows.map((r) => ({
        link_id: r.link_id,
        clicks: Number(r.clicks),
        attributions: Number(r.attributions),
        conversions: Number(r.conversions),
        last_event_at: r.last_event_at.toISOString(),
      })),
    };
  }

  /** Buckets are whole UTC hours or days; `from` is rounded down and `to` up to the interval. */
  async series(tenantId: string, linkId: string, q: SeriesQueryDto, now = new Date()): Promise<LinkSeriesDto> {
    if (!LINK_ID.test(linkId)) throw badRequest('link_id must be 1-128 characters of letters, digits, . _ ~ -, starting with a letter or digit');
    const interval = q.interval ?? 'day';
    const step = STEP_MS[interval];
    const to = Math.ceil((q.to ? new Date(q.to) : now).getTime() / step) * step;
    const from = Math.floor((q.from ? new Date(q.from).getTime() : to - DEFAULT_POINTS[interval] * step) / step) * step;
    if (from >= to) throw badRequest('from must be before to');
    if ((to - from) / step > MAX_POINTS) throw badRequest(`to: at most ${MAX_POINTS} ${interval}s between from and to`);
    const points = new Map<number, SeriesPointDto>();
    const revenue = new Map<number, Record<string, bigint>>();
    for (let t = from; t < to; t += step) points.set(t, { at: new Date(t).toISOString(), clicks: 0, attributions: 0, conversions: 0, revenue: {} });
    for (const r of await this.store.series(tenantId, linkId, interval, new Date(from), new Date(to))) {
      const t = r.at.getTime();
      const p = points.get(t);
      if (!p) continue;
      const n = Number(r.count);
      if (r.type === 'click') p.clicks += n;
      else if (r.type === 'attribution') p.attributions += n;
      else {
        p.conversions += n;
        if (r.currency) {
          const sums = revenue.get(t) ?? {};
          sums[r.currency] = (sums[r.currency] ?? 0n) + BigInt(r.amount_cents);
          revenue.set(t, sums);
        }
      }
    }
    for (const [t, sums] of revenue) for (const [cur, sum] of Object.entries(sums)) points.get(t)!.revenue[cur] = exactAmount(sum);
    return { link_id: linkId, interval, from: new Date(from).toISOString(), to: new Date(to).toISOString(), points: [...points.values()] };
  }

  async event(tenantId: string, eventId: string): Promise<StoredEventDto & { stored_at: string }> {
    const row = OBJECT_ID.test(eventId) ? await this.store.event(tenantId, eventId) : undefined;
    if (!row) throw notFound('event');
    const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, unknown>;
    return { event_id: row.id, event: row.type, data, stored_at: row.stored_at.toISOString() };
  }
}
