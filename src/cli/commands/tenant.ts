import type { Command } from 'commander';
import { TenantsService } from '../../tenants/tenants.service.js';
import { group } from '../help.js';
import { out, print } from '../output.js';
import { invocation, type CommandContext } from '../invocation.js';

export function tenantCommands(program: Command, ctx: CommandContext): void {
  const tenant = group(program, 'tenant', 'tenants and their first API key');
  tenant
    .command('create')
    .summary('create a tenant and its first API key')
    .description('create a tenant; prints {"tenant_id","api_key"} (the key is shown only now)')
    .requiredOption('--name <name>', "the tenant's name (1-200 characters)")
    .action((o: { name: string }) =>
      ctx.submit(invocation('tenant create', { name: o.name }, async (app, a) => out(await app.get(TenantsService).createTenant(a.name)))),
    );
  tenant
    .command('list')
    .summary('tenants with their active key counts')
    .description('tenants with their active key counts')
    .option('--json', 'one JSON array instead of a table')
    .action((o: { json?: boolean }) =>
      ctx.submit(
        invocation('tenant list', { json: o.json === true }, async (app, a) => {
          const rows = await app.get(TenantsService).listTenants();
          if (a.json) return out(rows);
          for (const t of rows) print(`${t.tenant_id}  ${t.created_at}  keys:${t.active_keys}  ${t.name}`);
        }),
      ),
    );
}
