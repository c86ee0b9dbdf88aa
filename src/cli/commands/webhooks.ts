import type { Command } from 'commander';
import { PrismaService } from '../../prisma/prisma.service.js';
import { group } from '../help.js';
import { out, print } from '../output.js';
import { objectId } from '../parsers.js';
import { invocation, type CommandContext } from '../invocation.js';
import { listWebhooks, webhooksTable } from '../webhooks-list.js';

export function webhooksCommands(program: Command, ctx: CommandContext): void {
  group(program, 'webhooks', "every tenant's webhooks")
    .command('list')
    .summary('webhooks with their status and health')
    .description('webhooks with status (active/disabled, reason, since), consecutive failures, last success and failure')
    .option('--tenant <id>', "only this tenant's", objectId('tenant'))
    .option('--disabled', 'only the disabled ones')
    .option('--json', 'one JSON array instead of a table')
    .action((o: { tenant?: string; disabled?: boolean; json?: boolean }) =>
      ctx.submit(
        invocation('webhooks list', { filter: { tenantId: o.tenant, disabledOnly: o.disabled === true }, json: o.json === true }, async (app, a) => {
          const rows = await listWebhooks(app.get(PrismaService), a.filter);
          if (a.json) return out(rows);
          print(webhooksTable(rows));
        }),
      ),
    );
}
