import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EVENT_TYPES } from '../src/contracts/event-types.js';
import { busiestLeader, clusterStatus, Deliveries, kafkaCtl, phaseFigures, startService, SteadyLoad, waitAllDelivered, waitInSync } from './support/cluster.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createTenant, registerWebhook } from './support/fixtures.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, riftAsync, ROOT, type ServiceProcess, uniquePrefix } from './support/service.js';
import { sleep, waitFor } from './support/wait-for.js';

/**
 * Cluster chaos (npm run test:cluster, a 3-node KRaft cluster from scripts/kafka.sh): a steady load
 * runs for the whole test, receivers fail one first attempt in eight, and phase by phase a node is
 * SIGKILLed (the one leading the most partitions), brought back, all three are restarted one at a
 * time (SIGTERM, wait for in-sync, next), and the active controller (the KRaft quorum leader) is
 * SIGKILLed. Per phase: lost = 0 (receiver and event store), duplicates and the longest gap in
 * deliveries (all of them, and of one tenant, i.e. one partition) are reported (.tmp/cluster-report.json). While a node is down, deliveries continue and
 * /health/ready and `rift lag` answer.
 */
// About half of what the 3-node cluster sustained here (see the scale-out suite's throughput), so
// a gap measures failover rather than a CPU-starved machine.
const RATE = Number(process.env.CLUSTER_LOAD_PER_SEC ?? 150);
const DOWN_MS = 20_000;

describe('cluster: failover, rolling restart and controller loss under load', () => {
  const prefix = uniquePrefix('cluster');
  const report: Record<string, unknown> = { load_events_per_sec: RATE };
  let db: TestDatabase;
  let receiver: Receiver;
  let env: NodeJS.ProcessEnv;
  let dispatcher: ServiceProcess;
  let deliveries: Deliveries;
  let load: SteadyLoad;
  const tenants: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    deliveries = new Deliveries(receiver);
    env = baseEnv({
      DATABASE_URL: db.url,
      RIFT_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '6',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      WEBHOOK_RETRY_SCHEDULE: '0,0.5,1,2',
      LOG_LEVEL: 'warn',
    });
    const apiSvc = await startService({ ...env, RIFT_ROLE: 'api' });
    for (let i = 0; i < 10; i++) {
      const t = createTenant(env, `cluster-${i}`);
      await registerWebhook(apiSvc, t.api_key, receiver.url(`/cluster/${t.tenant_id}`), [...EVENT_TYPES]);
      deliveries.track(`/cluster/${t.tenant_id}`);
      tenants.push(t.tenant_id);
    }
    await apiSvc.stop();
    dispatcher = await startService({ ...env, RIFT_ROLE: 'dispatcher' });
  }, 120_000);

  afterAll(async () => {
    await load?.stop();
    await dispatcher?.stop();
    await receiver?.stop();
    await db?.drop();
    try {
      report.cold_start = JSON.parse(readFileSync(path.join(ROOT, '.tmp', 'cluster-start.json'), 'utf8'));
    } catch {
      // the cluster was already running: no cold start measured
    }
    mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    writeFileSync(path.join(ROOT, '.tmp', 'cluster-dispatcher.log'), dispatcher?.output ?? '');
    writeFileSync(path.join(ROOT, '.tmp', 'cluster-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`cluster report: ${JSON.stringify(report)}`);
  });

  /** While `node` is down: deliveries continue, /health/ready says 200 and `rift lag` answers. */
  async function whileDown(node: number, windowStart: number): Promise<Record<string, unknown>> {
    await sleep(DOWN_MS / 2);
    const ready = await waitFor(async () => (await fetch(`${dispatcher.url}/health/ready`)).status === 200, {
      timeoutMs: 10_000,
      what: `/health/ready with node ${node} down`,
    });
    const lag = await riftAsync(['lag', '--json'], env);
    if (lag.status !== 0) throw new Error(`rift lag exited ${lag.status} with node ${node} down:\n${lag.stderr.slice(-3000)}`);
    const lagTotal = (JSON.parse(lag.stdout) as { total: number }).total;
    await sleep(DOWN_MS / 2);
    const deliveredWhileDown = deliveries.countBetween(windowStart + DOWN_MS / 2, Date.now());
    expect(deliveredWhileDown).toBeGreaterThan(0);
    return { ready, lag_total: lagTotal, delivered_in_second_half_of_outage: deliveredWhileDown };
  }

  it('loses nothing through a killed leader, its return, a rolling restart and a killed controller', async () => {
    load = await new SteadyLoad(prefix, tenants, RATE).start();
    await sleep(3_000);
    const windows: Record<string, { from: number; to: number; extra: Record<string, unknown> }> = {};
    const phase = async (name: string, body: (from: number) => Promise<Record<string, unknown> | void>) => {
      load.phase = name;
      const from = Date.now();
      const extra = (await body(from)) ?? {};
      windows[name] = { from, to: Date.now(), extra };
    };

    let victim = 0;
    await phase('kill-busiest-leader', async (from) => {
      const s = await waitInSync(prefix);
      victim = busiestLeader(s);
      await kafkaCtl('kill', '--node', String(victim));
      return { node: victim, ...(await whileDown(victim, from)) };
    });
    await phase('restart-killed-node', async () => {
      await kafkaCtl('start', '--node', String(victim));
      await waitInSync(prefix);
      await sleep(3_000);
      return { node: victim };
    });
    await phase('rolling-restart', async () => {
      for (const n of [1, 2, 3]) {
        await kafkaCtl('stop', '--node', String(n));
        await kafkaCtl('start', '--node', String(n));
        await waitInSync(prefix);
      }
      await sleep(3_000);
    });
    await phase('kill-active-controller', async (from) => {
      const s = await clusterStatus(prefix);
      expect(s.controller).not.toBeNull();
      const controller = s.controller!;
      await kafkaCtl('kill', '--node', String(controller));
      const during = await whileDown(controller, from);
      const after = await clusterStatus(prefix);
      await kafkaCtl('start', '--node', String(controller));
      await waitInSync(prefix);
      await sleep(3_000);
      return { node: controller, new_controller: after.controller, ...during };
    });
    load.phase = 'cool-down';
    await sleep(3_000);
    await load.stop();

    const missing = await waitAllDelivered(load, deliveries);
    const stored = Number((await db.query('SELECT count(*) AS n FROM events WHERE id = ANY($1)', [load.published.map((p) => p.id)]))[0]!.n);
    for (const [name, w] of Object.entries(windows)) {
      report[name] = {
        ...phaseFigures(load, deliveries, name, (w.to - w.from) / 1000),
        longest_gap_s: deliveries.longestGap(w.from, w.to) / 1000,
        longest_tenant_gap_s: deliveries.longestTenantGap(w.from, w.to) / 1000,
        seconds: (w.to - w.from) / 1000,
        ...w.extra,
      };
    }
    report.total = { events: load.published.length, lost: missing, stored };
    expect(missing).toBe(0);
    for (const name of Object.keys(windows)) expect((report[name] as { lost: number }).lost).toBe(0);
    const storedAll = await waitFor(
      async () => {
        const n = Number((await db.query('SELECT count(*) AS n FROM events WHERE id = ANY($1)', [load.published.map((p) => p.id)]))[0]!.n);
        return n === load.published.length ? n : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, what: `every event in the event store (${stored} at first look)` },
    );
    expect(storedAll).toBe(load.published.length);
  }, 900_000);
});
