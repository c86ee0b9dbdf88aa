// What the scenarios share: the receiver process, /proc readings of the service, tenants and
// webhooks (through the API, or seeded straight into PostgreSQL when there are thousands), and a
// publisher of events at full speed or at a given rate.
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { loadConfig } from '../src/config/config.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { TenantsService } from '../src/tenants/tenants.service.js';
import { registerWebhook } from '../test/support/fixtures.js';
import { KAFKA_BROKERS, type ServiceProcess } from '../test/support/service.js';
import { testPki } from '../test/support/tls.js';
import { sleep } from '../test/support/wait-for.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** fast: answers at once; lognormal: answers after a delay of median 50 ms, p99 about 500 ms (receiver.ts). */
export type ReceiverMode = 'fast' | 'lognormal';

export interface Receiver {
  port: number;
  pid: number;
  /** `published[i]`: when the event of `latencies[i]` was published (its timestamp). */
  stats(): Promise<{ count: number; first: number; last: number; latencies: number[]; published: number[] }>;
  /** Stats without the latencies (cheap to poll: no array of every latency over IPC). */
  count(): Promise<{ count: number; first: number; last: number }>;
  failures(): Promise<{ event: string; attempt: number; at: number }[]>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startReceiver(mode: ReceiverMode = 'fast'): Promise<Receiver> {
  testPki(); // before the fork: the receiver inherits RIFT_TEST_PKI_DIR and serves the CA the service trusts
  const child: ChildProcess = fork(path.join(here, 'receiver.ts'), [mode], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const ask = <T>(cmd: string) => new Promise<T>((resolve) => (child.once('message', (m) => resolve(m as T)), child.send({ cmd })));
  return {
    port,
    pid: child.pid!,
    stats: () => ask('stats'),
    count: () => ask('count'),
    failures: async () => (await ask<{ failures: { event: string; attempt: number; at: number }[] }>('failures')).failures,
    reset: async () => void (await ask('reset')),
    stop: async () => void (child.send({ cmd: 'stop' }), await new Promise((r) => child.once('exit', r))),
  };
}

/** Polls the receiver until `expected` deliveries arrived (or the deadline); then its stats, latencies included. */
export async function waitForDeliveries(receiver: Receiver, expected: number, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  let c = await receiver.count();
  while (c.count < expected && Date.now() < deadline) {
    await sleep(250);
    c = await receiver.count();
  }
  return receiver.stats();
}

/** CPU seconds (user + system) and peak RSS (VmHWM: the kernel's own high-water mark) of a process, from /proc. */
export function procUsage(pid: number): { cpuSeconds: number; peakRssMb: number } {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuSeconds: processCpu(pid), peakRssMb: Math.round(Number(hwm ?? 0) / 1024) };
}

/** CPU-ms of the process per delivery, to 3 decimals (the headline cost figure of issue 14). */
export const cpuMsPerDelivery = (cpuSeconds: number, deliveries: number) => (deliveries ? Math.round((cpuSeconds * 1e6) / deliveries) / 1000 : 0);

export const ratio = (a: number | undefined, b: number | undefined, digits = 2): number | '' =>
  a && b ? Math.round((a / b) * 10 ** digits) / 10 ** digits : '';

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

/** Event bodies: the mixed small events of every scenario, or conversions padded (metadata) to about `bodyBytes` of webhook body. */
export interface PublishOptions {
  ratePerSec?: number;
  bodyBytes?: number;
}

/** Publishes n events round-robin over the tenants, in batches of 500, as fast as Kafka takes them (or at `ratePerSec`). */
export async function publishEvents(prefix: string, tenants: { tenant_id: string }[], n: number, opts: PublishOptions | number = {}): Promise<number> {
  const { ratePerSec, bodyBytes } = typeof opts === 'number' ? { ratePerSec: opts, bodyBytes: undefined } : opts;
  const { Kafka, Partitioners, logLevel } = kafkajs;
  const kafka = new Kafka({ clientId: 'rift-bench', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const types = ['click', 'attribution', 'conversion'] as const;
  const started = Date.now();
  const chunk = ratePerSec ? Math.max(1, Math.round(ratePerSec / 20)) : bodyBytes && bodyBytes > 10_000 ? 50 : 500;
  for (let i = 0; i < n; i += chunk) {
    if (ratePerSec) {
      const due = started + (i / ratePerSec) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (let j = i; j < Math.min(n, i + chunk); j++) {
      const t = tenants[j % tenants.length]!;
      const type = bodyBytes ? 'conversion' : types[j % 3]!;
      const base = { event_id: randomBytes(12).toString('hex'), tenant_id: t.tenant_id, link_id: `link-${j % 50}`, timestamp: new Date().toISOString() };
      const data =
        type === 'click'
          ? { ...base, platform: 'ios', user_agent: 'Mozilla/5.0', referer: 'https://twitter.com' }
          : type === 'attribution'
            ? { ...base, install_id: `device-${j}`, app_version: '1.2.0' }
            : { ...base, conversion_type: 'deposit', user_id: `usr_${j}`, amount_cents: 1000, currency: 'usd' };
      if (bodyBytes) padTo(data, bodyBytes);
      const topic = `${prefix}.events.${type}`;
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      byTopic.get(topic)!.push({ key: t.tenant_id, value: JSON.stringify(data) });
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
  await producer.disconnect();
  return started;
}

/** Adds `metadata.pad` so that the delivered body ({"event","timestamp","data"}) is about `bytes` long. */
function padTo(data: Record<string, unknown>, bytes: number): void {
  const envelope = '{"event":"conversion","timestamp":"2026-01-01T00:00:00Z","data":}'.length;
  const size = envelope + JSON.stringify({ ...data, metadata: { pad: '' } }).length;
  data.metadata = { pad: 'x'.repeat(Math.max(0, bytes - size)) };
}

/** Deletes this run's topics (every topic under `prefix.`): the big scenarios leave nothing behind on the broker. */
export async function deleteTopics(prefix: string): Promise<void> {
  const { Kafka, logLevel } = kafkajs;
  const admin = new Kafka({ clientId: 'rift-bench-admin', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** CPU seconds of a process so far from /proc/<pid>/stat: user + system, and (with `children`) what its exited children used; 0 once it is gone. */
export function processCpu(pid: number | string, children = false): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)) / 100;
  } catch {
    return 0; // gone
  }
}

/**
 * CPU seconds used so far by the rest of the machine's pipeline: the Kafka broker(s) (JVMs running
 * kafka.Kafka) and PostgreSQL (every postgres process, plus the exited backends the postmaster
 * reaped). With the service's and the receiver's own, a scenario can say what one delivery costs
 * the whole machine, not only the dispatcher.
 */
export function infraCpu(): { broker: number; postgres: number } {
  let broker = 0;
  let postgres = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.includes('kafka.Kafka')) broker += processCpu(pid);
    else if (/(^|\/)postgres\0.*-D\0/.test(cmd))
      postgres += processCpu(pid, true); // the postmaster
    else if (cmd.startsWith('postgres: ')) postgres += processCpu(pid);
  }
  return { broker, postgres };
}

/** Samples a process's RSS (VmRSS) every `everyMs` until stopped: the peak it saw and the last value, in MB. */
export function sampleRss(pid: number, everyMs = 500): { stop(): { peakMb: number; lastMb: number } } {
  let peak = 0;
  let last = 0;
  const read = () => {
    try {
      last = Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
      peak = Math.max(peak, last);
    } catch {
      /* the process is gone */
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return { stop: () => (clearInterval(timer), read(), { peakMb: peak, lastMb: last }) };
}
