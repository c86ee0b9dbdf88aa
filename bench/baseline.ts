// Pipeline vs the baseline a user would write (bench/baseline-app.ts): the same 100 tenants x 2
// webhooks and events; the baseline's deliveries per second over a fixed window (against the fast
// receiver here; bench/realistic.ts also runs it against the lognormal one).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase } from '../test/support/database.js';
import { baseEnv, ServiceProcess } from '../test/support/service.js';
import { sleep } from '../test/support/wait-for.js';
import { publishEvents, ratio, type ReceiverMode, setupTenants, startReceiver } from './harness.js';
import { type BenchContext, type ScenarioResult } from './util.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The baseline's deliveries/s against a receiver of `mode`, over `windowS` seconds of a backlog it cannot finish. */
export async function measureBaseline(quick: boolean, mode: ReceiverMode = 'fast'): Promise<{ deliveries: number; rate: number; windowS: number }> {
  const windowS = quick ? 10 : 30;
  // Enough events that the window never runs dry: the baseline delivers far under 1,000 events/s.
  const events = quick ? 5_000 : 50_000;
  const url = await freshDatabase('rift_bench_baseline');
  const receiver = await startReceiver(mode);
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const env = baseEnv({ DATABASE_URL: url, RIFT_TOPIC_PREFIX: prefix, RIFT_ROLE: 'api', LOG_LEVEL: 'warn' });
  const api = await new ServiceProcess(env).start(); // creates the topics and registers the webhooks
  let baseline: ReturnType<typeof fork> | undefined;
  try {
    const tenants = await setupTenants(api, env, receiver.port, 100);
    await publishEvents(prefix, tenants, events);
    await receiver.reset();
    baseline = fork(path.join(here, 'baseline-app.ts'), [], { env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise((resolve) => baseline!.once('message', resolve));
    await sleep(windowS * 1000);
    const s = await receiver.stats();
    const seconds = Math.max(0.001, ((s.last || Date.now()) - (s.first || Date.now())) / 1000);
    return { deliveries: s.count, rate: Math.round(s.count / seconds), windowS };
  } finally {
    baseline?.kill('SIGKILL');
    await api.stop();
    await receiver.stop();
  }
}

export async function baselineScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  const b = await measureBaseline(quick);
  ctx.baselineRate = b.rate;
  const pipeline = ctx.throughput?.rate;
  const vs = ratio(pipeline, b.rate, 1);
  return {
    name: 'baseline',
    title: `Baseline: a NestJS @EventPattern handler awaiting each delivery in turn (in-process sleep retries), ${b.windowS} s window`,
    rows: [
      {
        deliveries: b.deliveries,
        deliveries_per_s: b.rate,
        pipeline_per_s: pipeline ?? '',
        pipeline_vs_baseline: vs,
        target: 'pipeline >= 5x',
        met: typeof vs === 'number' ? vs >= 5 : '',
      },
    ],
  };
}
