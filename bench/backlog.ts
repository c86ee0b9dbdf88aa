// Backlog: N events (1,000,000; 50,000 with --quick) published while no dispatcher runs, then one
// RIFT_ROLE=dispatcher process started cold. Measures its peak RSS while it works the backlog off
// (the kernel's VmHWM, and VmRSS sampled every 500 ms), and the time from its start to the last
// delivery. No heap flags: the process runs as deployed.
import { randomBytes } from 'node:crypto';
import { freshDatabase } from '../test/support/database.js';
import { baseEnv, ServiceProcess } from '../test/support/service.js';
import { cpuMsPerDelivery, deleteTopics, procUsage, publishEvents, sampleRss, setupTenants, startReceiver, waitForDeliveries } from './harness.js';
import { percentiles, type ScenarioResult } from './util.js';

export async function backlogScenario(quick: boolean): Promise<ScenarioResult> {
  const events = quick ? 50_000 : 1_000_000;
  const url = await freshDatabase('rift_bench_backlog');
  const receiver = await startReceiver();
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const env = baseEnv({ DATABASE_URL: url, RIFT_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', KAFKA_TOPIC_PARTITIONS: '6' });
  const api = new ServiceProcess({ ...env, RIFT_ROLE: 'api' }); // creates the topics and registers the webhooks
  const svc = new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' });
  try {
    await api.start();
    const tenants = await setupTenants(api, env, receiver.port, 100);
    await api.stop();
    const publishStarted = Date.now();
    await publishEvents(prefix, tenants, events);
    const publishSeconds = (Date.now() - publishStarted) / 1000;
    const started = Date.now();
    await svc.start({ waitReady: false });
    const rss = sampleRss(svc.pid!);
    const s = await waitForDeliveries(receiver, events * 2, 3_600_000);
    const usage = procUsage(svc.pid!);
    const sampled = rss.stop();
    const drainSeconds = Math.max(0.001, ((s.last || Date.now()) - started) / 1000);
    const lat = percentiles(s.latencies);
    return {
      name: 'backlog',
      title: `Backlog: ${events.toLocaleString('en')} events (${(events * 2).toLocaleString('en')} deliveries, 100 tenants x 2 webhooks) published with no dispatcher running, then one dispatcher started cold`,
      rows: [
        {
          deliveries: s.count,
          publish_s: Math.round(publishSeconds),
          drain_s: Math.round(drainSeconds * 10) / 10,
          deliveries_per_s: Math.round(s.count / drainSeconds),
          peak_rss_mb: usage.peakRssMb,
          sampled_peak_rss_mb: sampled.peakMb,
          rss_at_end_mb: sampled.lastMb,
          cpu_ms_per_delivery: cpuMsPerDelivery(usage.cpuSeconds, s.count),
          max_wait_s: Math.round(lat.max / 100) / 10,
          target: 'peak RSS <= 350 MB',
          met: usage.peakRssMb <= 350 && s.count >= events * 2,
        },
      ],
      extra: {
        note: 'drain_s: from the dispatcher process spawn to the last delivery (startup included); CPU is the process total, startup and event store included',
      },
    };
  } finally {
    await svc.stop();
    await api.stop();
    await receiver.stop();
    await deleteTopics(prefix);
  }
}
