import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createTenant, readTopic, registerWebhook } from './support/fixtures.js';
import { metric } from './support/metrics.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, KAFKA_BROKERS, ServiceProcess, uniquePrefix } from './support/service.js';
import { sleep, waitFor } from './support/wait-for.js';

/**
 * A slow but healthy endpoint loses nothing: answers take 2.5 s (under the 10 s timeout) while events
 * arrive at 3/s, more than the starting cap of 4 in flight can carry (4 / 2.5 s = 1.6/s). The cap is
 * earned by answers however slow, deliveries over it wait, and none is dead-lettered or counted as a
 * failed attempt because of the dispatcher's own limits.
 */
describe('a slow, healthy endpoint (real Kafka, Postgres, HTTPS receiver)', () => {
  const prefix = uniquePrefix('slow');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let publisher: Awaited<ReturnType<typeof createEventPublisher>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    const env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix });
    svc = await new ServiceProcess(env).start();
    publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix });
    const t = createTenant(env);
    await registerWebhook(svc, t.api_key, receiver.url('/slow'), ['click']);
    receiver.script('/slow', () => ({ status: 200, delayMs: 2_500 }));
    (globalThis as { tenant?: string }).tenant = t.tenant_id;
  });

  afterAll(async () => {
    await publisher?.close();
    await svc?.stop();
    await receiver?.stop();
    await db?.drop();
  });

  it('delivers 3 events/s for 60 s to an endpoint answering in 2.5 s: all of them, first attempts only, none dead-lettered', async () => {
    const tenant = (globalThis as { tenant?: string }).tenant!;
    const ids = new Set<string>();
    const started = Date.now();
    for (let i = 0; i < 180; i++) {
      const due = started + (i * 1000) / 3;
      if (due > Date.now()) await sleep(due - Date.now());
      ids.add((await publisher.publish('click', { tenant_id: tenant, link_id: 'slow', timestamp: new Date().toISOString() })).event_id);
    }
    await waitFor(() => new Set(receiver.on('/slow').map((r) => String(r.headers['x-rift-event-id']))).size >= ids.size, {
      what: 'all 180 deliveries',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    const requests = receiver.on('/slow');
    expect(new Set(requests.map((r) => String(r.headers['x-rift-event-id'])))).toEqual(ids);
    expect(requests.map((r) => r.headers['x-rift-attempt']).filter((a) => a !== '1')).toEqual([]);
    expect(requests).toHaveLength(180);
    expect(await readTopic(`${prefix}.webhooks.dlq`, { settleMs: 500 })).toHaveLength(0);
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metric(text, 'rift_delivery_attempts_total', { event_type: 'click', tier: 'first', result: 'failed' }) ?? 0).toBe(0);
  });
});
