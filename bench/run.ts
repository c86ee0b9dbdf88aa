// npm run bench [-- --quick] [-- --only throughput,isolation]: runs the benchmark scenarios against
// real Kafka, PostgreSQL and the service's own processes, prints a table per scenario, writes JSON
// under bench/results/ and the latency chart of scenarios 1 and 4. Kafka and PostgreSQL must be up
// (npm run kafka:start) and the build done.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backlogScenario } from './backlog.js';
import { baselineScenario } from './baseline.js';
import { writeLatencyChart } from './chart.js';
import { limitScenario } from './limit.js';
import { producerScenario } from './producer.js';
import { realisticScenario } from './realistic.js';
import { retryTimingScenario } from './retry-timing.js';
import { scaleScenario } from './scale.js';
import { statsScenario } from './stats.js';
import { allInOneScenario, isolationScenario, latencyScenario, throughputScenario } from './throughput.js';
import { type BenchContext, machine, printTable, save, type ScenarioResult } from './util.js';

const scenarios: Record<string, (quick: boolean, ctx: BenchContext) => Promise<ScenarioResult>> = {
  throughput: throughputScenario,
  limit: limitScenario,
  baseline: baselineScenario,
  realistic: realisticScenario,
  'all-in-one': allInOneScenario,
  isolation: isolationScenario,
  'retry-timing': retryTimingScenario,
  latency: latencyScenario,
  backlog: backlogScenario,
  scale: scaleScenario,
  stats: statsScenario,
  producer: producerScenario,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : Object.keys(scenarios);
  process.stdout.write(`machine: ${machine()}${quick ? ' (quick)' : ''}\n`);
  const ctx: BenchContext = {};
  let failed = false;
  for (const name of only) {
    const run = scenarios[name];
    if (!run) throw new Error(`unknown scenario ${name}; have ${Object.keys(scenarios).join(', ')}`);
    const result = await run(quick, ctx);
    printTable(result);
    process.stdout.write(`written ${save(result, quick)}\n`);
    failed ||= result.rows.some((r) => r.met === false);
  }
  if (ctx.throughput && ctx.isolation) {
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', `latency${quick ? '-quick' : ''}.svg`);
    writeLatencyChart(
      file,
      [
        { label: 'throughput: all webhooks healthy', color: '#1f77b4', latencies: ctx.throughput.latencies },
        { label: 'isolation: healthy webhooks, 10% hanging', color: '#d62728', latencies: ctx.isolation.latencies },
      ],
      `Delivery latency, ${machine()}`,
    );
    process.stdout.write(`written ${file}\n`);
  }
  if (failed) process.stdout.write('\nsome targets were missed (see "met" above)\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${(err as Error).stack}`);
    process.exit(1);
  },
);
