import type { Command } from 'commander';
import { DeadLetters, type DeadLetterFilter } from '../../delivery/dead-letters.js';
import { group } from '../help.js';
import { note, out, print } from '../output.js';
import { isoOrAgo, objectId } from '../parsers.js';
import { invocation, type CommandContext } from '../invocation.js';

interface FilterFlags {
  webhook?: string;
  since?: Date;
}

const filterOf = (o: FilterFlags): DeadLetterFilter => ({ ...(o.webhook ? { webhookId: o.webhook } : {}), ...(o.since ? { since: o.since } : {}) });

export function dlqCommands(program: Command, ctx: CommandContext): void {
  const dlq = group(program, 'dlq', 'dead-lettered deliveries');
  const filtered = (cmd: Command) =>
    cmd
      .option('--webhook <id>', "only this webhook's", objectId('webhook'))
      .option('--since <time>', 'only those dead-lettered since: ISO-8601, or a duration ago (30m, 6h, 2d)', isoOrAgo(ctx.now));

  filtered(
    dlq
      .command('list')
      .summary('dead-lettered deliveries')
      .description('dead-lettered deliveries (time, webhook, event, type, attempts, last error, when replayed)'),
  )
    .option('--json', 'one JSON array instead of a table')
    .action((o: FilterFlags & { json?: boolean }) =>
      ctx.submit(
        invocation('dlq list', { filter: filterOf(o), json: o.json === true }, async (app, a) => {
          const entries = await app.get(DeadLetters).list(a.filter);
          if (a.json) return out(entries.map(({ job: _job, ...e }) => e));
          if (entries.length === 0) return print('no dead-lettered deliveries match');
          for (const e of entries) {
            print(
              `${e.dead_at}  ${e.webhook_id}  ${e.event_id}  ${e.event_type.padEnd(11)}  attempts:${e.attempts}  ${e.last_error}${e.replayed_at ? `  replayed ${e.replayed_at}` : ''}`,
            );
          }
          print(`${entries.length} dead-lettered deliveries`);
        }),
      ),
    );

  filtered(
    dlq
      .command('replay')
      .summary('requeue dead letters into the first attempt')
      .description(
        'requeue dead-lettered deliveries into the first attempt (the whole retry schedule, the same body bytes); skips deleted webhooks and ' +
          'entries replayed before (recorded in dead_letter_replays); prints ' +
          '{"matched","replayed","already_replayed","skipped_deleted_webhook","dry_run"}',
      ),
  )
    .option('--dry-run', 'count what would be replayed, replay nothing')
    .action((o: FilterFlags & { dryRun?: boolean }) =>
      ctx.submit(
        invocation('dlq replay', { filter: filterOf(o), dryRun: o.dryRun === true }, async (app, a) => {
          const report = await app.get(DeadLetters).replay(a.filter, a.dryRun);
          if (report.matched === 0) note('no dead-lettered deliveries match; nothing replayed');
          else
            note(
              `${report.dry_run ? 'would replay' : 'replayed'} ${report.replayed} of ${report.matched} matching (${report.already_replayed} replayed before, ${report.skipped_deleted_webhook} of deleted webhooks skipped)`,
            );
          out(report);
        }),
      ),
    );
}
