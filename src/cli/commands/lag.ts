import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumerLag, lagTable } from '../../ops/consumer-lag.js';
import { out, print } from '../output.js';
import { invocation, type CommandContext } from '../invocation.js';

/** How often `--watch` redraws. */
const WATCH_INTERVAL_MS = 2_000;

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
            const rows = await lag.rows();
            if (a.json) out({ total: rows.reduce((s, r) => s + r.lag, 0), partitions: rows });
            else print(`${a.watch ? '\x1b[2J\x1b[H' : ''}${lagTable(rows)}`);
            if (!a.watch) return;
            await sleep(WATCH_INTERVAL_MS);
          }
        }),
      ),
    );
}
