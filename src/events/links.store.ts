import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';

export interface LinkRow {
  link_id: string;
  clicks: bigint;
  attributions: bigint;
  conversions: bigint;
  last_event_at: Date;
}

export interface SeriesRow {
  at: Date;
  type: string;
  currency: string;
  count: bigint;
  amount_cents: string;
}

/** Read side of the hourly rollup for the console: a tenant's links and a link's counts over time. */
@Injectable()
export class LinksStore {
  constructor(private readonly prisma: PrismaService) {}

  links(tenantId: string, limit: number): Promise<LinkRow[]> {
    return this.prisma.$queryRaw<LinkRow[]>`SELECT link_id,
              coalesce(sum(count) FILTER (WHERE type = 'click'), 0)::bigint AS clicks,
              coalesce(sum(count) FILTER (WHERE type = 'attribution'), 0)::bigint AS attributions,
              coalesce(sum(count) FILTER (WHERE type = 'conversion'), 0)::bigint AS conversions,
              max(last_at) AS last_event_at
         FROM link_stats_hourly WHERE tenant_id = ${tenantId}
        GROUP BY link_id ORDER BY max(last_at) DESC, link_id LIMIT ${Number(limit)}`;
  }

  /** Rollup rows in [from, to) summed per bucket (`hour` or `day`, UTC), type and currency. */
  series(tenantId: string, linkId: string, interval: 'hour' | 'day', from: Date, to: Date): Promise<SeriesRow[]> {
    return this.prisma.$queryRaw<
      SeriesRow[]
    >`SELECT date_trunc(${interval === 'day' ? 'day' : 'hour'}, hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS at, type, currency,
              sum(count)::bigint AS count, sum(amount_cents)::text AS amount_cents
         FROM link_stats_hourly
        WHERE tenant_id = ${tenantId} AND link_id = ${linkId} AND hour >= ${from.toISOString()}::timestamptz AND hour < ${to.toISOString()}::timestamptz
        GROUP BY 1, 2, 3`;
  }

  async event(tenantId: string, eventId: string): Promise<{ id: string; type: string; data: unknown; stored_at: Date } | undefined> {
    const rows = await this.prisma.$queryRaw<
      { id: string; type: string; data: unknown; stored_at: Date }[]
    >`SELECT id, type, data, received_at AS stored_at FROM events WHERE tenant_id = ${tenantId} AND id = ${eventId}`;
    return rows[0];
  }
}
