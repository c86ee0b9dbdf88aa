// Stats at size: GET /v1/links/{link_id}/stats for a link with 1,000,000 stored events (100,000
// with --quick). Events are written through the event store's own batch statement (so the rollup is
// the one production maintains), then the real service answers over HTTP.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { EventStore, type EventRow } from '../src/events/event-store.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { freshDatabase } from '../test/support/database.js';
import { createTenant } from '../test/support/fixtures.js';
import { baseEnv, ServiceProcess } from '../test/support/service.js';
import { percentiles, type ScenarioResult } from './util.js';

export async function statsScenario(quick: boolean, _ctx?: unknown): Promise<ScenarioResult> {
  const total = quick ? 100_000 : 1_000_000;
  const url = await freshDatabase('rift_bench_stats');
  const env = baseEnv({ DATABASE_URL: url, RIFT_TOPIC_PREFIX: `bench${randomBytes(3).toString('hex')}`, RIFT_ROLE: 'api', LOG_LEVEL: 'warn' });
  const tenant = createTenant(env, 'bench');

  const prisma = new PrismaService(loadConfig(env));
  const store = new EventStore(prisma);
  const seedStart = performance.now();
  const start = Date.UTC(2026, 0, 1);
  const span = 90 * 86_400_000;
  const batch = 5_000;
  for (let i = 0; i < total; i += batch) {
    const rows: EventRow[] = [];
    for (let j = i; j < Math.min(total, i + batch); j++) {
      const kind = j % 10;
      const type = kind < 7 ? 'click' : kind < 9 ? 'attribution' : 'conversion';
      const occurredAt = new Date(start + Math.floor((j / total) * span)).toISOString();
      const id = j.toString(16).padStart(24, '0');
      const revenue = type === 'conversion' && j % 20 === 9;
      rows.push({
        tenantId: tenant.tenant_id,
        id,
        type,
        linkId: 'summer-sale',
        conversionType: type === 'conversion' ? (revenue ? 'deposit' : 'signup') : null,
        amountCents: revenue ? 1000 : null,
        currency: revenue ? (j % 40 === 9 ? 'usd' : 'eur') : null,
        occurredAt,
        data: { tenant_id: tenant.tenant_id, link_id: 'summer-sale', timestamp: occurredAt },
      });
    }
    await store.insertBatch(rows);
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  await prisma.$disconnect();
  const pgc = new pg.Client({ connectionString: url });
  await pgc.connect();
  await pgc.query('VACUUM ANALYZE events');
  await pgc.query('VACUUM ANALYZE link_stats_hourly');
  await pgc.end();

  const svc = await new ServiceProcess(env).start();
  const time = async (path: string, n: number) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await fetch(`${svc.url}${path}`, { headers: { authorization: `Bearer ${tenant.api_key}` } });
      const body = (await r.json()) as { clicks: number; attributions: number; conversions: number };
      ms.push(performance.now() - t0);
      if (i === 0 && path.endsWith('/stats') && body.clicks + body.attributions + body.conversions !== total)
        throw new Error(`stats counted ${JSON.stringify(body)}, expected ${total}`);
    }
    return percentiles(ms.slice(Math.min(5, n - 1)));
  };
  const n = quick ? 50 : 300;
  const whole = await time('/v1/links/summer-sale/stats', n);
  const bounded = await time('/v1/links/summer-sale/stats?from=2026-01-10T07:31:00Z&to=2026-02-20T16:45:00Z', n);
  await svc.stop();
  return {
    name: 'stats',
    title: `Stats at size: one link with ${total.toLocaleString('en')} stored events (HTTP, sequential requests)`,
    rows: [
      { query: 'GET /v1/links/{id}/stats', p50_ms: whole.p50, p99_ms: whole.p99, max_ms: whole.max, target: 'p99 < 50 ms', met: whole.p99 < 50 },
      { query: '... ?from&to (cuts through hours)', p50_ms: bounded.p50, p99_ms: bounded.p99, max_ms: bounded.max, target: '-', met: true },
    ],
    extra: { events: total, seed_seconds: Math.round(seedSeconds), seed_events_per_s: Math.round(total / seedSeconds) },
  };
}
