import { spawn } from 'node:child_process';
import path from 'node:path';
import { createEventPublisher, InvalidEventError } from '../../src/events/event-publisher.js';
import { EVENT_TYPES } from '../../src/contracts/event-types.js';
import type { Receiver } from './receiver.js';
import { KAFKA_BROKERS, ROOT, ServiceProcess } from './service.js';
import { sleep, waitFor } from './wait-for.js';

/**
 * The cluster suite's tools: drive scripts/kafka.sh without blocking this process (the HTTPS
 * receiver lives here, and a blocked event loop would show up as a delivery gap), a steady load,
 * and the per-phase figures (lost, duplicates, longest gap in deliveries).
 */

export async function kafkaCtl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(ROOT, 'scripts', 'kafka.sh'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kafka.sh ${args.join(' ')} exited ${code}: ${err.slice(-1500)}`))));
  });
}

export interface ClusterStatus {
  nodes: { id: number; port: number; up: boolean }[];
  controller: number | null;
  under_replicated_partitions: number;
  offline_partitions: number;
  topics: { topic: string; partitions: { partition: number; leader: number | null; replicas: number[]; isr: number[] }[] }[];
}

export async function clusterStatus(topicPrefix: string): Promise<ClusterStatus> {
  return JSON.parse(await kafkaCtl('status', '--json', '--topics', topicPrefix)) as ClusterStatus;
}

/** Until every node is up and every partition of the prefix's topics has its full in-sync set. */
export async function waitInSync(topicPrefix: string, timeoutMs = 120_000): Promise<ClusterStatus> {
  return waitFor(
    async () => {
      const s = await clusterStatus(topicPrefix);
      return s.nodes.every((n) => n.up) && s.under_replicated_partitions === 0 && s.offline_partitions === 0 && s.topics.length > 0 ? s : undefined;
    },
    { timeoutMs, intervalMs: 1_000, what: 'every replica in sync' },
  );
}

/** The node leading the most partitions of the prefix's topics. */
export function busiestLeader(s: ClusterStatus): number {
  const counts = new Map<number, number>();
  for (const t of s.topics) for (const p of t.partitions) if (p.leader !== null) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * Receiver bookkeeping: some first attempts fail (503 for event ids ending in 0 or 1, one in eight,
 * unless `failSome` is false), every 200 is recorded with its time.
 */
export class Deliveries {
  readonly ok = new Map<string, number>();
  /** When each event was first delivered. */
  readonly firstOkAt = new Map<string, number>();
  readonly okTimes: number[] = [];
  /** Per receiver path (one tenant, whose events share one partition: the key is the tenant id). */
  readonly okTimesByPath = new Map<string, number[]>();

  constructor(private readonly receiver: Receiver) {}

  track(pathName: string, failSome = true): void {
    this.receiver.script(pathName, (req) => {
      const id = String(req.headers['x-rift-event-id']);
      if (failSome && req.headers['x-rift-attempt'] === '1' && /[01]$/.test(id)) return { status: 503 };
      this.ok.set(id, (this.ok.get(id) ?? 0) + 1);
      if (!this.firstOkAt.has(id)) this.firstOkAt.set(id, req.at);
      this.okTimes.push(req.at);
      const times = this.okTimesByPath.get(pathName) ?? [];
      this.okTimesByPath.set(pathName, times);
      times.push(req.at);
      return { status: 200 };
    });
  }

  /** Longest time without a successful delivery between `from` and `to` (ms). */
  longestGap(from: number, to: number, times = this.okTimes): number {
    let last = from;
    let gap = 0;
    for (const t of times) {
      if (t < from || t > to) continue;
      gap = Math.max(gap, t - last);
      last = t;
    }
    return Math.max(gap, to - last);
  }

  /** The longest gap any one tenant (so one partition) saw between `from` and `to` (ms). */
  longestTenantGap(from: number, to: number): number {
    return Math.max(0, ...[...this.okTimesByPath.values()].map((times) => this.longestGap(from, to, times)));
  }

  countBetween(from: number, to: number): number {
    return this.okTimes.filter((t) => t >= from && t <= to).length;
  }
}

export interface Published {
  id: string;
  phase: string;
}

/** Publishes at a steady rate (48 publishes in flight, each retried until Kafka acknowledges it), labelled with the current phase. */
export class SteadyLoad {
  phase = 'warm-up';
  readonly published: Published[] = [];
  private running = false;
  private done?: Promise<void>;

  constructor(
    private readonly prefix: string,
    private readonly tenants: string[],
    private readonly perSec: number,
  ) {}

  async start(): Promise<this> {
    const publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: this.prefix, logLevel: 0 });
    this.running = true;
    const started = Date.now();
    let next = 0;
    this.done = Promise.all(
      Array.from({ length: 48 }, async () => {
        while (this.running) {
          const i = next++;
          const due = started + (i / this.perSec) * 1000;
          if (due > Date.now()) await sleep(due - Date.now());
          if (!this.running) break;
          const phase = this.phase;
          const type = EVENT_TYPES[i % 3]!;
          const data =
            type === 'conversion' ? { conversion_type: 'deposit', amount_cents: 100, currency: 'usd' } : type === 'attribution' ? { install_id: `d-${i}` } : {};
          for (;;) {
            try {
              const { event_id } = await publisher.publish(type, {
                tenant_id: this.tenants[i % this.tenants.length]!,
                link_id: `l${i % 7}`,
                timestamp: new Date().toISOString(),
                ...data,
              });
              this.published.push({ id: event_id, phase });
              break;
            } catch (err) {
              if (err instanceof InvalidEventError) throw err;
              await sleep(200);
            }
          }
        }
      }),
    ).then(() => publisher.close());
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

/** Per phase: events (and the rate the load reached), lost (no 200 at the receiver), duplicates (extra 200s). */
export function phaseFigures(
  load: SteadyLoad,
  deliveries: Deliveries,
  phase: string,
  seconds: number,
): { events: number; events_per_sec: number; lost: number; duplicates: number } {
  const events = load.published.filter((p) => p.phase === phase);
  const lost = events.filter((p) => !deliveries.ok.has(p.id)).length;
  const duplicates = events.reduce((s, p) => s + Math.max(0, (deliveries.ok.get(p.id) ?? 0) - 1), 0);
  return { events: events.length, events_per_sec: Math.round(events.length / seconds), lost, duplicates };
}

/** Waits until every published event has a 200 (or the timeout), and returns how many have none. */
export async function waitAllDelivered(load: SteadyLoad, deliveries: Deliveries, timeoutMs = 180_000): Promise<number> {
  const missing = () => load.published.filter((p) => !deliveries.ok.has(p.id)).length;
  await waitFor(() => missing() === 0, { timeoutMs, intervalMs: 500, what: 'every published event delivered' }).catch(() => undefined);
  return missing();
}

/** Publishes n events as fast as 16 concurrent publishers go (each retried until acknowledged); returns their ids. */
export async function publishBurst(prefix: string, tenants: string[], n: number): Promise<string[]> {
  const publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix, logLevel: 0 });
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) {
        const i = next++;
        for (;;) {
          try {
            ids.push(
              (await publisher.publish('click', { tenant_id: tenants[i % tenants.length]!, link_id: `b${i % 5}`, timestamp: new Date().toISOString() }))
                .event_id,
            );
            break;
          } catch {
            await sleep(200);
          }
        }
      }
    }),
  );
  await publisher.close();
  return ids;
}

/** Starts the built service and waits up to 90 s for /health/ready: two cores shared with three JVMs boot slowly. */
export async function startService(env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const svc = await new ServiceProcess(env).start({ waitReady: false });
  try {
    await svc.ready(90_000);
  } catch (err) {
    await svc.kill('SIGKILL'); // not left running (and consuming the cluster) after a failed boot
    throw err;
  }
  return svc;
}
