import { Option, type Command } from 'commander';
import { RecoverService } from '../../recover/recover.service.js';
import { ownRequiredOption } from '../help.js';
import { out } from '../output.js';
import { objectId, rfc3339OrAgo } from '../parsers.js';
import { invocation, type CommandContext } from '../invocation.js';

// The API's tenant check is skipped (tenant null): an operator may recover any tenant's webhook.
export function recoverCommands(program: Command, ctx: CommandContext): void {
  const time = rfc3339OrAgo(ctx.now);
  const recover = program
    .command('recover')
    .summary('send again the events a webhook missed in a range')
    .description(
      'send again every event of [since, until) the webhook has not received, as POST /v1/webhooks/{id}/recover ' +
        'for any tenant\'s webhook; prints {"recover_id","matched","skipped_in_flight"}',
    );
  ownRequiredOption(recover, new Option('--webhook <id>', 'the webhook').argParser(objectId('webhook')));
  ownRequiredOption(recover, new Option('--since <time>', 'start of the range: RFC 3339, or a duration ago (30m, 6h, 2d)').argParser(time));
  recover
    .option('--until <time>', 'end of the range (default now): RFC 3339, or a duration ago', time)
    .action((o: { webhook: string; since: string; until?: string }) =>
      ctx.submit(
        invocation('recover', { webhookId: o.webhook, since: o.since, until: o.until }, async (app, a) =>
          out(await app.get(RecoverService).start(null, a.webhookId, a.since, a.until)),
        ),
      ),
    );

  recover
    .command('status')
    .summary('progress of a recovery')
    .description('progress of a recovery (queued, sent, delivered, failed), as GET /v1/webhooks/{id}/recover/{recover_id}')
    .argument('<recover-id>', 'as `rift recover` printed it')
    .requiredOption('--webhook <id>', 'the webhook it recovers', objectId('webhook'))
    .action((recoverId: string, o: { webhook: string }) =>
      ctx.submit(
        invocation('recover status', { webhookId: o.webhook, recoverId }, async (app, a) =>
          out(await app.get(RecoverService).progress(null, a.webhookId, a.recoverId)),
        ),
      ),
    );
}
