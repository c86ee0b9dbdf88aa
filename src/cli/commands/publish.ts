import { Argument, type Command } from 'commander';
import { EventPublisher } from '../../events/event-publisher.js';
import { EVENT_TYPES, type EventType } from '../../contracts/event-types.js';
import { out } from '../output.js';
import { integer, json, objectId } from '../parsers.js';
import { invocation, type CommandContext } from '../invocation.js';

/** Each event field's flag, by the types that carry it; the rest of a flag set is ignored for a type. */
const FIELDS: readonly { flag: string; field: string; types: readonly EventType[]; description: string }[] = [
  { flag: 'user-agent', field: 'user_agent', types: ['click'], description: 'click' },
  { flag: 'referer', field: 'referer', types: ['click'], description: 'click' },
  { flag: 'platform', field: 'platform', types: ['click'], description: 'click' },
  { flag: 'install-id', field: 'install_id', types: ['attribution'], description: 'attribution' },
  { flag: 'app-version', field: 'app_version', types: ['attribution'], description: 'attribution' },
  { flag: 'conversion-type', field: 'conversion_type', types: ['conversion'], description: 'conversion' },
  { flag: 'user-id', field: 'user_id', types: ['conversion'], description: 'conversion' },
  { flag: 'source-id', field: 'source_id', types: ['conversion'], description: 'conversion' },
  { flag: 'currency', field: 'currency', types: ['conversion'], description: 'conversion, with --amount-cents: ISO-4217 in lowercase' },
];

/** Commander's camel-case key of a flag: `user-agent` is `userAgent`. */
const key = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

type PublishFlags = Record<string, unknown> & { tenant: string; link: string; timestamp?: string; eventId?: string; amountCents?: number; metadata?: unknown };

/** The event's `data` as the publisher validates it (field order as in the docs). */
export function eventData(type: EventType, o: PublishFlags, now: number): Record<string, unknown> {
  const data: Record<string, unknown> = { tenant_id: o.tenant, link_id: o.link, timestamp: o.timestamp ?? new Date(now).toISOString() };
  if (o.eventId !== undefined) data.event_id = o.eventId;
  for (const f of FIELDS) if (f.types.includes(type) && o[key(f.flag)] !== undefined) data[f.field] = o[key(f.flag)];
  if (type === 'conversion') {
    if (o.amountCents !== undefined) data.amount_cents = o.amountCents;
    if (o.metadata !== undefined) data.metadata = o.metadata;
  }
  return data;
}

export function publishCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('publish')
    .summary('validate and publish one event')
    .description('validate and publish one event, as other services do; prints {"event_id"}')
    .addArgument(new Argument('<type>', 'the event type').choices(EVENT_TYPES))
    .requiredOption('--tenant <id>', 'the tenant', objectId('tenant'))
    .requiredOption('--link <id>', 'the link id (a slug such as summer-sale)')
    .option('--timestamp <time>', 'RFC 3339 (default now)')
    .option('--event-id <id>', '24 lowercase hex (default: assigned by the publisher)');
  for (const f of FIELDS) cmd.option(`--${f.flag} <value>`, f.description);
  cmd
    .option('--amount-cents <n>', 'conversion, with --currency: an integer', integer)
    .option('--metadata <json>', 'conversion: a JSON object', json)
    .action((type: EventType, o: PublishFlags) => {
      const data = eventData(type, o, ctx.now());
      ctx.submit(invocation('publish', { type, data }, async (app, a) => out(await app.get(EventPublisher).publish(a.type, a.data))));
    });
}
