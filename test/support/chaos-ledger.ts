import pg from 'pg';
import { failuresFor } from './chaos-faults.js';
import { readTopic } from './fixtures.js';
import type { ReceivedRequest, Receiver } from './receiver.js';
import { waitFor } from './wait-for.js';

export type Acked = { path: string; id: string };

/**
 * The chaos suite's accounting (test/chaos.chaos-spec.ts). Lost = acknowledged events neither
 * answered 2xx at their webhook nor (when the receiver refuses them every time) in the DLQ, or
 * missing from the event store, after waiting for them.
 */
export class ChaosLedger {
  private dead = new Set<string>();

  constructor(
    private readonly receiver: Receiver,
    private readonly dlqTopic: string,
    private readonly databaseUrl: string,
  ) {}

  /** The attempt that the receiver's script answered 2xx (failuresFor says how many it fails first). */
  succeeded(r: ReceivedRequest): boolean {
    return Number(r.headers['x-rift-attempt']) > failuresFor(String(r.headers['x-rift-event-id']));
  }

  /** Until every acknowledged event is answered 2xx at its webhook or, if it always fails, dead-lettered. */
  async waitDelivered(phase: string, acked: Acked[]): Promise<void> {
    let lastDeadRead = 0;
    const missing = () => {
      const seen = new Set(this.receiver.requests.filter((r) => this.succeeded(r)).map((r) => `${r.path} ${r.headers['x-rift-event-id']}`));
      if (Date.now() - lastDeadRead > 5_000) void this.refreshDead().then(() => (lastDeadRead = Date.now()));
      return acked.filter((a) => !seen.has(`${a.path} ${a.id}`) && !(failuresFor(a.id) === Infinity && this.dead.has(a.id)));
    };
    await waitFor(() => missing().length === 0, { timeoutMs: 180_000, intervalMs: 500, what: `every event of ${phase} delivered` }).catch((err) => {
      throw new Error(`${(err as Error).message}; lost ${missing().length} of ${acked.length}`);
    });
  }

  /** Until the event store holds every acknowledged event; returns how many it holds. */
  async waitStored(phase: string, acked: Acked[]): Promise<number> {
    const c = new pg.Client({ connectionString: this.databaseUrl });
    await c.connect();
    return waitFor(
      async () => {
        const n = Number((await c.query('SELECT count(*) FROM events WHERE id = ANY($1)', [acked.map((a) => a.id)])).rows[0].count);
        return n === acked.length ? n : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: `every event of ${phase} stored` },
    ).finally(() => c.end());
  }

  /** A phase's line of the report: duplicates are 2xx answers beyond one per event that can succeed. */
  summary(acked: Acked[], stored: number) {
    const ids = new Set(acked.map((a) => a.id));
    const delivered = this.receiver.requests.filter((r) => ids.has(String(r.headers['x-rift-event-id'])) && this.succeeded(r)).length;
    const deadLettered = acked.filter((a) => failuresFor(a.id) === Infinity).length;
    return { events: acked.length, lost: 0, stored, dead_lettered: deadLettered, duplicates: delivered - (acked.length - deadLettered) };
  }

  /** The ids of the events dead-lettered so far with this last error. */
  async deadLettered(lastError: string): Promise<Set<string>> {
    const dlq = await readTopic(this.dlqTopic, { settleMs: 500 });
    return new Set(dlq.filter((m) => m.headers?.['rift-last-error']?.toString() === lastError).map((m) => String(m.headers?.['rift-event-id'])));
  }

  private async refreshDead(): Promise<void> {
    this.dead = new Set((await readTopic(this.dlqTopic, { settleMs: 300 })).map((m) => String(m.headers?.['rift-event-id'])));
  }
}
