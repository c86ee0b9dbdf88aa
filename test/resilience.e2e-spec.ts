import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createTenant, registerWebhook } from './support/fixtures.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, KAFKA_BROKERS, rift, ROOT, ServiceProcess, uniquePrefix } from './support/service.js';
import { sleep, waitFor } from './support/wait-for.js';

/**
 * Nothing is lost: SIGKILLed dispatchers, a restarted broker, and a group of two that loses a member.
 * After each, every acknowledged event must have reached every subscribed webhook at least once.
 */
describe('resilience (at-least-once under failures)', () => {
  let db: TestDatabase;
  let receiver: Receiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await db?.drop();
  });

  /** A pipeline of its own: topics, an API process, six tenants with one webhook each. */
  async function pipeline(name: string) {
    const env = baseEnv({
      DATABASE_URL: db.url,
      RIFT_TOPIC_PREFIX: uniquePrefix(name),
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.5,1',
      LOG_LEVEL: 'warn',
    });
    const apiSvc = await new ServiceProcess({ ...env, RIFT_ROLE: 'api' }).start();
    const tenants: { tenant_id: string; api_key: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const t = createTenant(env, `${name}-${i}`);
      await registerWebhook(apiSvc, t.api_key, receiver.url(`/${name}/${t.tenant_id}`), ['click', 'attribution', 'conversion']);
      tenants.push(t);
    }
    await apiSvc.stop();
    const publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: env.RIFT_TOPIC_PREFIX, logLevel: 0 });
    const acked: { path: string; id: string }[] = [];
    /** Publishes n events across the tenants, retrying each until Kafka acknowledges it. */
    const stream = async (n: number, concurrency = 8) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) {
            const i = next++;
            const t = tenants[i % tenants.length]!;
            for (;;) {
              try {
                const { event_id } = await publisher.publish('click', { tenant_id: t.tenant_id, link_id: `l${i % 7}`, timestamp: new Date().toISOString() });
                acked.push({ path: `/${name}/${t.tenant_id}`, id: event_id });
                break;
              } catch {
                await sleep(200);
              }
            }
          }
        }),
      );
    };
    const dispatcher = () => new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' });
    /** Waits until every acknowledged event reached its webhook; returns the duplicate count. */
    const allDelivered = async (timeoutMs = 120_000) => {
      const missing = () => {
        const seen = new Set(receiver.requests.filter((r) => r.path.startsWith(`/${name}/`)).map((r) => `${r.path} ${r.headers['x-rift-event-id']}`));
        return acked.filter((a) => !seen.has(`${a.path} ${a.id}`));
      };
      await waitFor(() => missing().length === 0, { timeoutMs, intervalMs: 250, what: `every event delivered (${name})` }).catch((err) => {
        throw new Error(`${(err as Error).message}; lost ${missing().length} of ${acked.length}`);
      });
      const got = receiver.requests.filter((r) => r.path.startsWith(`/${name}/`)).length;
      return got - acked.length;
    };
    const delivered = () => receiver.requests.filter((r) => r.path.startsWith(`/${name}/`)).length;
    return { env, publisher, stream, dispatcher, allDelivered, delivered, acked };
  }

  it('shows consumer lag rising while no dispatcher runs and falling to 0 once one does (rift lag)', async () => {
    const p = await pipeline('lag');
    const lag = () => {
      const r = rift(['lag', '--json'], p.env);
      expect(r.status).toBe(0);
      const j = JSON.parse(r.stdout) as { total: number; partitions: { group: string; topic: string; lag: number }[] };
      return j.partitions.filter((x) => x.group === `${p.env.RIFT_TOPIC_PREFIX}-dispatcher`).reduce((s, x) => s + x.lag, 0);
    };
    await p.stream(300);
    expect(lag()).toBe(300);
    const table = rift(['lag'], p.env).stdout;
    expect(table).toMatch(/^GROUP\s+TOPIC\s+PARTITION\s+COMMITTED\s+END\s+LAG/);
    expect(table).toContain(`${p.env.RIFT_TOPIC_PREFIX}.events.click`);
    const d = await p.dispatcher().start();
    await waitFor(() => lag() === 0, { timeoutMs: 60_000, intervalMs: 1000, what: 'lag 0' });
    await p.allDelivered();
    await d.stop();
    await p.publisher.close();
  });

  it('loses nothing when the dispatcher is SIGKILLed mid-stream (three times)', async () => {
    const p = await pipeline('sigkill');
    let d = await p.dispatcher().start();
    const streaming = p.stream(3000);
    for (let kill = 1; kill <= 3; kill++) {
      const target = kill * 600;
      await waitFor(() => p.delivered() >= target, { timeoutMs: 60_000, what: `${target} deliveries` });
      await d.kill('SIGKILL');
      d = await p.dispatcher().start();
    }
    await streaming;
    const duplicates = await p.allDelivered();
    console.log(`SIGKILL x3: ${p.acked.length} events, lost 0, duplicates ${duplicates}`);
    await d.stop();
    await p.publisher.close();
  });

  it('loses nothing when the Kafka broker restarts mid-stream', async () => {
    const p = await pipeline('broker');
    const d = await p.dispatcher().start();
    const streaming = p.stream(2000, 4);
    await waitFor(() => p.delivered() >= 500, { timeoutMs: 60_000, what: '500 deliveries' });
    const script = path.join(ROOT, 'scripts', 'kafka.sh');
    expect(spawnSync('bash', [script, 'stop'], { encoding: 'utf8' }).status).toBe(0);
    await sleep(2000);
    const started = spawnSync('bash', [script, 'start'], { encoding: 'utf8' });
    expect(started.status).toBe(0);
    await streaming;
    const duplicates = await p.allDelivered();
    console.log(`broker restart: ${p.acked.length} events, lost 0, duplicates ${duplicates}`);
    await d.stop();
    await p.publisher.close();
  });

  it('shares partitions between two dispatchers and loses nothing when one is killed', async () => {
    const p = await pipeline('pair');
    const d1 = await p.dispatcher().start();
    const d2 = await p.dispatcher().start();
    const streaming = p.stream(3000);
    await waitFor(() => p.delivered() >= 1000, { timeoutMs: 60_000, what: '1000 deliveries' });
    await d1.kill('SIGKILL');
    await streaming;
    const duplicates = await p.allDelivered();
    console.log(`two dispatchers, one killed: ${p.acked.length} events, lost 0, duplicates ${duplicates}`);
    await d2.stop();
    await p.publisher.close();
  });
});
