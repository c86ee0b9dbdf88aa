import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createEventPublisher } from '../src/events/event-publisher.js';
import { EVENT_TYPES } from '../src/contracts/event-types.js';
import { failuresFor, kafkaBroker, pgCluster } from './support/chaos-faults.js';
import { ChaosLedger, type Acked } from './support/chaos-ledger.js';
import { EventStream, type ChaosTenant } from './support/chaos-stream.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createTenant, produceRaw, readTopic, registerWebhook } from './support/fixtures.js';
import { Receiver } from './support/receiver.js';
import { restFuzzArbitraries } from './support/rest-fuzz.js';
import { baseEnv, KAFKA_BROKERS, ROOT, ServiceProcess, uniquePrefix } from './support/service.js';
import { insertUndecryptableWebhook } from './support/undecryptable-webhook.js';
import { sleep, waitFor } from './support/wait-for.js';

/**
 * Fault injection (npm run test:chaos). 20,000 events stream in while, phase by phase, the dispatcher
 * is SIGKILLed three times, the Kafka broker is down for 65 s, PostgreSQL stops for 10 s, one of two
 * dispatchers in the group is killed, and a tenant whose secret cannot be decrypted sends 2,000
 * events. The receivers fail some attempts (by event id: 1, 2 or 3 first attempts, or all of them),
 * so every retry tier and the DLQ work through the faults. After each phase: every acknowledged
 * event was answered 2xx at its webhook (or, for those failing every attempt, is in the DLQ) and is
 * in the event store; duplicates are reported (.tmp/chaos-report.json). Then the REST API and the
 * input topics are fuzzed.
 */
const TOTAL = 20_000;

const TENANTS = 20;
const report: Record<string, unknown> = {};

