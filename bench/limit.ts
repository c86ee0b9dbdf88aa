// The limit: the same receiver driven without Kafka, Postgres or the pipeline, by a plain loop of the
// dispatcher's own HTTP client (HttpSender: axios, keep-alive agent) with the same concurrency (256
// in flight), the same bodies and the same signatures. What the hardware and the client allow.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { USER_AGENT } from '../src/delivery/delivery-headers.js';
import { HttpSender } from '../src/delivery/http-sender.js';
import { sign } from '../src/delivery/signature.js';
import { buildPayload } from '../src/events/event-schema.js';
import type { EventData } from '../src/events/dto/event-data.dto.js';
import { baseEnv } from '../test/support/service.js';
import { startReceiver } from './throughput.js';
import { type BenchContext, type ScenarioResult } from './util.js';

/** The loop itself, in a process of its own (forked with the service's environment, so it trusts the test CA). */
async function loop(port: number, deliveries: number): Promise<{ ok: number; failed: number; seconds: number; errors: Record<string, number> }> {
  const config = loadConfig();
  const http = new HttpSender(config);
  const webhooks = Array.from({ length: 200 }, (_, i) => ({
    url: `https://localhost:${port}/ok/${randomBytes(12).toString('hex')}/${i % 2}`,
    key: Buffer.from(randomBytes(32).toString('hex')),
  }));
  let next = 0;
  let ok = 0;
  const errors: Record<string, number> = {};
  const started = Date.now();
  const worker = async () => {
    for (let i = next++; i < deliveries; i = next++) {
      const w = webhooks[i % webhooks.length]!;
      const id = randomBytes(12).toString('hex');
      const data = {
        event_id: id,
        tenant_id: id,
        link_id: `link-${i % 50}`,
        timestamp: new Date().toISOString(),
        platform: 'ios',
        user_agent: 'Mozilla/5.0',
        referer: 'https://twitter.com',
      };
      const body = Buffer.from(buildPayload('click', data as unknown as EventData, id, new Date()), 'utf8');
      const r = await http.post(w.url, body, {
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
        'X-Rift-Signature': sign(body, w.key),
        'X-Rift-Event': 'click',
        'X-Rift-Event-Id': id,
        'X-Rift-Attempt': '1',
      });
      if (r.ok) ok++;
      else errors[r.error ?? 'unknown'] = (errors[r.error ?? 'unknown'] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: config.delivery.maxInFlight }, worker));
  http.onApplicationShutdown();
  return { ok, failed: deliveries - ok, seconds: (Date.now() - started) / 1000, errors };
}

if (process.argv[2] === '--worker') {
  const r = await loop(Number(process.argv[3]), Number(process.argv[4]));
  process.send!(r);
  process.exit(0);
}

export async function limitScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  const deliveries = quick ? 10_000 : 100_000;
  const receiver = await startReceiver();
  const env = baseEnv({});
  const child = fork(fileURLToPath(import.meta.url), ['--worker', String(receiver.port), String(deliveries)], {
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const r = await new Promise<{ ok: number; failed: number; seconds: number; errors: Record<string, number> }>((resolve) =>
    child.once('message', resolve as never),
  );
  const s = await receiver.stats();
  await receiver.stop();
  const rate = Math.round(s.count / r.seconds);
  ctx.limitRate = rate;
  const pipeline = ctx.throughput?.rate;
  const ratio = pipeline && rate ? Math.round((pipeline / rate) * 100) / 100 : '';
  return {
    name: 'limit',
    title: `The limit: ${deliveries.toLocaleString('en')} signed POSTs by a plain loop of the same client (HttpSender), ${loadConfig(env).delivery.maxInFlight} in flight, no Kafka`,
    rows: [
      {
        deliveries: s.count,
        failed: r.failed,
        seconds: Math.round(r.seconds * 10) / 10,
        deliveries_per_s: rate,
        pipeline_per_s: pipeline ?? '',
        pipeline_vs_limit: ratio,
        target: 'pipeline >= 0.7x',
        met: typeof ratio === 'number' ? ratio >= 0.7 : '',
      },
    ],
    ...(r.failed ? { extra: { errors: r.errors } } : {}),
  };
}
