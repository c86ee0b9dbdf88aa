// Retry timing: every webhook fails (500) under the default schedule 0,1,5,25 s. For each delivery,
// the gap between the receiver seeing attempt n-1 and attempt n, minus the tier's nominal delay, is
// how late the tier fired (an upper bound: it includes the 500's way back to the dispatcher). A
// negative value would mean a tier fired early.
import { randomBytes } from 'node:crypto';
import { freshDatabase } from '../test/support/database.js';
import { baseEnv, ServiceProcess } from '../test/support/service.js';
import { sleep } from '../test/support/wait-for.js';
import { publishEvents, setupTenants, startReceiver } from './throughput.js';
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
    // Attempts by delivery (event id and webhook path).
    const byEvent = new Map<string, { attempt: number; at: number }[]>();
    for (const f of failures) {
      if (!byEvent.has(f.event)) byEvent.set(f.event, []);
      byEvent.get(f.event)!.push(f);
    }
    const late: number[][] = SCHEDULE.map(() => []);
    for (const attempts of byEvent.values()) {
      const at = (n: number) => attempts.filter((a) => a.attempt === n).map((a) => a.at).sort((x, y) => x - y);
      for (let n = 2; n <= SCHEDULE.length; n++) {
        const prev = at(n - 1);
        const cur = at(n);
        cur.forEach((t, i) => prev[i] !== undefined && late[n - 1]!.push(t - prev[i]! - SCHEDULE[n - 1]! * 1000));
      }
    }
    const rows = SCHEDULE.slice(1).map((delay, i) => {
      const l = late[i + 1]!;
      const p = percentiles(l);
      const min = l.length ? Math.min(...l) : 0;
      return { tier: `${delay}s`, attempts: l.length, min_late_ms: min, p50_late_ms: p.p50, p99_late_ms: p.p99, max_late_ms: p.max, target: 'p99 <= 500 ms, never early', met: p.p99 <= 500 && min >= 0 };
    });
    return { name: 'retry-timing', title: `Retry timing: ${(events * 2).toLocaleString('en')} failing deliveries (${RATE} events/s), schedule ${SCHEDULE.join(',')} s (receiver-side gaps minus nominal delay)`, rows };
  } finally {
    await svc.stop();
    await receiver.stop();
  }
}
