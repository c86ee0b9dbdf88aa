import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { createTenant, registerWebhook } from './support/fixtures.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, freePort, KAFKA_BROKERS, ROOT, ServiceProcess, uniquePrefix } from './support/service.js';
import { waitFor } from './support/wait-for.js';

const installed = spawnSync('prometheus', ['--version']).status === 0;
if (!installed && process.env.CI === 'true') throw new Error('prometheus is not installed: scripts/ensure-prometheus.sh should have installed it');
const describeIfPrometheus = installed ? describe : describe.skip;

type Vector = { metric: Record<string, string>; value: [number, string] }[];

/** A real Prometheus server (Debian's package) scraping the service every second. */
describeIfPrometheus("monitoring: a real Prometheus scrapes the service; the Grafana dashboard's queries run", () => {
  const prefix = uniquePrefix('mon');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let prom: ChildProcess;
  let promUrl: string;
  let dir: string;
  let promLog = '';

  const query = async (expr: string): Promise<{ status: string; data?: { resultType: string; result: Vector }; error?: string }> =>
    (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json() as never;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    const env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, WEBHOOK_RETRY_SCHEDULE: '0,0.2' });
    svc = await new ServiceProcess(env).start();
    const t = createTenant(env);
    await registerWebhook(svc, t.api_key, receiver.url('/ok'), ['click']);
    await registerWebhook(svc, t.api_key, receiver.url('/down'), ['click']);
    receiver.script('/down', () => ({ status: 503 }));
    const publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix });
    for (let i = 0; i < 20; i++) await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'm', timestamp: new Date().toISOString() });
    await publisher.close();
    await waitFor(() => receiver.on('/ok').length === 20 && receiver.on('/down').length === 40, { what: 'deliveries and failures', timeoutMs: 30_000 });

    dir = mkdtempSync(path.join(tmpdir(), 'rift-prom-'));
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: rift',
        '    static_configs:',
        `      - targets: ["127.0.0.1:${svc.port}"]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn(
      'prometheus',
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prom.stdout!.on('data', (d: Buffer) => (promLog += d.toString()));
    prom.stderr!.on('data', (d: Buffer) => (promLog += d.toString()));
    await waitFor(async () => (await fetch(`${promUrl}/-/ready`)).ok, { what: `Prometheus to be ready\n${promLog.slice(-1000)}`, timeoutMs: 30_000 });
  }, 120_000);

  afterAll(async () => {
    prom?.kill('SIGTERM');
    await svc?.stop();
    await receiver?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes /metrics: the target is up, PromQL returns consumer lag per partition and the delivery counters', async () => {
    const up = await waitFor(
      async () => {
        const r = await query('up{job="rift"}');
        return r.data?.result[0]?.value[1] === '1' ? r : undefined;
      },
      { what: 'the rift target to be up', timeoutMs: 30_000 },
    );
    expect(up.status).toBe('success');

    const lag = await waitFor(
      async () => {
        const r = await query(`rift_kafka_consumer_lag{group="${prefix}-dispatcher"}`);
        return (r.data?.result.length ?? 0) > 0 ? r.data!.result : undefined;
      },
      { what: 'lag series', timeoutMs: 30_000 },
    );
    expect(new Set(lag.map((s) => s.metric.topic))).toEqual(new Set([`${prefix}.events.click`, `${prefix}.events.attribution`, `${prefix}.events.conversion`]));
    expect(lag.every((s) => /^\d+$/.test(s.metric.partition!))).toBe(true);
    const total = await waitFor(
      async () => {
        const r = await query(`sum(rift_kafka_consumer_lag{group="${prefix}-dispatcher"})`);
        return r.data?.result[0]?.value[1] === '0' ? r : undefined;
      },
      { what: 'lag 0 after the run', timeoutMs: 30_000 },
    );
    expect(total.status).toBe('success');

    const delivered = await query('sum(rift_deliveries_total{event_type="click",outcome="delivered"})');
    expect(Number(delivered.data!.result[0]!.value[1])).toBe(20);
    const dead = await query('sum(rift_deliveries_total{outcome="dead_lettered"})');
    expect(Number(dead.data!.result[0]!.value[1])).toBe(20);
    const failedFirst = await query('sum(rift_delivery_attempts_total{tier="first",result="failed"})');
    expect(Number(failedFirst.data!.result[0]!.value[1])).toBe(20);
    const dlq = await waitFor(
      async () => {
        const r = await query('max(rift_dlq_messages)');
        return r.data?.result[0]?.value[1] === '20' ? r : undefined;
      },
      { what: 'DLQ size 20', timeoutMs: 20_000 },
    );
    expect(dlq.status).toBe('success');
  });

  it('runs every query of the Grafana dashboard without error, and the key panels have data', async () => {
    const dash = JSON.parse(readFileSync(path.join(ROOT, 'infra/monitoring/grafana/dashboards/rift-webhooks.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = dash.panels.flatMap((p) => p.targets.map((t) => ({ title: p.title, expr: t.expr })));
    expect(exprs.length).toBeGreaterThanOrEqual(10);
    const results = await Promise.all(exprs.map(async (e) => ({ ...e, r: await query(e.expr) })));
    for (const { title, expr, r } of results)
      expect({ title, expr, status: r.status, error: r.error }).toEqual({ title, expr, status: 'success', error: undefined });
    const withData = (title: string) => results.filter((x) => x.title === title).some((x) => (x.r.data?.result.length ?? 0) > 0);
    for (const title of ['Consumer lag (all groups)', 'Consumer lag by group', 'DLQ size', 'In flight'])
      expect([title, withData(title)]).toEqual([title, true]);
  });
});
