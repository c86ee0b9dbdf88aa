import { Injectable } from '@nestjs/common';
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
    return this.prisma.$executeRawUnsafe(
      `INSERT INTO delivery_attempts (id, tenant_id, webhook_id, event_id, event_type, attempt, tier, outcome, status_code, error, next, duration_ms, at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::text[], $8::text[],
                            $9::smallint[], $10::text[], $11::text[], $12::int[], $13::timestamptz[])
       ON CONFLICT (id) DO NOTHING`,
      col((r) => r.id), col((r) => r.tenant_id), col((r) => r.webhook_id), col((r) => r.event_id), col((r) => r.event_type),
      col((r) => r.attempt), col((r) => r.tier), col((r) => r.outcome), col((r) => r.status_code), col((r) => r.error),
      col((r) => r.next), col((r) => r.duration_ms), col((r) => r.at),
    );
  }

  /** One webhook's attempts, newest first, strictly after the keyset position (at, id) when given. */
  async page(tenantId: string, webhookId: string, filter: AttemptFilter, after: { at: Date; id: string } | undefined, limit: number): Promise<DeadLetterRow[]> {
    const params: unknown[] = [tenantId, webhookId];
    const where = ['tenant_id = $1', 'webhook_id = $2'];
    if (filter.outcome) where.push(`outcome = $${params.push(filter.outcome)}`);
    if (filter.eventId) where.push(`event_id = $${params.push(filter.eventId)}`);
    if (filter.eventType) where.push(`event_type = $${params.push(filter.eventType)}`);
    if (filter.since) where.push(`at >= $${params.push(filter.since)}::timestamptz`);
    if (filter.until) where.push(`at < $${params.push(filter.until)}::timestamptz`);
    if (filter.next) where.push(`next = $${params.push(filter.next)}`);
    if (after) where.push(`(at, id) < ($${params.push(after.at)}::timestamptz, $${params.push(after.id)})`);
    // A dead letter counts as delivered once a later attempt of its event to the same webhook succeeded.
    const delivered = filter.next === 'dead_letter'
      ? `, (SELECT min(s.at) FROM delivery_attempts s WHERE s.tenant_id = d.tenant_id AND s.webhook_id = d.webhook_id
              AND s.event_id = d.event_id AND s.outcome = 'succeeded' AND s.at > d.at) AS delivered_at`
      : '';
    return this.prisma.$queryRawUnsafe<DeadLetterRow[]>(
      `SELECT id, event_id, event_type, attempt, tier, outcome, status_code, error, next, duration_ms, at${delivered}
         FROM delivery_attempts d WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ${Number(limit)}`,
      ...params,
    );
  }

  /** Deletes attempts older than the cutoff, a bounded batch at a time; returns how many went. */
  async purgeBefore(cutoff: Date, batch = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.prisma.$executeRawUnsafe(
        `DELETE FROM delivery_attempts WHERE id IN (SELECT id FROM delivery_attempts WHERE at < $1 LIMIT ${batch})`,
        cutoff,
      );
      total += n;
      if (n < batch) return total;
    }
  }
}
