// Retry timing: every webhook fails (500) under the default schedule 0,1,5,25 s. Each retry is due
// at its own time: the tier's delay plus up to 10 % jitter (next-step.ts), recorded as the job's
// `due_at` on the tier topic. Lateness is when the receiver saw attempt n minus the due_at of the
// job that made it (same machine, same clock); a negative value would mean a tier fired early.
// The jitter each job drew (its `jitter_ms`) is reported beside it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freshDatabase } from '../test/support/database.js';
import { readTopic } from '../test/support/fixtures.js';
import { baseEnv, ServiceProcess } from '../test/support/service.js';
import { sleep } from '../test/support/wait-for.js';
import { publishEvents, setupTenants, startReceiver } from './harness.js';
import { percentiles, type ScenarioResult } from './util.js';

const SCHEDULE = [0, 1, 5, 25];
const RATE = 100;

export async function retryTimingScenario(quick: boolean): Promise<ScenarioResult> {
  const events = quick ? 200 : 2_000;
  const url = await freshDatabase('rift_bench_retry');
  const receiver = await startReceiver();
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const env = baseEnv({ DATABASE_URL: url, RIFT_TOPIC_PREFIX: prefix, RIFT_ROLE: 'all', LOG_LEVEL: 'error', WEBHOOK_RETRY_SCHEDULE: SCHEDULE.join(',') });
  const svc = await new ServiceProcess(env).start();
  try {
    const tenants = await setupTenants(svc, env, receiver.port, quick ? 20 : 100, 0, 'fail');
    await sleep(500);
    // A steady 100 failing events/s (200 deliveries/s): this measures when tiers fire, not how fast
    // a burst of thousands of simultaneous failures can be retried.
    await publishEvents(prefix, tenants, events, RATE);
    const expected = events * 2 * SCHEDULE.length;
    const deadline = Date.now() + 300_000;
    let failures = await receiver.failures();
    while (failures.length < expected && Date.now() < deadline) {
      await sleep(500);
      failures = await receiver.failures();
    }
    const jobs = await dueTimes(url, prefix);
    const late: number[][] = SCHEDULE.map(() => []);
    const jitter: number[][] = SCHEDULE.map(() => []);
    for (const f of failures) {
      const job = jobs.get(`${f.event} ${f.attempt}`);
      if (f.attempt < 2 || !job) continue;
      late[f.attempt - 1]!.push(f.at - job.dueAt);
      jitter[f.attempt - 1]!.push(job.jitterMs);
    }
    const rows = SCHEDULE.slice(1).map((delay, i) => {
      const l = late[i + 1]!;
      const p = percentiles(l);
      const j = percentiles(jitter[i + 1]!);
      const min = l.length ? Math.min(...l) : 0;
      return {
        tier: `${delay}s`,
        attempts: l.length,
        min_late_ms: min,
        p50_late_ms: p.p50,
        p99_late_ms: p.p99,
        max_late_ms: p.max,
        jitter_p50_ms: j.p50,
        jitter_max_ms: j.max,
        jitter_max_share: Math.round((j.max / (delay * 1000)) * 1000) / 1000,
        target: 'p99 <= 500 ms after its own due time, never early; jitter <= 10 %',
        met: p.p99 <= 500 && min >= 0 && j.max <= delay * 100,
      };
    });
    return {
      name: 'retry-timing',
      title: `Retry timing: ${(events * 2).toLocaleString('en')} failing deliveries (${RATE} events/s), schedule ${SCHEDULE.join(',')} s (arrival minus each job's own jittered due time)`,
      rows,
    };
  } finally {
    await svc.stop();
    await receiver.stop();
  }
}

/**
 * Every retry job on the tier topics, by "<event id> <receiver path> <attempt it makes>": its due
 * time and the jitter it drew. A deferred job is written again with a later due_at; the last one is
 * the one that fired.
 */
async function dueTimes(databaseUrl: string, prefix: string): Promise<Map<string, { dueAt: number; jitterMs: number }>> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const paths = new Map((await db.query<{ id: string; url: string }>('SELECT id, url FROM webhooks')).rows.map((w) => [w.id, new URL(w.url).pathname]));
  await db.end();
  const out = new Map<string, { dueAt: number; jitterMs: number }>();
  for (const delay of SCHEDULE.slice(1)) {
    for (const m of await readTopic(`${prefix}.webhooks.retry.${delay}s`, { settleMs: 2_000 })) {
      const job = JSON.parse(m.value!.toString()) as { event_id: string; webhook_id: string; attempts: number; due_at: number; jitter_ms?: number };
      const key = `${job.event_id} ${paths.get(job.webhook_id)} ${job.attempts + 1}`;
      if ((out.get(key)?.dueAt ?? 0) > job.due_at) continue;
      out.set(key, { dueAt: job.due_at, jitterMs: job.jitter_ms ?? 0 });
    }
  }
  return out;
}
