import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EVENT_TYPES } from '../src/contracts/event-types.js';
import { Deliveries, phaseFigures, publishBurst, startService, SteadyLoad, waitAllDelivered } from './support/cluster.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createTenant, registerWebhook } from './support/fixtures.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, ROOT, type ServiceProcess, uniquePrefix } from './support/service.js';
import { sleep, waitFor } from './support/wait-for.js';

/**
 * Scale-out on the 3-node cluster (npm run test:cluster): three dispatcher processes share
 * 12-partition topics under a steady load; a fourth joins, then one is SIGKILLed and one stopped
 * with SIGTERM. lost = 0 for each step; the rebalance pause (the longest a tenant, so a partition,
 * went without a delivery; and the longest gap in all deliveries) and the
 * duplicates are reported, with the drain rate of a backlog by one and by two dispatcher processes
 * (.tmp/cluster-scale-report.json). Figures are reported, never asserted.
 */
const RATE = Number(process.env.CLUSTER_LOAD_PER_SEC ?? 150);
const STEP_MS = 15_000;
const BACKLOG = Number(process.env.CLUSTER_BACKLOG ?? 4_000);

describe('cluster: dispatchers join and leave under load', () => {
  const report: Record<string, unknown> = { load_events_per_sec: RATE };
  let db: TestDatabase;
  let receiver: Receiver;
  const running: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    await receiver?.stop();
    await db?.drop();
    mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    writeFileSync(path.join(ROOT, '.tmp', 'cluster-scale-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`cluster scale-out report: ${JSON.stringify(report)}`);
  });

  /** A pipeline of its own (prefix, 12-partition topics, ten tenants with one webhook each). */
  async function pipeline(name: string, deliveries: Deliveries, failSome: boolean) {
    const env = baseEnv({
      DATABASE_URL: db.url,
      RIFT_TOPIC_PREFIX: uniquePrefix(name),
      KAFKA_TOPIC_PARTITIONS: '12',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      WEBHOOK_RETRY_SCHEDULE: '0,0.5,1,2',
      LOG_LEVEL: 'warn',
    });
    const apiSvc = await startService({ ...env, RIFT_ROLE: 'api' });
    const tenants: string[] = [];
    for (let i = 0; i < 10; i++) {
      const t = createTenant(env, `${name}-${i}`);
      const p = `/${name}/${t.tenant_id}`;
      await registerWebhook(apiSvc, t.api_key, receiver.url(p), [...EVENT_TYPES]);
      deliveries.track(p, failSome);
      tenants.push(t.tenant_id);
    }
    await apiSvc.stop();
    const dispatcher = async () => {
      const d = await startService({ ...env, RIFT_ROLE: 'dispatcher' });
      running.push(d);
      return d;
    };
    return { env, tenants, dispatcher };
  }

  it('loses nothing while a fourth dispatcher joins and two leave (SIGKILL, SIGTERM)', async () => {
    const deliveries = new Deliveries(receiver);
    const { env, tenants, dispatcher } = await pipeline('scale', deliveries, true);
    const group = [await dispatcher(), await dispatcher(), await dispatcher()];
    const load = await new SteadyLoad(env.RIFT_TOPIC_PREFIX!, tenants, RATE).start();
    await sleep(8_000);
    const windows: Record<string, { from: number; to: number }> = {};
    const step = async (name: string, action: () => Promise<unknown>) => {
      load.phase = name;
      const from = Date.now();
      await action();
      await sleep(STEP_MS);
      windows[name] = { from, to: Date.now() };
    };
    await step('fourth-joins', async () => group.push(await dispatcher()));
    await step('one-sigkilled', () => group.shift()!.kill('SIGKILL'));
    await step('one-sigterm', () => group.shift()!.stop());
    load.phase = 'cool-down';
    await sleep(3_000);
    await load.stop();
    const missing = await waitAllDelivered(load, deliveries);
    for (const [name, w] of Object.entries(windows)) {
      report[name] = {
        ...phaseFigures(load, deliveries, name, (w.to - w.from) / 1000),
        longest_gap_s: deliveries.longestGap(w.from, w.to) / 1000,
        rebalance_pause_s: deliveries.longestTenantGap(w.from, w.to) / 1000,
      };
    }
    report.scale_total = { events: load.published.length, lost: missing };
    expect(missing).toBe(0);
    for (const name of Object.keys(windows)) expect((report[name] as { lost: number }).lost).toBe(0);
    await Promise.all(group.map((d) => d.stop()));
  }, 600_000);

  it('drains a backlog with one, then two dispatcher processes (throughput, reported)', async () => {
    const deliveries = new Deliveries(receiver);
    const { env, tenants, dispatcher } = await pipeline('drain', deliveries, false);
    // The same pipeline twice: a backlog published while no dispatcher runs, then drained.
    for (const processes of [1, 2]) {
      const ids = await publishBurst(env.RIFT_TOPIC_PREFIX!, tenants, BACKLOG);
      const group = await Promise.all(Array.from({ length: processes }, () => dispatcher()));
      await waitFor(() => ids.every((id) => deliveries.ok.has(id)), { timeoutMs: 300_000, intervalMs: 250, what: `${BACKLOG} deliveries` });
      const times = ids.map((id) => deliveries.firstOkAt.get(id)!);
      const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
      report[`throughput_${processes}_dispatcher${processes > 1 ? 's' : ''}`] = { events: BACKLOG, deliveries_per_sec: Math.round(BACKLOG / seconds) };
      await Promise.all(group.map((d) => d.stop()));
    }
  }, 600_000);
});
