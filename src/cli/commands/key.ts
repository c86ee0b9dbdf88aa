import type { Command } from 'commander';
import { TenantsService } from '../../tenants/tenants.service.js';
import { group } from '../help.js';
import { out } from '../output.js';
import { objectId } from '../parsers.js';
import { invocation, type CommandContext } from '../invocation.js';

export function keyCommands(program: Command, ctx: CommandContext): void {
  const key = group(program, 'key', 'API keys');
  key
    .command('create')
    .summary('issue another API key for a tenant')
    .description('issue another API key for a tenant; prints {"key_id","tenant_id","api_key"}')
    .requiredOption('--tenant <id>', 'the tenant', objectId('tenant'))
    .action((o: { tenant: string }) =>
      ctx.submit(invocation('key create', { tenantId: o.tenant }, async (app, a) => out(await app.get(TenantsService).createKey(a.tenantId)))),
    );
  key
    .command('revoke')
    .summary('revoke an API key')
    .description('revoke an API key (a prefix must match exactly one); prints {"revoked":{...}}')
    .argument('<key>', 'the key id, or the key or its prefix (at least 10 characters)')
    .action((idOrPrefix: string) =>
      ctx.submit(invocation('key revoke', { idOrPrefix }, async (app, a) => out({ revoked: await app.get(TenantsService).revokeKey(a.idOrPrefix) }))),
    );
}
