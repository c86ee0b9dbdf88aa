// Realistic receivers: the pipeline, the plain loop of its own client (axios) and the naive
// baseline (bench/baseline-app.ts), each against the fast receiver (answers at once) and against
// one whose answers take a lognormal delay (median 50 ms, p99 about 500 ms: bench/receiver.ts).
// With 50 ms answers throughput is bound by how many deliveries are in flight (256 for the
// pipeline and the loop, one at a time for the baseline), not by CPU.
import { measureBaseline } from './baseline.js';
import { ratio, type ReceiverMode } from './harness.js';
import { measureLoop } from './limit.js';
import { runDeliveries } from './throughput.js';
import { type BenchContext, percentiles, type ScenarioResult } from './util.js';

export async function realisticScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  const events = quick ? 5_000 : 50_000;
  const loopDeliveries = quick ? 10_000 : 100_000;
  const rows: ScenarioResult['rows'] = [];
  for (const mode of ['fast', 'lognormal'] as ReceiverMode[]) {
    // The fast receiver's figures are reused when this run already measured them (throughput, limit, baseline).
    const fast = mode === 'fast';
    const pipeline = fast && ctx.throughput ? ctx.throughput : await runDeliveries({ events, receiver: mode, db: 'rift_bench_realistic' });
    const loop = fast && ctx.limits ? ctx.limits.axios : await measureLoop('axios', loopDeliveries, mode);
    const baselineRate = fast && ctx.baselineRate ? ctx.baselineRate : (await measureBaseline(quick, mode)).rate;
    if (fast) ctx.baselineRate = baselineRate;
    const lat = percentiles(pipeline.latencies);
    rows.push({
      receiver: fast ? 'fast (answers at once)' : 'lognormal (median 50 ms, p99 ~500 ms)',
      pipeline_per_s: pipeline.rate,
      pipeline_p50_ms: lat.p50,
      pipeline_p99_ms: lat.p99,
      cpu_ms_per_delivery: pipeline.cpuMsPerDelivery,
      axios_loop_per_s: loop.rate,
      baseline_per_s: baselineRate,
      pipeline_vs_loop: ratio(pipeline.rate, loop.rate),
      pipeline_vs_baseline: ratio(pipeline.rate, baselineRate, 1),
    });
  }
  return {
    name: 'realistic',
    title: `Realistic receivers: pipeline (100 tenants x 2 webhooks, ${events.toLocaleString('en')} events) vs the plain axios loop vs the naive baseline; latency is publish to arrival`,
    rows,
  };
}
