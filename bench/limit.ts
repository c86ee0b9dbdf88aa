// The limits: the same receiver driven without Kafka, Postgres or the pipeline, by plain loops with
// the same concurrency (WEBHOOK_MAX_IN_FLIGHT, 256 in flight), the same bodies and the same
// signatures: one through the dispatcher's own HTTP client (HttpSender: axios, keep-alive agent),
// one through bare node:https (keep-alive agent, no client library). What the hardware allows,
// with and without the client.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { USER_AGENT } from '../src/delivery/delivery-headers.js';
import { HttpSender } from '../src/delivery/http-sender.js';
import { sign } from '../src/delivery/signature.js';
import { buildPayload } from '../src/events/event-schema.js';
import type { EventData } from '../src/events/dto/event-data.dto.js';
import { baseEnv } from '../test/support/service.js';
import { cpuMsPerDelivery, processCpu, ratio, type ReceiverMode, startReceiver } from './harness.js';
import { type BenchContext, type LoopResult, type ScenarioResult } from './util.js';

type Client = 'axios' | 'https';
type Post = (url: string, body: Buffer, headers: Record<string, string>) => Promise<{ ok: boolean; error?: string }>;

/** Bare node:https: one keep-alive agent sized like HttpSender's, the response read and dropped. */
function bareHttps(maxSockets: number): { post: Post; close(): void } {
  const agent = new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
  const post: Post = (url, body, headers) =>
    new Promise((resolve) => {
      const req = https.request(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
        res.resume();
        res.once('end', () => resolve({ ok: res.statusCode! >= 200 && res.statusCode! < 300, error: `http_${res.statusCode}` }));
      });
      req.once('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? 'network_error' }));
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

/** The loop itself, in a process of its own (forked with the service's environment, so it trusts the test CA). */
async function loop(client: Client, port: number, deliveries: number): Promise<Omit<LoopResult, 'rate'>> {
  const config = loadConfig();
  const sender = client === 'axios' ? new HttpSender(config) : undefined;
  const bare = client === 'https' ? bareHttps(config.delivery.maxInFlight) : undefined;
  const post: Post = sender ? (u, b, h) => sender.post(u, b, h) : bare!.post;
  const webhooks = Array.from({ length: 200 }, (_, i) => ({
    url: `https://localhost:${port}/ok/${randomBytes(12).toString('hex')}/${i % 2}`,
    key: Buffer.from(randomBytes(32).toString('hex')),
  }));
  let next = 0;
  let ok = 0;
  const errors: Record<string, number> = {};
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
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
      const r = await post(w.url, body, {
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
  const cpu = process.cpuUsage(cpuBefore);
  sender?.onApplicationShutdown();
  bare?.close();
  const cpuMsPerRequest = Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, deliveries)) * 1000) / 1000;
  return { deliveries: ok, failed: deliveries - ok, seconds: (Date.now() - started) / 1000, cpuMsPerRequest, errors };
}

if (process.argv[2] === '--worker') {
  const r = await loop(process.argv[3] as Client, Number(process.argv[4]), Number(process.argv[5]));
  process.send!(r);
  process.exit(0);
}

/** One loop of `client` against a fresh receiver of `mode`: deliveries/s as the receiver counted them. */
export async function measureLoop(client: Client, deliveries: number, mode: ReceiverMode = 'fast'): Promise<LoopResult> {
  const receiver = await startReceiver(mode);
  const receiverCpu = processCpu(receiver.pid);
  const child = fork(fileURLToPath(import.meta.url), ['--worker', client, String(receiver.port), String(deliveries)], {
    env: baseEnv({}),
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const r = await new Promise<Omit<LoopResult, 'rate'>>((resolve) => child.once('message', resolve as never));
  const s = await receiver.stats();
  const receiverCpuMsPerRequest = cpuMsPerDelivery(processCpu(receiver.pid) - receiverCpu, s.count);
  await receiver.stop();
  return { ...r, seconds: Math.round(r.seconds * 10) / 10, rate: Math.round(s.count / r.seconds), receiverCpuMsPerRequest };
}

export async function measureLimits(quick: boolean, mode: ReceiverMode = 'fast'): Promise<{ axios: LoopResult; https: LoopResult }> {
  const deliveries = quick ? 10_000 : 100_000;
  return { axios: await measureLoop('axios', deliveries, mode), https: await measureLoop('https', deliveries, mode) };
}

export async function limitScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  ctx.limits ??= await measureLimits(quick);
  const pipeline = ctx.throughput?.rate;
  const row = (loop: string, r: LoopResult, target: string, min: number) => {
    const vs = ratio(pipeline, r.rate);
    return {
      loop,
      deliveries: r.deliveries,
      failed: r.failed,
      seconds: r.seconds,
      deliveries_per_s: r.rate,
      cpu_ms_per_request: r.cpuMsPerRequest,
      receiver_cpu_ms_per_request: r.receiverCpuMsPerRequest ?? '',
      pipeline_per_s: pipeline ?? '',
      pipeline_vs_loop: vs,
      target,
      met: typeof vs === 'number' && min > 0 ? vs >= min : '',
    };
  };
  const { axios, https: bare } = ctx.limits;
  const errors = { ...(axios.failed ? { axios: axios.errors } : {}), ...(bare.failed ? { https: bare.errors } : {}) };
  return {
    name: 'limit',
    title: `The limits: ${(quick ? 10_000 : 100_000).toLocaleString('en')} signed POSTs by plain loops, ${loadConfig(baseEnv({})).delivery.maxInFlight} in flight, no Kafka`,
    rows: [row("HttpSender (axios, the dispatcher's client)", axios, 'pipeline >= 0.85x', 0.85), row('bare node:https', bare, '- (reported)', 0)],
    ...(Object.keys(errors).length ? { extra: { errors } } : {}),
  };
}
