// Throughput: 100 tenants x 2 webhooks, events of mixed types published at full speed, delivered by
// the service (an api and a dispatcher process, or one RIFT_ROLE=all process) to a receiver in
// another process. Reports deliveries per second, end-to-end latency (publish to receiver), and the
// dispatcher's RSS and CPU (per delivery: the headline cost figure).
import { randomBytes } from 'node:crypto';
import { freshDatabase } from '../test/support/database.js';
import { baseEnv, ServiceProcess } from '../test/support/service.js';
import { sleep } from '../test/support/wait-for.js';
import {
  cpuMsPerDelivery,
  infraCpu,
  processCpu,
  procUsage,
  publishEvents,
  ratio,
  type ReceiverMode,
  setupTenants,
  startReceiver,
  waitForDeliveries,
} from './harness.js';
import { measureLimits } from './limit.js';
import { type BenchContext, percentiles, type ScenarioResult } from './util.js';

export interface DeliveryRun {
  events: number;
  expected: number;
  delivered: number;
  seconds: number;
  rate: number;
  latencies: number[];
  /** When the event of each latency was published (same order), and when publishing started. */
  published: number[];
  started: number;
  cpuSeconds: number;
  cpuMsPerDelivery: number;
  /**
   * CPU-ms per delivery of every process on the machine that took part, the measured one included:
   * the sum is what one delivery costs the whole two-core box (its ceiling is 2,000 / sum per second).
   */
  machine: { dispatcher: number; api: number; broker: number; postgres: number; receiver: number; publisher: number; total: number };
  peakRssMb: number;
  /** Warnings the measured process logged that a delivery was parked at its webhook's concurrency cap (a burst's cost, see deliverer.ts). */
  parked: number;
}

export interface RunOptions {
  events: number;
  db: string;
  hangShare?: number;
  ratePerSec?: number;
  /** 100 unless told. */
  tenants?: number;
  receiver?: ReceiverMode;
  /** One RIFT_ROLE=all process (as `npm start`) instead of an api and a dispatcher process. */
  allInOne?: boolean;
  /** Dispatcher processes in the consumer group (1 unless told); their CPU is added up, their peak RSS is the largest. */
  dispatchers?: number;
}

/**
 * One run of the service against the receiver, deployed as two processes of its own: RIFT_ROLE=api
 * (webhook registration) and RIFT_ROLE=dispatcher (delivery, event store, attempt log; measured), or
 * as one RIFT_ROLE=all process (measured): `tenants` x 2 webhooks (a `hangShare` of tenants
 * hanging), `events` published at full speed or at `ratePerSec`, until every delivery to a healthy
 * webhook arrived.
 */
