import { randomBytes } from 'node:crypto';
import type { EventRow } from '../../src/events/event-store.js';
import type { EventType } from '../../src/contracts/event-types.js';
import type { TestDatabase } from './database.js';

export const hex24 = () => randomBytes(12).toString('hex');

/** An event row as the event-store consumer writes it (data trimmed to what the stores read back). */
export function eventRow(tenantId: string, type: EventType, linkId: string, occurredAt: string, extra: Partial<EventRow> = {}): EventRow {
  const id = extra.id ?? hex24();
  return {
    tenantId,
    id,
    type,
    linkId,
    occurredAt,
    conversionType: type === 'conversion' ? 'deposit' : null,
    amountCents: null,
    currency: null,
    data: { tenant_id: tenantId, link_id: linkId, timestamp: occurredAt, n: id },
    ...extra,
  };
}

/**
 * Waits until every stored event is older than the oldest running transaction of the cluster: only
 * then does a page return it (EventStore.page). Other test files' databases share the cluster and
 * its transaction ids, so a long transaction there can hold rows back for a moment.
 */
export async function eventsVisible(db: TestDatabase, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await db.query<{ hidden: string }>(
      'SELECT count(*) AS hidden FROM events WHERE txid >= (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint',
    );
    if (r!.hidden === '0') return;
    if (Date.now() > deadline) throw new Error(`${r!.hidden} events still not visible after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
