import 'reflect-metadata';
import { HttpException, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { ConfigError } from '../config/env.schema.js';
import { EventPublisher, InvalidEventError } from '../events/event-publisher.js';
import { EVENT_TYPES, type EventType } from '../contracts/event-types.js';
import { TenantError, TenantsService } from '../tenants/tenants.service.js';
import { ConsumerLag, lagTable } from '../ops/consumer-lag.js';
import { CliModule } from './cli.module.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { listWebhooks, webhooksTable } from './webhooks-list.js';
import { DeadLetters, type DeadLetterFilter } from '../delivery/dead-letters.js';
import { OBJECT_ID } from '../common/ids.js';
import { isRfc3339 } from '../common/rfc3339.js';
import { RecoverService } from '../recover/recover.service.js';

const USAGE = `rift: operate Rift Webhooks

  rift tenant create --name <name>     create a tenant; prints {"tenant_id","api_key"} (the key is shown only now)
  rift tenant list [--json]            list tenants
  rift key create --tenant <id>        issue another API key for a tenant
  rift key revoke <key-id|key-prefix>  revoke an API key
  rift webhooks list [--tenant <id>] [--disabled] [--json]
                                       webhooks with status (active/disabled, reason, since) and health
  rift lag [--json] [--watch]          consumer lag of every rift consumer group, per partition, and the total
  rift dlq list [--webhook <id>] [--since <time>] [--json]
                                       dead-lettered deliveries (time: ISO-8601, or 30m / 6h / 2d ago)
  rift dlq replay [--webhook <id>] [--since <time>] [--dry-run]
                                       requeue them into the first attempt (skips deleted webhooks and
                                       entries replayed before); prints how many were replayed
  rift recover --webhook <id> --since <time> [--until <time>]
                                       send again every event of [since, until) the webhook has not
                                       received (as POST /v1/webhooks/{id}/recover; time: RFC 3339, or
                                       30m / 6h / 2d ago); prints {"recover_id","matched","skipped_in_flight"}
  rift recover status <recover-id> --webhook <id>
                                       its progress: queued, sent, delivered, failed
  rift publish <click|attribution|conversion> --tenant <id> --link <id> [fields]
       fields: --timestamp --event-id --user-agent --referer --platform --install-id --app-version
               --conversion-type --user-id --source-id --amount-cents --currency --metadata <json>

Reads the service's environment (DATABASE_URL, KAFKA_BROKERS, RIFT_TOPIC_PREFIX, ...).`;

class UsageError extends Error {}

/** Everything the framework says goes to stderr: stdout carries only the command's result. */
const stderrLogger: LoggerService = {
  log: () => undefined,
  warn: (m: unknown) => process.stderr.write(`warn: ${typeof m === 'string' ? m : JSON.stringify(m)}\n`),
  error: (m: unknown) => process.stderr.write(`error: ${typeof m === 'string' ? m : JSON.stringify(m)}\n`),
};

const out = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v)}\n`);
};

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      tenant: { type: 'string' },
      link: { type: 'string' },
      json: { type: 'boolean' },
      watch: { type: 'boolean' },
      webhook: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'dry-run': { type: 'boolean' },
      disabled: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      timestamp: { type: 'string' },
      'event-id': { type: 'string' },
      'user-agent': { type: 'string' },
      referer: { type: 'string' },
      platform: { type: 'string' },
      'install-id': { type: 'string' },
      'app-version': { type: 'string' },
      'conversion-type': { type: 'string' },
      'user-id': { type: 'string' },
      'source-id': { type: 'string' },
      'amount-cents': { type: 'string' },
      currency: { type: 'string' },
      metadata: { type: 'string' },
    },
  });
  const [group, action, arg] = positionals;
  if (values.help || !group) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = { ...process.env };
  // Tenant, key and publish commands never open a webhook secret; a throwaway key lets them run
  // without RIFT_SECRET_KEY in the shell.
  env.RIFT_SECRET_KEY ??= randomBytes(32).toString('hex');
  const config = loadConfig(env);
  const app = await NestFactory.createApplicationContext(CliModule.forConfig(config), { logger: stderrLogger, abortOnError: false });
  try {
    const tenants = app.get(TenantsService);
    const cmd = `${group} ${action ?? ''}`.trim();
    switch (cmd) {
      case 'tenant create':
        if (!values.name) throw new UsageError('tenant create needs --name <name>');
        return out(await tenants.createTenant(values.name));
      case 'tenant list': {
        const rows = await tenants.listTenants();
        if (values.json) return out(rows);
        for (const t of rows) process.stdout.write(`${t.tenant_id}  ${t.created_at}  keys:${t.active_keys}  ${t.name}\n`);
        return;
      }
      case 'key create':
        if (!values.tenant) throw new UsageError('key create needs --tenant <id>');
        return out(await tenants.createKey(values.tenant));
      case 'lag': {
        const lag = app.get(ConsumerLag);
        for (;;) {
          const rows = await lag.rows();
          if (values.json) out({ total: rows.reduce((s, r) => s + r.lag, 0), partitions: rows });
          else process.stdout.write(`${values.watch ? '\x1b[2J\x1b[H' : ''}${lagTable(rows)}\n`);
          if (!values.watch) return;
          await new Promise((r) => setTimeout(r, 2_000));
        }
      }
      case 'webhooks list': {
        const rows = await listWebhooks(app.get(PrismaService), { tenantId: values.tenant, disabledOnly: values.disabled === true });
        if (values.json) return out(rows);
        return void process.stdout.write(`${webhooksTable(rows)}\n`);
      }
      case 'dlq list': {
        const entries = await app.get(DeadLetters).list(dlqFilter(values));
        if (values.json) return out(entries.map(({ job: _job, ...e }) => e));
        if (entries.length === 0) return void process.stdout.write('no dead-lettered deliveries match\n');
        for (const e of entries) {
          process.stdout.write(
            `${e.dead_at}  ${e.webhook_id}  ${e.event_id}  ${e.event_type.padEnd(11)}  attempts:${e.attempts}  ${e.last_error}${e.replayed_at ? `  replayed ${e.replayed_at}` : ''}\n`,
          );
        }
        return void process.stdout.write(`${entries.length} dead-lettered deliveries\n`);
      }
      case 'dlq replay': {
        const report = await app.get(DeadLetters).replay(dlqFilter(values), values['dry-run'] === true);
        if (report.matched === 0) process.stderr.write('no dead-lettered deliveries match; nothing replayed\n');
        else
          process.stderr.write(
            `${report.dry_run ? 'would replay' : 'replayed'} ${report.replayed} of ${report.matched} matching (${report.already_replayed} replayed before, ${report.skipped_deleted_webhook} of deleted webhooks skipped)\n`,
          );
        return out(report);
      }
      case 'recover': {
        const webhook = webhookFlag(values);
        if (typeof values.since !== 'string') throw new UsageError('recover needs --since <time>');
        const until = typeof values.until === 'string' ? rfc3339Flag('until', values.until) : undefined;
        return out(await app.get(RecoverService).start(null, webhook, rfc3339Flag('since', values.since), until));
      }
      case 'recover status':
        if (!arg) throw new UsageError('recover status needs a recover id');
        return out(await app.get(RecoverService).progress(null, webhookFlag(values), arg));
      case 'key revoke':
        if (!arg) throw new UsageError('key revoke needs a key id or key prefix');
        return out({ revoked: await tenants.revokeKey(arg) });
      default:
        if (group === 'publish') {
          const type = action as EventType;
          if (!EVENT_TYPES.includes(type)) throw new UsageError(`publish needs a type: ${EVENT_TYPES.join(', ')}`);
          if (!values.tenant || !values.link) throw new UsageError('publish needs --tenant <id> and --link <id>');
          const data = publishData(type, values);
          return out(await app.get(EventPublisher).publish(type, data));
        }
        throw new UsageError(`unknown command: ${cmd}`);
    }
  } finally {
    await app.close();
  }
}

const RELATIVE = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** --webhook and --since of the dlq commands; --since is ISO-8601 or a duration ago (30m, 6h, 2d). */
function dlqFilter(v: Record<string, string | boolean | undefined>): DeadLetterFilter {
  const filter: DeadLetterFilter = {};
  if (typeof v.webhook === 'string') {
    if (!OBJECT_ID.test(v.webhook)) throw new UsageError('--webhook must be a webhook id (24 lowercase hex characters)');
    filter.webhookId = v.webhook;
  }
  if (typeof v.since === 'string') {
    const rel = RELATIVE.exec(v.since);
    const since = rel ? new Date(Date.now() - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]) : new Date(v.since);
    if (Number.isNaN(since.getTime())) throw new UsageError('--since must be an ISO-8601 time or a duration like 30m, 6h, 2d');
    filter.since = since;
  }
  return filter;
}

function webhookFlag(v: Record<string, string | boolean | undefined>): string {
  if (typeof v.webhook !== 'string' || !OBJECT_ID.test(v.webhook))
    throw new UsageError('--webhook <id> is required: a webhook id (24 lowercase hex characters)');
  return v.webhook;
}

/** An RFC 3339 time as given, or a duration ago (30m, 6h, 2d) as one. */
function rfc3339Flag(flag: string, value: string): string {
  const rel = RELATIVE.exec(value);
  if (rel) return new Date(Date.now() - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]).toISOString();
  if (!isRfc3339(value)) throw new UsageError(`--${flag} must be an RFC 3339 time (2026-03-24T15:00:00Z) or a duration like 30m, 6h, 2d`);
  return value;
}

function publishData(type: EventType, v: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const data: Record<string, unknown> = { tenant_id: v.tenant, link_id: v.link, timestamp: v.timestamp ?? new Date().toISOString() };
  const copy = (flag: string, field: string) => v[flag] !== undefined && (data[field] = v[flag]);
  copy('event-id', 'event_id');
  if (type === 'click') {
    copy('user-agent', 'user_agent');
    copy('referer', 'referer');
    copy('platform', 'platform');
  } else if (type === 'attribution') {
    copy('install-id', 'install_id');
    copy('app-version', 'app_version');
  } else {
    copy('conversion-type', 'conversion_type');
    copy('user-id', 'user_id');
    copy('source-id', 'source_id');
    copy('currency', 'currency');
    if (v['amount-cents'] !== undefined) data.amount_cents = Number(v['amount-cents']);
    if (v.metadata !== undefined) {
      try {
        data.metadata = JSON.parse(String(v.metadata));
      } catch {
        throw new UsageError('--metadata must be JSON');
      }
    }
  }
  return data;
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    const known =
      err instanceof UsageError ||
      err instanceof TenantError ||
      err instanceof InvalidEventError ||
      err instanceof ConfigError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (err instanceof HttpException) {
      // The API's own answer (400 range rules, 404, 409 a recovery still running), as JSON.
      process.stderr.write(`rift: ${JSON.stringify(err.getResponse())}\n`);
      process.exit(err.getStatus() < 500 ? 2 : 1);
    }
    process.stderr.write(`rift: ${(err as Error).message}\n`);
    if (err instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    if (!known) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    process.exit(known ? 2 : 1);
  },
);