export async function runDeliveries(opts: RunOptions): Promise<DeliveryRun> {
  const url = await freshDatabase(opts.db);
  const receiver = await startReceiver(opts.receiver);
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const env = baseEnv({ DATABASE_URL: url, RIFT_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', KAFKA_TOPIC_PARTITIONS: '6' });
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const svc = new ServiceProcess({ ...env, RIFT_ROLE: opts.allInOne ? 'all' : 'dispatcher' }, nodeArgs);
  const apiSvc = opts.allInOne ? svc : new ServiceProcess({ ...env, RIFT_ROLE: 'api' });
  const dispatchers = [svc, ...Array.from({ length: (opts.dispatchers ?? 1) - 1 }, () => new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' }, nodeArgs))];
  const parked = () => dispatchers.reduce((n, d) => n + d.output.split('at its concurrency cap').length - 1, 0);
  const usage = () => {
    const u = dispatchers.map((d) => procUsage(d.pid!));
    return { cpuSeconds: u.reduce((a, x) => a + x.cpuSeconds, 0), peakRssMb: Math.max(...u.map((x) => x.peakRssMb)) };
  };
  try {
    await Promise.all([...new Set([apiSvc, ...dispatchers])].map((s) => s.start()));
    const tenants = await setupTenants(apiSvc, env, receiver.port, opts.tenants ?? 100, opts.hangShare ?? 0);
    await sleep(dispatchers.length > 1 ? 5_000 : 500); // several dispatchers: let the group's rebalances settle
    const before = usage();
    const others = () => ({
      ...infraCpu(),
      api: apiSvc === svc ? 0 : processCpu(apiSvc.pid!),
      receiver: processCpu(receiver.pid),
      publisher: process.cpuUsage(),
    });
    const othersBefore = others();
    const started = await publishEvents(prefix, tenants, opts.events, { ratePerSec: opts.ratePerSec });
    let healthyEvents = 0;
    for (let j = 0; j < opts.events; j++) if (tenants[j % tenants.length]!.healthy) healthyEvents++;
    const expected = healthyEvents * 2;
    const s = await waitForDeliveries(receiver, expected);
    const after = usage();
    const othersAfter = others();
    const seconds = Math.max(0.001, ((s.last || Date.now()) - started) / 1000);
    const cpuSeconds = after.cpuSeconds - before.cpuSeconds;
    const per = (cpuS: number) => cpuMsPerDelivery(cpuS, s.count);
    const pub = process.cpuUsage(othersBefore.publisher); // the bench process: publisher and receiver polling
    const machine = {
      dispatcher: per(cpuSeconds),
      api: per(othersAfter.api - othersBefore.api),
      broker: per(othersAfter.broker - othersBefore.broker),
      postgres: per(othersAfter.postgres - othersBefore.postgres),
      receiver: per(othersAfter.receiver - othersBefore.receiver),
      publisher: per((pub.user + pub.system) / 1e6),
      total: 0,
    };
    machine.total = Math.round((machine.dispatcher + machine.api + machine.broker + machine.postgres + machine.receiver + machine.publisher) * 1000) / 1000;
    return {
      events: opts.events,
      expected,
      delivered: s.count,
      seconds: Math.round(seconds * 10) / 10,
      rate: Math.round(s.count / seconds),
      latencies: s.latencies,
      published: s.published,
      started,
      cpuSeconds: Math.round(cpuSeconds * 10) / 10,
      cpuMsPerDelivery: cpuMsPerDelivery(cpuSeconds, s.count),
      machine,
      peakRssMb: after.peakRssMb,
      parked: parked(),
    };
  } finally {
    await Promise.all([...new Set([...dispatchers, apiSvc])].map((s) => s.stop()));
    await receiver.stop();
    // BENCH_SERVICE_LOG=1: the measured process's own output (warnings and errors at LOG_LEVEL=warn), to explain a slow run.
    if (process.env.BENCH_SERVICE_LOG) process.stdout.write(svc.output.slice(-20_000));
  }
}

/** The limit loops of this run (bench/limit.ts), measured once per `npm run bench` and shared. */
async function limits(quick: boolean, ctx: BenchContext) {
  ctx.limits ??= await measureLimits(quick);
  return ctx.limits;
}

export async function throughputScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  const events = quick ? 5_000 : 50_000;
  const run = await runDeliveries({ events, db: 'rift_bench_throughput' });
  ctx.throughput = run;
  // Every core used by the dispatchers: two processes in the consumer group (reported, not the headline).
  const two = await runDeliveries({ events, db: 'rift_bench_throughput', dispatchers: 2 });
  const { axios, https } = await limits(quick, ctx);
  const row = (dispatchers: number, r: DeliveryRun) => {
    const lat = percentiles(r.latencies);
    return {
      dispatchers,
      deliveries: r.delivered,
      seconds: r.seconds,
      deliveries_per_s: r.rate,
      p50_ms: lat.p50,
      p95_ms: lat.p95,
      p99_ms: lat.p99,
      dispatcher_cpu_s: r.cpuSeconds,
      cpu_ms_per_delivery: r.cpuMsPerDelivery,
      dispatcher_peak_rss_mb: r.peakRssMb,
      parked_at_cap: r.parked,
      axios_loop_per_s: axios.rate,
      https_loop_per_s: https.rate,
      axios_loop_cpu_ms: axios.cpuMsPerRequest,
      https_loop_cpu_ms: https.cpuMsPerRequest,
      // What one delivery costs the whole machine (every process that took part), beside what one
      // request of the axios loop costs it (loop + receiver).
      machine_cpu_ms_per_delivery: r.machine.total,
      axios_loop_machine_cpu_ms: Math.round((axios.cpuMsPerRequest + (axios.receiverCpuMsPerRequest ?? 0)) * 1000) / 1000,
      pipeline_vs_axios: ratio(r.rate, axios.rate),
      pipeline_vs_https: ratio(r.rate, https.rate),
      target: dispatchers === 1 ? '>= 2,000/s, RSS <= 400 MB' : '- (reported)',
      met: dispatchers === 1 ? r.rate >= 2000 && r.peakRssMb <= 400 && r.delivered === r.expected : '',
    };
  };
  return {
    name: 'throughput',
    title: `Throughput: 100 tenants x 2 webhooks, ${events.toLocaleString('en')} events at full speed (${run.expected.toLocaleString('en')} deliveries), one dispatcher process and two; limits: plain loops, same run`,
    rows: [row(1, run), row(2, two)],
    extra: { machine_cpu_ms_per_delivery: { one_dispatcher: run.machine, two_dispatchers: two.machine } },
  };
}

/** As `npm start` would run it: one RIFT_ROLE=all process, 10 tenants x 2 webhooks, the fast receiver. */
export async function allInOneScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  const events = quick ? 5_000 : 50_000;
  const run = await runDeliveries({ events, tenants: 10, allInOne: true, db: 'rift_bench_all_in_one' });
  const { axios, https } = await limits(quick, ctx);
  const lat = percentiles(run.latencies);
  return {
    name: 'all-in-one',
    title: `All in one: RIFT_ROLE=all (as npm start), 10 tenants x 2 webhooks, ${events.toLocaleString('en')} events at full speed (${run.expected.toLocaleString('en')} deliveries)`,
    rows: [
      {
        deliveries: run.delivered,
        seconds: run.seconds,
        deliveries_per_s: run.rate,
        p50_ms: lat.p50,
        p99_ms: lat.p99,
        service_cpu_s: run.cpuSeconds,
        cpu_ms_per_delivery: run.cpuMsPerDelivery,
        service_peak_rss_mb: run.peakRssMb,
        pipeline_vs_axios: ratio(run.rate, axios.rate),
        pipeline_vs_https: ratio(run.rate, https.rate),
        met: run.delivered === run.expected,
      },
    ],
  };
}

export async function isolationScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  const events = quick ? 5_000 : 50_000;
  const base = ctx.throughput ?? (await runDeliveries({ events, db: 'rift_bench_throughput' }));
  const run = await runDeliveries({ events, hangShare: 0.1, db: 'rift_bench_isolation' });
  ctx.isolation = run;
  const b = percentiles(base.latencies);
  const l = percentiles(run.latencies);
  const rateRatio = Math.round((run.rate / base.rate) * 100) / 100;
  const p99Ratio = Math.round((l.p99 / Math.max(1, b.p99)) * 100) / 100;
  return {
    name: 'isolation',
    title: `Isolation: as throughput, with 10% of webhooks hanging until the 10 s timeout (healthy webhooks measured)`,
    rows: [
      {
        run: 'throughput (all healthy)',
        deliveries: base.delivered,
        deliveries_per_s: base.rate,
        p50_ms: b.p50,
        p99_ms: b.p99,
        rate_vs_throughput: 1,
        p99_vs_throughput: 1,
        target: '',
        met: '',
      },
      {
        run: '10% hanging',
        deliveries: run.delivered,
        deliveries_per_s: run.rate,
        p50_ms: l.p50,
        p99_ms: l.p99,
        rate_vs_throughput: rateRatio,
        p99_vs_throughput: p99Ratio,
        target: 'rate >= 0.8x, p99 <= 2x',
        met: rateRatio >= 0.8 && p99Ratio <= 2 && run.delivered === run.expected,
      },
    ],
  };
}

/**
 * The first seconds after a dispatcher starts are slower than the rest: cold code (not yet
 * optimised by V8), the webhook directory's cache empty, and a TLS handshake per new connection to
 * the receiver. At an offered 1,000 deliveries/s a backlog forms during them and drains within about
 * 2.5 s (the quick runs of 2026-11-27: deliveries of events published after that took 11-30 ms at
 * most). The latency scenario reports the whole window and, separately, the events published
 * after the first COLD_START_MS, which is what a running service's endpoints see.
 */
const COLD_START_MS = 5_000;

export async function latencyScenario(quick: boolean): Promise<ScenarioResult> {
  const seconds = quick ? 10 : 60;
  // As the bench deploys it (an api and a dispatcher process, 100 tenants), and as `npm start` runs it (one RIFT_ROLE=all process, 10 tenants).
  const runs = [
    { setup: 'dispatcher + api, 100 tenants', run: await runDeliveries({ events: 500 * seconds, ratePerSec: 500, db: 'rift_bench_latency' }) },
    {
      setup: 'RIFT_ROLE=all (npm start), 10 tenants',
      run: await runDeliveries({ events: 500 * seconds, ratePerSec: 500, tenants: 10, allInOne: true, db: 'rift_bench_latency_all' }),
    },
  ];
  const windows = (run: DeliveryRun) => [
    { window: `all ${seconds} s (cold start included)`, latencies: run.latencies, judged: false },
    {
      window: `events published after the first ${COLD_START_MS / 1000} s`,
      latencies: run.latencies.filter((_, i) => run.published[i]! >= run.started + COLD_START_MS),
      judged: true,
    },
  ];
  return {
    name: 'latency',
    title: `Latency at an offered 500 events/s for ${seconds} s${quick ? ' (quick: the full run holds it 60 s)' : ''} (1,000 deliveries/s), publish to receiver; the dispatcher starts just before`,
    rows: runs.flatMap(({ setup, run }) =>
      windows(run).map(({ window, latencies, judged }) => {
        const lat = percentiles(latencies);
        return {
          setup,
          window,
          deliveries: latencies.length,
          deliveries_per_s: run.rate,
          p50_ms: lat.p50,
          p95_ms: lat.p95,
          p99_ms: lat.p99,
          max_ms: lat.max,
          cpu_ms_per_delivery: run.cpuMsPerDelivery,
          peak_rss_mb: run.peakRssMb,
          target: judged ? 'p95 <= 100 ms, p99 <= 250 ms' : '- (reported)',
          met: judged ? lat.p95 <= 100 && lat.p99 <= 250 && run.delivered === run.expected : '',
        };
      }),
    ),
  };
}
