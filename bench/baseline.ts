// Pipeline vs the baseline a user would write (bench/baseline-app.ts): the same 100 tenants x 2
// webhooks and events; the baseline's deliveries per second over a fixed window.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase } from '../test/support/database.js';
import { baseEnv, ServiceProcess } from '../test/support/service.js';
import { sleep } from '../test/support/wait-for.js';
import { publishEvents, setupTenants, startReceiver } from './throughput.js';
import { type BenchContext, type ScenarioResult } from './util.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function baselineScenario(quick: boolean, ctx: BenchContext): Promise<ScenarioResult> {
  const windowS = quick ? 10 : 30;
  const events = quick ? 5_000 : 50_000;
  const url = await freshDatabase('rift_bench_baseline');
  const receiver = await startReceiver();
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
    const rate = Math.round(s.count / seconds);
    const pipeline = ctx.throughput?.rate;
    const ratio = pipeline && rate ? Math.round((pipeline / rate) * 10) / 10 : '';
    return {
      name: 'baseline',
      title: `Baseline: a NestJS @EventPattern handler awaiting each delivery in turn (in-process sleep retries), ${windowS} s window`,
      rows: [
        {
          deliveries: s.count,
          deliveries_per_s: rate,
          pipeline_per_s: pipeline ?? '',
          pipeline_vs_baseline: ratio,
          target: 'pipeline >= 5x',
          met: typeof ratio === 'number' ? ratio >= 5 : '',
        },
      ],
    };
  } finally {
    baseline?.kill('SIGKILL');
    await api.stop();
    await receiver.stop();
  }
}
