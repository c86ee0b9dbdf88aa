import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ScenarioResult {
  name: string;
  title: string;
  rows: Record<string, string | number | boolean>[];
  extra?: Record<string, unknown>;
}

/** What scenarios of one `npm run bench` share: runs that later scenarios compare against or chart. */
export interface BenchContext {
  throughput?: { rate: number; delivered: number; latencies: number[]; cpuMsPerDelivery: number };
  isolation?: { rate: number; delivered: number; latencies: number[] };
  /** Plain loops against the fast receiver: the dispatcher's own client (axios) and bare node:https. */
  limits?: { axios: LoopResult; https: LoopResult };
  /** The naive baseline (bench/baseline-app.ts) against the fast receiver, deliveries/s. */
  baselineRate?: number;
}

export interface LoopResult {
  deliveries: number;
  failed: number;
  seconds: number;
  rate: number;
  /** CPU-ms (user + system) of the loop's own process per request: what the client alone costs, signing and body building included. */
  cpuMsPerRequest: number;
  /** CPU-ms of the receiver per request in the same loop: with cpuMsPerRequest, what one request costs the machine. */
  receiverCpuMsPerRequest?: number;
  errors: Record<string, number>;
}

export function percentiles(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(s.at(-1) ?? 0) };
}

export function machine(): string {
  return `${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function printTable(result: ScenarioResult): void {
  process.stdout.write(`\n${result.title}\n`);
  const cols = Object.keys(result.rows[0] ?? {});
  const cells = result.rows.map((r) => cols.map((c) => String(r[c])));
  const w = cols.map((c, i) => Math.max(c.length, ...cells.map((x) => x[i]!.length)));
  process.stdout.write(`${cols.map((c, i) => c.padEnd(w[i]!)).join('  ')}\n`);
  for (const row of cells) process.stdout.write(`${row.map((c, i) => c.padEnd(w[i]!)).join('  ')}\n`);
  if (result.extra) process.stdout.write(`${JSON.stringify(result.extra)}\n`);
}

export function save(result: ScenarioResult, quick: boolean): string {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.name}${quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify({ ...result, machine: machine(), at: new Date().toISOString(), quick }, null, 2)}\n`);
  return file;
}
