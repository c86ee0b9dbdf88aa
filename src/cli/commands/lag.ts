import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BackoffPolicy, retry } from '../../common/backoff.js';
import { ConsumerLag, lagTable } from '../../ops/consumer-lag.js';
import { note, out, print } from '../output.js';
import { invocation, type CommandContext } from '../invocation.js';

/** How often `--watch` redraws. */
const WATCH_INTERVAL_MS = 2_000;

/**
 * A broker going down moves partition leaders and group coordinators, once the controller has fenced
 * it (KRaft's broker session, 9 s by default) and then while the moves settle: a read can fail past
 * kafkajs' own retries meanwhile (the cluster suite saw `rift lag` exit 1 once, its node killed 10 s
 * earlier; the error was not captured). Asked again after 1, 2, 4, 5 and 5 s before giving up:
 * about 17 s more.
 */
const LAG_READ_RETRIES: BackoffPolicy = { baseMs: 1_000, maxMs: 5_000, jitter: 'none', maxRetries: 5 };

export function lagCommand(program: Command, ctx: CommandContext): void {
  program
    .command('lag')
    .summary('consumer lag of every group, with the total')
    .description('consumer lag of every rift consumer group, per partition, and the total')
    .option('--json', 'prints {"total","partitions":[...]}')
    .option('--watch', `redraw every ${WATCH_INTERVAL_MS / 1000} s until interrupted`)
    .action((o: { json?: boolean; watch?: boolean }) =>
      ctx.submit(
        invocation('lag', { json: o.json === true, watch: o.watch === true }, async (app, a) => {
          const lag = app.get(ConsumerLag);
          for (;;) {
            const rows = await retry(() => lag.rows(), LAG_READ_RETRIES, {
              onRetry: (err, delayMs) => note(`reading the offsets failed (${(err as Error).message}); asking again in ${delayMs / 1000} s`),
            });
            if (a.json) out({ total: rows.reduce((s, r) => s + r.lag, 0), partitions: rows });
            else print(`${a.watch ? '\x1b[2J\x1b[H' : ''}${lagTable(rows)}`);
            if (!a.watch) return;
            await sleep(WATCH_INTERVAL_MS);
          }
        }),
      ),
    );
}