describe('chaos: nothing is lost under faults; fuzzed input never breaks the service', () => {
  const prefix = uniquePrefix('chaos');
  let db: TestDatabase;
  let receiver: Receiver;
  let apiSvc: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  const tenants: ChaosTenant[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    env = baseEnv({
      DATABASE_URL: db.url,
      RIFT_TOPIC_PREFIX: prefix,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      WEBHOOK_RETRY_SCHEDULE: '0,1,2,4',
      LOG_LEVEL: 'warn',
      // Shorter than the 65 s broker outage: the watchdog must not take the outage for a stuck group.
      CONSUMER_RESTART_GIVE_UP_MS: '30000',
    });
    apiSvc = await new ServiceProcess({ ...env, RIFT_ROLE: 'api' }).start();
    for (let i = 0; i < TENANTS; i++) {
      const t = createTenant(env, `chaos-${i}`);
      const w = await registerWebhook(apiSvc, t.api_key, receiver.url(`/chaos/${t.tenant_id}`), [...EVENT_TYPES]);
      tenants.push({ ...t, webhook: w.id });
      receiver.script(`/chaos/${t.tenant_id}`, (r) =>
        Number(r.headers['x-rift-attempt']) <= failuresFor(String(r.headers['x-rift-event-id'])) ? { status: 503 } : { status: 200 },
      );
    }
  }, 120_000);

  afterAll(async () => {
    await apiSvc?.stop();
    await receiver?.stop();
    await db?.drop();
    mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    writeFileSync(path.join(ROOT, '.tmp', 'chaos-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`chaos report: ${JSON.stringify(report)}`);
  });

  it(`loses nothing while ${TOTAL.toLocaleString('en')} events stream through six faults`, async () => {
    const publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix, logLevel: 0 });
    const dispatcher = () => new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' });
    const events = new EventStream(publisher, tenants);
    const stream = (n: number) => events.stream(n);
    const ledger = new ChaosLedger(receiver, `${prefix}.webhooks.dlq`, db.url);
    const check = async (phase: string, acked: Acked[]) => {
      await ledger.waitDelivered(phase, acked);
      const stored = await ledger.waitStored(phase, acked);
      report[phase] = ledger.summary(acked, stored);
      expect(stored).toBe(acked.length);
    };
    const per = Math.floor(TOTAL / 6);
    let d = await dispatcher().start();

    // 1-3: SIGKILL the dispatcher three times while events stream in.
    for (let k = 1; k <= 3; k++) {
      const s = stream(per);
      await sleep(2_500);
      await d.kill('SIGKILL');
      d = await dispatcher().start();
      await check(`sigkill-${k}`, await s);
    }

    // 4: the broker is down for 65 s mid-stream, with jobs waiting in every retry tier (their
    // partitions paused until due): the service rides it out and resumes by itself.
    {
      const s = stream(per);
      await sleep(4_000);
      kafkaBroker('stop');
      await sleep(65_000);
      kafkaBroker('start');
      await check('broker-down-65s', await s);
      expect(d.exitCode).toBeUndefined();
      await waitFor(async () => (await fetch(`${d.url}/health/ready`)).status === 200, { what: 'the dispatcher ready again', timeoutMs: 60_000 });
    }

    // 5: PostgreSQL stops for 10 s mid-stream (lookups and event-store writes wait and retry).
    {
      const s = stream(per);
      await sleep(2_000);
      pgCluster('stop');
      try {
        await sleep(10_000);
      } finally {
        pgCluster('start');
      }
      await check('postgres-stop-10s', await s);
    }

    // 6: two dispatchers in one group; one is killed.
    {
      const second = await dispatcher().start();
      const s = stream(TOTAL - 5 * per);
      await sleep(3_000);
      await second.kill('SIGKILL');
      await check('pair-one-killed', await s);
    }

    // 7: a tenant whose webhook secret cannot be decrypted sends 2,000 events while others' flow:
    // those are dead-lettered with the reason (and stored); nobody else waits for them.
    {
      const broken = createTenant(env, 'undecryptable');
      const brokenWebhook = `${broken.tenant_id.slice(0, 12)}${'0'.repeat(12)}`;
      await insertUndecryptableWebhook(db, { id: brokenWebhook, tenantId: broken.tenant_id, url: receiver.url('/undecryptable'), fill: 7 });
      const brokenIds: string[] = [];
      const s = stream(1_000);
      for (let i = 0; i < 2_000; i += 100) {
        const batch = await Promise.all(
          Array.from({ length: 100 }, () =>
            publisher.publish('click', { tenant_id: broken.tenant_id, link_id: 'broken', timestamp: new Date().toISOString() }),
          ),
        );
        brokenIds.push(...batch.map((b) => b.event_id));
      }
      await check('undecryptable-tenant', await s);
      const deadIds = await waitFor(
        async () => {
          const ids = await ledger.deadLettered('secret_undecryptable');
          return brokenIds.every((id) => ids.has(id)) ? ids : undefined;
        },
        { what: 'the 2,000 undecryptable deliveries dead-lettered', timeoutMs: 120_000, intervalMs: 2_000 },
      );
      expect(receiver.on('/undecryptable')).toHaveLength(0);
      report['undecryptable-tenant'] = {
        ...(report['undecryptable-tenant'] as object),
        broken_events: brokenIds.length,
        broken_dead_lettered: brokenIds.filter((id) => deadIds.has(id)).length,
      };
    }
    await d.stop();
    await publisher.close();
    expect(events.sent).toBe(TOTAL + 1_000);
  }, 1_200_000);

  it("fuzzes the REST API (2,000 generated requests): never a 5xx, never a change to another tenant's data", async () => {
    const [me, other] = [tenants[0]!, tenants[1]!];
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const snapshot = async () =>
      JSON.stringify(
        (await c.query('SELECT id, tenant_id, url, events, secret_ciphertext, updated_at FROM webhooks WHERE tenant_id <> $1 ORDER BY id', [me.tenant_id]))
          .rows,
      );
    const before = await snapshot();
    const { methodArb, pathArb, bodyArb, authArb, ctypeArb } = restFuzzArbitraries(me, other);
    let requests = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(methodArb, pathArb, bodyArb, authArb, ctypeArb, async (method, p, body, auth, ctype) => {
        const headers: Record<string, string> = {};
        if (auth !== undefined) headers.authorization = auth.replace(/[^\t\x20-\x7e]/g, '');
        if (ctype && body !== undefined) headers['content-type'] = ctype;
        const res = await fetch(`${apiSvc.url}${p}`, { method, headers, body: method === 'GET' ? undefined : body, signal: AbortSignal.timeout(15_000) });
        const text = await res.text();
        requests++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) throw new Error(`${method} ${p} -> ${res.status}: ${text}`);
        if (res.status >= 400 && res.headers.get('content-type')?.includes('json')) expect(JSON.parse(text)).toHaveProperty('message');
      }),
      { numRuns: 2_000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    expect(requests).toBeGreaterThanOrEqual(2_000);
    expect(await snapshot()).toBe(before);
    await c.end();
    report.rest_fuzz = { requests, statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)) };
  }, 300_000);

  it('fuzzes the input topics with random bytes and random JSON: all set aside as invalid, partitions keep moving', async () => {
    const d = await new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' }).start();
    try {
      const invalidBefore = (await readTopic(`${prefix}.events.invalid`, { settleMs: 1000 })).length;
      const bytes = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 300 }), 300).map((b) => Buffer.from(b));
      const json = fc.sample(fc.jsonValue(), 300).map((v) => JSON.stringify(v) ?? 'null');
      const values: (Buffer | string)[] = [...bytes, ...json];
      for (const type of EVENT_TYPES) {
        await produceRaw(
          `${prefix}.events.${type}`,
          values.filter((_, i) => i % 3 === EVENT_TYPES.indexOf(type)).map((value, i) => ({ key: `k${i}`, value })),
        );
      }
      // Valid events on every partition after the garbage: all delivered. Not to tenants[0]: the
      // REST fuzz may have changed or deleted its webhook (it is the fuzzing tenant's own).
      const publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix, logLevel: 0 });
      const after: string[] = [];
      for (let i = 0; i < 60; i++)
        after.push(
          (
            await publisher.publish(EVENT_TYPES[i % 3]!, {
              tenant_id: tenants[1 + (i % (TENANTS - 1))]!.tenant_id,
              link_id: 'after-fuzz',
              timestamp: new Date().toISOString(),
              ...(i % 3 === 1 ? { install_id: `f-${i}` } : i % 3 === 2 ? { conversion_type: 'signup' } : {}),
            })
          ).event_id,
        );
      await publisher.close();
      await waitFor(() => after.every((id) => receiver.requests.some((r) => r.headers['x-rift-event-id'] === id)), {
        what: 'events after the fuzz delivered',
        timeoutMs: 60_000,
      });
      const invalid = await waitFor(
        async () => {
          const n = (await readTopic(`${prefix}.events.invalid`, { settleMs: 1000 })).length - invalidBefore;
          return n >= values.length ? n : undefined;
        },
        { what: 'every fuzzed message in the invalid topic', timeoutMs: 60_000, intervalMs: 2_000 },
      );
      expect(invalid).toBe(values.length);
      report.topic_fuzz = { messages: values.length, set_aside: invalid, delivered_after: after.length };
    } finally {
      await d.stop();
    }
  }, 300_000);
});
