// npm run bench [-- --quick] [-- --only stats]: runs the benchmark scenarios against real Kafka,
// PostgreSQL and the service's own processes, prints a table per scenario and writes JSON under
// bench/results/. Kafka and PostgreSQL must be up (npm run kafka:start) and the build done.
import { machine, printTable, save, type ScenarioResult } from './util.js';
import { statsScenario } from './stats.js';
import { throughputScenario } from './throughput.js';

const scenarios: Record<string, (quick: boolean) => Promise<ScenarioResult>> = { throughput: throughputScenario, stats: statsScenario };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : Object.keys(scenarios);
  process.stdout.write(`machine: ${machine()}${quick ? ' (quick)' : ''}\n`);
  let failed = false;
  for (const name of only) {
    const run = scenarios[name];
    if (!run) throw new Error(`unknown scenario ${name}; have ${Object.keys(scenarios).join(', ')}`);
    const result = await run(quick);
    printTable(result);
    process.stdout.write(`written ${save(result, quick)}\n`);
    failed ||= result.rows.some((r) => r.met === false);
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
