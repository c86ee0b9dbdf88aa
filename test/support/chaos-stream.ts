import { InvalidEventError, type createEventPublisher } from '../../src/events/event-publisher.js';
import { EVENT_TYPES } from '../../src/contracts/event-types.js';
import { sleep } from './wait-for.js';

export type ChaosTenant = { tenant_id: string; api_key: string; webhook: string };
type Publisher = Awaited<ReturnType<typeof createEventPublisher>>;

/**
 * The chaos suite's load: events of every type, spread over the tenants, published at a steady rate
 * by 8 workers. A publish that fails (the broker is down) is retried until Kafka acknowledges it, so
 * that what a phase checks is exactly the acknowledged events.
 */
export class EventStream {
  /** Events published (acknowledged) so far, over every call. */
  sent = 0;

  constructor(
    private readonly publisher: Publisher,
    private readonly tenants: ChaosTenant[],
  ) {}

  /** Publishes n events at about `perSec`, each retried until Kafka acknowledges it; returns their paths and ids. */
  async stream(n: number, perSec = 500): Promise<{ path: string; id: string }[]> {
    const acked: { path: string; id: string }[] = [];
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < n) {
          const i = next++;
          const due = started + (i / perSec) * 1000;
          if (due > Date.now()) await sleep(due - Date.now());
          const t = this.tenants[(this.sent + i) % this.tenants.length]!;
          const type = EVENT_TYPES[i % 3]!;
          const data =
            type === 'conversion' ? { conversion_type: 'deposit', amount_cents: 100, currency: 'usd' } : type === 'attribution' ? { install_id: `d-${i}` } : {};
          for (;;) {
            try {
              const { event_id } = await this.publisher.publish(type, {
                tenant_id: t.tenant_id,
                link_id: `c${i % 11}`,
                timestamp: new Date().toISOString(),
                ...data,
              });
              acked.push({ path: `/chaos/${t.tenant_id}`, id: event_id });
              break;
            } catch (err) {
              if (err instanceof InvalidEventError) throw err; // a bug in this test, not a fault to ride out
              await sleep(250);
            }
          }
        }
      }),
    );
    this.sent += n;
    return acked;
  }
}
