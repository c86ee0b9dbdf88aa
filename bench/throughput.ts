// Throughput: 100 tenants x 2 webhooks, events of mixed types published at full speed, delivered by
// the service (RIFT_ROLE=all, its own process) to a receiver in another process. Reports deliveries
// per second, end-to-end latency (publish to receiver), and the service's RSS and CPU.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { freshDatabase } from '../test/support/database.js';
import { loadConfig } from '../src/config/config.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { TenantsService } from '../src/tenants/tenants.service.js';
import { registerWebhook } from '../test/support/fixtures.js';
import { baseEnv, KAFKA_BROKERS, ServiceProcess } from '../test/support/service.js';
import { testPki } from '../test/support/tls.js';
import { sleep } from '../test/support/wait-for.js';
import { type BenchContext, percentiles, type ScenarioResult } from './util.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Receiver {
  port: number;
  stats(): Promise<{ count: number; first: number; last: number; latencies: number[] }>;
  failures(): Promise<{ event: string; attempt: number; at: number }[]>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  testPki(); // before the fork: the receiver inherits RIFT_TEST_PKI_DIR and serves the CA the service trusts
  const child: ChildProcess = fork(path.join(here, 'receiver.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const ask = <T>(cmd: string) => new Promise<T>((resolve) => (child.once('message', (m) => resolve(m as T)), child.send({ cmd })));
  return {
    port,
    stats: () => ask('stats'),
    failures: async () => (await ask<{ failures: { event: string; attempt: number; at: number }[] }>('failures')).failures,
    reset: async () => void (await ask('reset')),
    stop: async () => void (child.send({ cmd: 'stop' }), await new Promise((r) => child.once('exit', r))),
  };
}

/** CPU seconds (user + system) and peak RSS of a process, from /proc. */
export function procUsage(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuSeconds: ticks / 100, peakRssMb: Math.round(Number(hwm ?? 0) / 1024) };
}

/** `hangShare` of the tenants get webhooks that hang (until the 10 s timeout); `path` overrides the healthy path prefix. */
export async function setupTenants(svc: ServiceProcess, env: NodeJS.ProcessEnv, receiverPort: number, tenants: number, hangShare = 0, path = 'ok') {
  const out: { tenant_id: string; healthy: boolean }[] = [];
  const prisma = new PrismaService(loadConfig(env));
  const tenantsService = new TenantsService(prisma);
  for (let i = 0; i < tenants; i++) {
    const t = await tenantsService.createTenant(`bench-${i}`);
    const hang = i < Math.round(tenants * hangShare);
    for (let w = 0; w < 2; w++) {
      await registerWebhook(svc, t.api_key, `https://localhost:${receiverPort}/${hang ? 'hang' : path}/${t.tenant_id}/${w}`, [
        'click',
        'attribution',
        'conversion',
      ]);
    }
    out.push({ tenant_id: t.tenant_id, healthy: !hang });
  }
  await prisma.$disconnect();
  return out;
}

