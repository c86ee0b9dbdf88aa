import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DeadLetters } from '../delivery/dead-letters.js';
import { EventPublisher } from '../events/event-publisher.js';
import { RecoverService } from '../recover/recover.service.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { parseCommandLine, type CliApp, type Invocation } from './program.js';

const NOW = Date.parse('2026-03-24T15:00:00.000Z');
const W = '66a1b2c3d4e5f6a7b8c9d0e1';
const T = '6650a1b2c3d4e5f6a7b8c9d0';

function parse(...argv: string[]) {
  let out = '';
  let err = '';
  const result = parseCommandLine(argv, { now: () => NOW, writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  return { result, out, err };
}

/** The call a command line makes, or a failure naming what commander said. */
function call(...argv: string[]): Invocation {
  const { result, err } = parse(...argv);
  if ('exitCode' in result) throw new Error(`exit ${result.exitCode}: ${err}`);
  return result;
}

const named = (inv: Invocation) => ({ command: inv.command, args: inv.args });

describe('rift command line', () => {
  it('parses every command into its call with typed arguments', () => {
    const cases: [string[], string, object][] = [
      [['tenant', 'create', '--name', 'cli co'], 'tenant create', { name: 'cli co' }],
      [['tenant', 'list'], 'tenant list', { json: false }],
      [['tenant', 'list', '--json'], 'tenant list', { json: true }],
      [['key', 'create', '--tenant', T], 'key create', { tenantId: T }],
      [['key', 'revoke', 'rl_live_0123456789'], 'key revoke', { idOrPrefix: 'rl_live_0123456789' }],
      [['webhooks', 'list'], 'webhooks list', { filter: { tenantId: undefined, disabledOnly: false }, json: false }],
      [['webhooks', 'list', '--disabled', '--json', '--tenant', T], 'webhooks list', { filter: { tenantId: T, disabledOnly: true }, json: true }],
      [['lag'], 'lag', { json: false, watch: false }],
      [['lag', '--json', '--watch'], 'lag', { json: true, watch: true }],
      [['dlq', 'list'], 'dlq list', { filter: {}, json: false }],
      [['dlq', 'list', '--json', '--since', '10m'], 'dlq list', { filter: { since: new Date(NOW - 600_000) }, json: true }],
      [
        ['dlq', 'list', '--webhook', W, '--since', '2026-03-20T10:00:00Z'],
        'dlq list',
        { filter: { webhookId: W, since: new Date('2026-03-20T10:00:00Z') }, json: false },
      ],
      [['dlq', 'replay', '--dry-run', '--webhook', W], 'dlq replay', { filter: { webhookId: W }, dryRun: true }],
      [['dlq', 'replay', '--webhook', W, '--since', '1h'], 'dlq replay', { filter: { webhookId: W, since: new Date(NOW - 3_600_000) }, dryRun: false }],
      [['recover', '--webhook', W, '--since', '5m'], 'recover', { webhookId: W, since: '2026-03-24T14:55:00.000Z', until: undefined }],
      [
        ['recover', '--since', '2026-03-24T10:00:00+01:00', '--until', '1h', '--webhook', W],
        'recover',
        { webhookId: W, since: '2026-03-24T10:00:00+01:00', until: '2026-03-24T14:00:00.000Z' },
      ],
      [['recover', 'status', 'r1', '--webhook', W], 'recover status', { webhookId: W, recoverId: 'r1' }],
      [['recover', 'status', '--webhook', W, 'r1'], 'recover status', { webhookId: W, recoverId: 'r1' }],
    ];
    for (const [argv, command, args] of cases) expect({ argv, ...named(call(...argv)) }).toEqual({ argv, command, args });
  });

  it("builds publish's event data with only the type's own fields, in the documented order", () => {
    const click = call(
      'publish',
      'click',
      '--tenant',
      T,
      '--link',
      'summer-sale',
      '--platform',
      'ios',
      '--user-agent',
      'UA',
      '--install-id',
      'not-a-click-field',
    );
    expect(click.args).toEqual({
      type: 'click',
      data: { tenant_id: T, link_id: 'summer-sale', timestamp: '2026-03-24T15:00:00.000Z', user_agent: 'UA', platform: 'ios' },
    });
    const conversion = call(
      'publish',
      'conversion',
      '--tenant',
      T,
      '--link',
      'l',
      '--timestamp',
      '2026-03-01T00:00:00Z',
      '--event-id',
      W,
      '--conversion-type',
      'deposit',
      '--user-id',
      'u',
      '--amount-cents',
      '10000',
      '--currency',
      'usd',
      '--metadata',
      '{"tx_hash":"0xabc"}',
    );
    const data = (conversion.args as { data: Record<string, unknown> }).data;
    expect(data).toEqual({
      tenant_id: T,
      link_id: 'l',
      timestamp: '2026-03-01T00:00:00Z',
      event_id: W,
      conversion_type: 'deposit',
      user_id: 'u',
      currency: 'usd',
      amount_cents: 10000,
      metadata: { tx_hash: '0xabc' },
    });
    expect(Object.keys(data)).toEqual(['tenant_id', 'link_id', 'timestamp', 'event_id', 'conversion_type', 'user_id', 'currency', 'amount_cents', 'metadata']);
    expect(
      (
        call('publish', 'attribution', '--tenant', T, '--link', 'l', '--install-id', 'i', '--app-version', '1.2', '--amount-cents', '5').args as {
          data: object;
        }
      ).data,
    ).toEqual({ tenant_id: T, link_id: 'l', timestamp: '2026-03-24T15:00:00.000Z', install_id: 'i', app_version: '1.2' });
  });

  it('refuses bad command lines with exit code 2 and a message on stderr naming the problem, printing nothing on stdout', () => {
    const cases: [string[], RegExp][] = [
      [['bogus'], /unknown command 'bogus'/],
      [['tenant'], /Usage: rift tenant/],
      [['tenant', 'create'], /required option '--name <name>' not specified/],
      [['tenant', 'list', 'extra'], /too many arguments/],
      [['key', 'create', '--tenant', '000'], /'--tenant <id>' argument '000' is invalid\. A tenant id is 24 lowercase hex/],
      [['key', 'revoke'], /missing required argument 'key'/],
      [['lag', '--name', 'x'], /unknown option '--name'/],
      [['dlq', 'list', '--since', 'yesterday-ish'], /'--since <time>' argument 'yesterday-ish' is invalid\. Give an ISO-8601 time/],
      [['dlq', 'replay', '--webhook', 'WH'], /A webhook id is 24 lowercase hex/],
      [['recover', '--webhook', W, '--since', 'yesterday'], /argument 'yesterday' is invalid\. Give an RFC 3339 time/],
      [['recover', '--webhook', W], /required option '--since <time>'/],
      [['recover', '--since', '1h'], /required option '--webhook <id>'/],
      [['recover', 'status', 'r1'], /required option '--webhook <id>'/],
      [['publish', 'purchase', '--tenant', T, '--link', 'l'], /Allowed choices are click, attribution, conversion/],
      [['publish', 'click', '--tenant', T], /required option '--link <id>'/],
      [['publish', 'conversion', '--tenant', T, '--link', 'l', '--amount-cents', '1.5'], /Give a whole number/],
      [['publish', 'conversion', '--tenant', T, '--link', 'l', '--metadata', '{'], /Give JSON/],
    ];
    for (const [argv, message] of cases) {
      const { result, out, err } = parse(...argv);
      expect({ argv, result, out }).toEqual({ argv, result: { exitCode: 2 }, out: '' });
      expect(err).toMatch(message);
    }
  });

  it('prints the help on stdout and exits 0 for --help, -h, help and a bare rift', () => {
    for (const argv of [['--help'], ['-h'], ['help'], []]) {
      const { result, out, err } = parse(...argv);
      expect({ argv, result, err }).toEqual({ argv, result: { exitCode: 0 }, err: '' });
      expect(out).toMatch(/^Usage: rift \[options\] \[command\]/);
    }
    const dlqList = parse('dlq', 'list', '--help');
    expect(dlqList.result).toEqual({ exitCode: 0 });
    expect(dlqList.out).toMatch(/Usage: rift dlq list \[options\][\s\S]*--since <time>[\s\S]*30m, 6h, 2d/);
    expect(parse('recover', '--help').out).toMatch(/--webhook <id> +the webhook \(required\)/);
  });

  it('lists every command with its arguments and flags in the top-level help', () => {
    const { out } = parse('--help');
    for (const line of [
      'tenant create --name <name>',
      'tenant list [--json]',
      'key create --tenant <id>',
      'key revoke <key>',
      'webhooks list [--tenant <id>] [--disabled] [--json]',
      'lag [--json] [--watch]',
      'dlq list [--webhook <id>] [--since <time>] [--json]',
      'dlq replay [--webhook <id>] [--since <time>] [--dry-run]',
      'recover --webhook <id> --since <time> [--until <time>]',
      'recover status <recover-id> --webhook <id>',
      'publish <type> --tenant <id> --link <id> [options]',
    ])
      expect(out).toContain(`\n  ${line}  `);
  });

  it("is pasted into the README's command line section as generated", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const pasted = /```text\n\$ rift --help\n([\s\S]*?)```/.exec(readme);
    expect(pasted?.[1]).toBe(parse('--help').out);
  });
});

describe('rift commands against their services', () => {
  /** Providers stand in for the modules: the point is which method a command calls, with what. */
  function appWith(providers: [unknown, object][]): CliApp {
    const map = new Map(providers);
    return { get: (token: unknown) => map.get(token) } as unknown as CliApp;
  }
  let stdout: string;
  let stderr: string;
  beforeEach(() => {
    stdout = '';
    stderr = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it('recover starts a recovery for any tenant (null) and prints the answer as one JSON line', async () => {
    const start = jest.fn(async () => ({ recover_id: 'r1', matched: 1, skipped_in_flight: 0 }));
    await call('recover', '--webhook', W, '--since', '5m', '--until', '2026-03-24T14:59:00Z').run(appWith([[RecoverService, { start }]]));
    expect(start).toHaveBeenCalledWith(null, W, '2026-03-24T14:55:00.000Z', '2026-03-24T14:59:00Z');
    expect(stdout).toBe('{"recover_id":"r1","matched":1,"skipped_in_flight":0}\n');
  });

  it('dlq replay passes the filter and dry run, reports on stderr and prints the report on stdout', async () => {
    const report = { matched: 2, replayed: 1, already_replayed: 1, skipped_deleted_webhook: 0, dry_run: true };
    const replay = jest.fn(async () => report);
    await call('dlq', 'replay', '--webhook', W, '--dry-run').run(appWith([[DeadLetters, { replay }]]));
    expect(replay).toHaveBeenCalledWith({ webhookId: W }, true);
    expect(stderr).toBe('would replay 1 of 2 matching (1 replayed before, 0 of deleted webhooks skipped)\n');
    expect(JSON.parse(stdout)).toEqual(report);
  });

  it('dlq list prints a table without the jobs, or JSON without them', async () => {
    const entry = {
      dead_at: '2026-03-24T14:00:00Z',
      webhook_id: W,
      event_id: 'e1',
      event_type: 'click',
      attempts: 4,
      last_error: 'http_500',
      replayed_at: null,
      job: { secret: 'x' },
    };
    const list = jest.fn(async () => [entry]);
    await call('dlq', 'list', '--json').run(appWith([[DeadLetters, { list }]]));
    const { job: _job, ...shown } = entry;
    expect(JSON.parse(stdout)).toEqual([shown]);
    stdout = '';
    await call('dlq', 'list').run(appWith([[DeadLetters, { list }]]));
    expect(stdout).toBe(`2026-03-24T14:00:00Z  ${W}  e1  click        attempts:4  http_500\n1 dead-lettered deliveries\n`);
  });

  it('publish hands the type and data to the publisher; key revoke wraps the key it revoked', async () => {
    const publish = jest.fn(async () => ({ event_id: W }));
    await call('publish', 'click', '--tenant', T, '--link', 'l').run(appWith([[EventPublisher, { publish }]]));
    expect(publish).toHaveBeenCalledWith('click', { tenant_id: T, link_id: 'l', timestamp: '2026-03-24T15:00:00.000Z' });
    const revokeKey = jest.fn(async () => ({ key_id: W, tenant_id: T, prefix: 'rl_live_ab' }));
    await call('key', 'revoke', 'rl_live_ab').run(appWith([[TenantsService, { revokeKey }]]));
    expect(revokeKey).toHaveBeenCalledWith('rl_live_ab');
    expect(stdout).toBe(`{"event_id":"${W}"}\n{"revoked":{"key_id":"${W}","tenant_id":"${T}","prefix":"rl_live_ab"}}\n`);
  });
});
