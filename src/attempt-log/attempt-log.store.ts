import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { AttemptRecord } from '../contracts/attempt-record.js';

export interface AttemptRow {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  tier: string;
  outcome: string;
  status_code: number | null;
  error: string | null;
  next: string;
  duration_ms: number;
  at: Date;
}

export interface AttemptFilter {
  outcome?: 'succeeded' | 'failed';
  eventId?: string;
  eventType?: string;
  since?: Date;
  until?: Date;
  /** Only attempts that ended so: `dead_letter` lists the dead letters. */
  next?: string;
}

export interface DeadLetterRow extends AttemptRow {
  delivered_at: Date | null;
}

/** The delivery attempt log in PostgreSQL (table delivery_attempts). */
@Injectable()
export class AttemptLogStore {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores a batch in one statement; a record seen before (same id) is stored once. */
  async insertBatch(records: AttemptRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const col = <T>(f: (r: AttemptRecord) => T) => records.map(f);
    return this.prisma
      .$executeRaw`INSERT INTO delivery_attempts (id, tenant_id, webhook_id, event_id, event_type, attempt, tier, outcome, status_code, error, next, duration_ms, at)
       SELECT * FROM unnest(${col((r) => r.id)}::text[], ${col((r) => r.tenant_id)}::text[], ${col((r) => r.webhook_id)}::text[], ${col((r) => r.event_id)}::text[], ${col((r) => r.event_type)}::text[], ${col((r) => r.attempt)}::smallint[], ${col((r) => r.tier)}::text[], ${col((r) => r.outcome)}::text[],
                            ${col((r) => r.status_code)}::smallint[], ${col((r) => r.error)}::text[], ${col((r) => r.next)}::text[], ${col((r) => r.duration_ms)}::int[], ${col((r) => r.at)}::timestamptz[])
       ON CONFLICT (id) DO NOTHING`;
  }

  /** One webhook's attempts, newest first, strictly after the keyset position (at, id) when given. */
  async page(tenantId: string, webhookId: string, filter: AttemptFilter, after: { at: Date; id: string } | undefined, limit: number): Promise<DeadLetterRow[]> {
    const where = [Prisma.sql`tenant_id = ${tenantId}`, Prisma.sql`webhook_id = ${webhookId}`];
    if (filter.outcome) where.push(Prisma.sql`outcome = ${filter.outcome}`);
    if (filter.eventId) where.push(Prisma.sql`event_id = ${filter.eventId}`);
    if (filter.eventType) where.push(Prisma.sql`event_type = ${filter.eventType}`);
    if (filter.since) where.push(Prisma.sql`at >= ${filter.since}::timestamptz`);
    if (filter.until) where.push(Prisma.sql`at < ${filter.until}::timestamptz`);
    if (filter.next) where.push(Prisma.sql`next = ${filter.next}`);
    if (after) where.push(Prisma.sql`(at, id) < (${after.at}::timestamptz, ${after.id})`);
    // A dead letter counts as delivered once a later attempt of its event to the same webhook succeeded.
    const delivered =
      filter.next === 'dead_letter'
        ? Prisma.sql`, (SELECT min(s.at) FROM delivery_attempts s WHERE s.tenant_id = d.tenant_id AND s.webhook_id = d.webhook_id
              AND s.event_id = d.event_id AND s.outcome = 'succeeded' AND s.at > d.at) AS delivered_at`
        : Prisma.empty;
    return this.prisma.$queryRaw<DeadLetterRow[]>`
      SELECT id, event_id, event_type, attempt, tier, outcome, status_code, error, next, duration_ms, at${delivered}
        FROM delivery_attempts d WHERE ${Prisma.join(where, ' AND ')} ORDER BY at DESC, id DESC LIMIT ${limit}`;
  }

  /** Deletes attempts older than the cutoff, a bounded batch at a time; returns how many went. */
  async purgeBefore(cutoff: Date, batch = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.prisma.$executeRaw`DELETE FROM delivery_attempts WHERE id IN (SELECT id FROM delivery_attempts WHERE at < ${cutoff} LIMIT ${batch})`;
      total += n;
      if (n < batch) return total;
    }
  }
}