/** Publishes n events round-robin over the tenants, in batches of 500, as fast as Kafka takes them. */
export async function publishEvents(prefix: string, tenants: { tenant_id: string }[], n: number, ratePerSec?: number): Promise<number> {
  const { Kafka, Partitioners, logLevel } = kafkajs;
  const kafka = new Kafka({ clientId: 'rift-bench', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const types = ['click', 'attribution', 'conversion'] as const;
  const started = Date.now();
  const chunk = ratePerSec ? Math.max(1, Math.round(ratePerSec / 20)) : 500;
  for (let i = 0; i < n; i += chunk) {
    if (ratePerSec) {
      const due = started + (i / ratePerSec) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (let j = i; j < Math.min(n, i + chunk); j++) {
      const t = tenants[j % tenants.length]!;
      const type = types[j % 3]!;
      const base = { event_id: randomBytes(12).toString('hex'), tenant_id: t.tenant_id, link_id: `link-${j % 50}`, timestamp: new Date().toISOString() };
      const data =
        type === 'click'
          ? { ...base, platform: 'ios', user_agent: 'Mozilla/5.0', referer: 'https://twitter.com' }
          : type === 'attribution'
            ? { ...base, install_id: `device-${j}`, app_version: '1.2.0' }
            : { ...base, conversion_type: 'deposit', user_id: `usr_${j}`, amount_cents: 1000, currency: 'usd' };
      const topic = `${prefix}.events.${type}`;
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      byTopic.get(topic)!.push({ key: t.tenant_id, value: JSON.stringify(data) });
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
  await producer.disconnect();
  return started;
}

export interface DeliveryRun {
  events: number;
  expected: number;
  delivered: number;
  seconds: number;
  rate: number;
  latencies: number[];
  cpuSeconds: number;
  peakRssMb: number;
}

/**
 * One run of the service against the receiver, deployed as two processes of its own: RIFT_ROLE=api
 * (webhook registration) and RIFT_ROLE=dispatcher (delivery, event store, attempt log; measured): 100 tenants x 2
 * webhooks (a `hangShare` of tenants hanging), `events` published at full speed or at `ratePerSec`,
 * until every delivery to a healthy webhook arrived.
 */
export async function runDeliveries(opts: { events: number; hangShare?: number; ratePerSec?: number; db: string }): Promise<DeliveryRun> {
  const url = await freshDatabase(opts.db);
  const receiver = await startReceiver();
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const env = baseEnv({ DATABASE_URL: url, RIFT_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', KAFKA_TOPIC_PARTITIONS: '6' });
  const apiSvc = new ServiceProcess({ ...env, RIFT_ROLE: 'api' });
  const svc = new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' }, (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean));
  try {
    await Promise.all([apiSvc.start(), svc.start()]);
    const tenants = await setupTenants(apiSvc, env, receiver.port, 100, opts.hangShare ?? 0);
    await sleep(500);
    const before = procUsage(svc.pid!);
    const started = await publishEvents(prefix, tenants, opts.events, opts.ratePerSec);
    let healthyEvents = 0;
    for (let j = 0; j < opts.events; j++) if (tenants[j % tenants.length]!.healthy) healthyEvents++;
    const expected = healthyEvents * 2;
    const deadline = Date.now() + 600_000;
    let s = await receiver.stats();
    while (s.count < expected && Date.now() < deadline) {
      await sleep(250);
      s = await receiver.stats();
    }
    const after = procUsage(svc.pid!);
    const seconds = Math.max(0.001, ((s.last || Date.now()) - started) / 1000);
    return {
      events: opts.events,
      expected,
      delivered: s.count,
      seconds: Math.round(seconds * 10) / 10,
      rate: Math.round(s.count / seconds),
      latencies: s.latencies,
      cpuSeconds: Math.round((after.cpuSeconds - before.cpuSeconds) * 10) / 10,
      peakRssMb: after.peakRssMb,
    };
  } finally {
    await Promise.all([svc.stop(), apiSvc.stop()]);
    await receiver.stop();
  }
}

export async function throughputScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  const events = quick ? 5_000 : 50_000;
  const run = await runDeliveries({ events, db: 'rift_bench_throughput' });
  ctx.throughput = run;
  const lat = percentiles(run.latencies);
  return {
    name: 'throughput',
    title: `Throughput: 100 tenants x 2 webhooks, ${events.toLocaleString('en')} events at full speed (${run.expected.toLocaleString('en')} deliveries)`,
    rows: [
      {
        deliveries: run.delivered,
        seconds: run.seconds,
        deliveries_per_s: run.rate,
        p50_ms: lat.p50,
        p95_ms: lat.p95,
        p99_ms: lat.p99,
        dispatcher_cpu_s: run.cpuSeconds,
        dispatcher_peak_rss_mb: run.peakRssMb,
        target: '>= 2,000/s, RSS <= 400 MB',
        met: run.rate >= 2000 && run.peakRssMb <= 400 && run.delivered === run.expected,
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

export async function latencyScenario(quick: boolean): Promise<ScenarioResult> {
  const seconds = quick ? 10 : 60;
  const run = await runDeliveries({ events: 500 * seconds, ratePerSec: 500, db: 'rift_bench_latency' });
  const lat = percentiles(run.latencies);
  return {
    name: 'latency',
    title: `Latency at an offered 500 events/s for ${seconds} s (1,000 deliveries/s), publish to receiver`,
    rows: [
      {
        deliveries: run.delivered,
        deliveries_per_s: run.rate,
        p50_ms: lat.p50,
        p95_ms: lat.p95,
        p99_ms: lat.p99,
        max_ms: lat.max,
        target: 'p99 <= 250 ms',
        met: lat.p99 <= 250 && run.delivered === run.expected,
      },
    ],
  };
}
