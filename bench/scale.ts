// How cost grows: one RIFT_ROLE=dispatcher process (measured) per row, tenants and webhooks seeded
// straight into PostgreSQL (2 webhooks each, events spread evenly over the tenants), the fast
// receiver, conversions padded through metadata to a body size. Rows: 10, 100, 1,000 and 10,000
// tenants with 300 B bodies; 100 tenants with 4 KB and 60 KB bodies; 100 tenants with 100,000 jobs
// waiting in the 25 s retry tier (due after the measurement). Per row: deliveries/s, dispatcher
// CPU-ms per delivery, peak RSS, and what PostgreSQL saw.
import { randomBytes } from 'node:crypto';
import { freshDatabase } from '../test/support/database.js';
import { baseEnv, ServiceProcess } from '../test/support/service.js';
import { sleep } from '../test/support/wait-for.js';
import { cpuMsPerDelivery, deleteTopics, procUsage, publishEvents, startReceiver, waitForDeliveries } from './harness.js';
import { dbCounters, publishTierJobs, seedTenants } from './seed.js';
import { percentiles, type ScenarioResult } from './util.js';

interface Row {
  label: string;
  tenants: number;
  events: number;
  bodyBytes: number;
  tierJobs?: number;
}

const DB = 'rift_bench_scale';

async function measure(row: Row): Promise<Record<string, string | number | boolean>> {
  const rowStarted = Date.now();
  const url = await freshDatabase(DB);
  const receiver = await startReceiver();
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const env = baseEnv({ DATABASE_URL: url, RIFT_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', KAFKA_TOPIC_PARTITIONS: '6' });
  const svc = new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' });
  try {
    const tenants = await seedTenants(env, receiver.port, row.tenants);
    await svc.start(); // ready once its topics exist
    if (row.tierJobs) await publishTierJobs(`${prefix}.webhooks.retry.25s`, tenants, row.tierJobs, 30 * 60_000);
    await sleep(1_000);
    const db0 = await dbCounters(url, DB);
    const before = procUsage(svc.pid!);
    const started = await publishEvents(prefix, tenants, row.events, { bodyBytes: row.bodyBytes });
    const s = await waitForDeliveries(receiver, row.events * 2);
    const after = procUsage(svc.pid!);
    const seconds = Math.max(0.001, ((s.last || Date.now()) - started) / 1000);
    // PostgreSQL publishes a backend's counters when it goes idle (at most once a second) or exits:
    // stopping the service flushes them all.
    await svc.stop();
    await sleep(1_000);
    const db1 = await dbCounters(url, DB);
    const lat = percentiles(s.latencies);
    const cpu = after.cpuSeconds - before.cpuSeconds;
    return {
      row: row.label,
      tenants: row.tenants,
      body_bytes: row.bodyBytes,
      deliveries: s.count,
      deliveries_per_s: Math.round(s.count / seconds),
      p99_ms: lat.p99,
      cpu_ms_per_delivery: cpuMsPerDelivery(cpu, s.count),
      peak_rss_mb: after.peakRssMb,
      tenants_reads_per_s: Math.round(((db1.tenantReads - db0.tenantReads) / seconds) * 10) / 10,
      db_xacts_per_s: Math.round(((db1.xacts - db0.xacts) / seconds) * 10) / 10,
      row_wall_s: Math.round((Date.now() - rowStarted) / 1000),
      met: s.count === row.events * 2,
    };
  } finally {
    await svc.stop();
    await receiver.stop();
    await deleteTopics(prefix);
  }
}

export async function scaleScenario(quick: boolean): Promise<ScenarioResult> {
  // Quick: small counts, so the scenario takes a few minutes; the 10,000-tenant row gets one event
  // per tenant at least (every event then misses the directory's cache); the 60 KB row publishes a
  // quarter (it is 200 times the bytes).
  const n = quick ? 3_000 : 40_000;
  const rows: Row[] = [
    { label: '10 tenants', tenants: 10, events: n, bodyBytes: 300 },
    { label: '100 tenants', tenants: 100, events: n, bodyBytes: 300 },
    { label: '1,000 tenants', tenants: 1_000, events: n, bodyBytes: 300 },
    { label: '10,000 tenants', tenants: 10_000, events: quick ? 10_000 : 50_000, bodyBytes: 300 },
    { label: 'body 4 KB', tenants: 100, events: n, bodyBytes: 4_096 },
    { label: 'body 60 KB', tenants: 100, events: n / 4, bodyBytes: 60_000 },
    { label: '100,000 jobs waiting in a retry tier', tenants: 100, events: n, bodyBytes: 300, tierJobs: 100_000 },
  ];
  const out: Record<string, string | number | boolean>[] = [];
  for (const row of rows) out.push(await measure(row));
  return {
    name: 'scale',
    title: 'How cost grows: one dispatcher, 2 webhooks per tenant, conversions at full speed spread evenly over the tenants',
    rows: out,
    extra: {
      events_per_row: Object.fromEntries(rows.map((r) => [r.label, r.events])),
      tenants_reads:
        'reads of the tenants table per s (only the webhook directory reads it in a dispatcher): one per lookup statement planned as a scan of the table; an index scan of an IN list counts one per id (PostgreSQL < 17)',
      db_xacts: 'all committed transactions of the database per s: webhook lookups, event store and attempt log writes',
    },
  };
}
