// The main job end to end, in the terminal: a tenant registers two webhooks, events of all three
// types are published to Kafka, the dispatcher signs and delivers them to a local HTTPS receiver
// (signatures verified with the docs' Node function and with the `standardwebhooks` library), and
// a failing endpoint walks through the retry tiers to the dead-letter topic. Run by `npm run demo`
// (scripts/demo.sh).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { freshDatabase } from '../test/support/database.js';
import { api, readTopic, registerWebhook } from '../test/support/fixtures.js';
import { Receiver, type ReceivedRequest } from '../test/support/receiver.js';
import { baseEnv, rift, riftAsync, ServiceProcess } from '../test/support/service.js';
import { waitFor } from '../test/support/wait-for.js';

const c = { dim: '\x1b[2m', green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', bold: '\x1b[1m', off: '\x1b[0m' };
const say = (s = '') => process.stdout.write(`${s}\n`);

function verifyWebhook(body: Buffer, signature: string, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest('hex');
  return timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

/** The Standard Webhooks check a receiver would run: webhook-id, webhook-timestamp, webhook-signature. */
function verifyStandard(r: ReceivedRequest, whsec: string): boolean {
  try {
    new Webhook(whsec).verify(r.body.toString(), r.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const schedule = process.env.DEMO_RETRY_SCHEDULE ?? '0,1,5,25';
  say(`${c.bold}Rift Webhooks demo${c.off}  (retry schedule ${schedule} s)`);
  const databaseUrl = await freshDatabase(process.env.DEMO_DATABASE ?? 'rift_demo');
  const receiver = await new Receiver().start();
  receiver.script('/failing', () => ({ status: 503 }));
  const env = baseEnv({
    DATABASE_URL: databaseUrl,
    RIFT_TOPIC_PREFIX: process.env.RIFT_TOPIC_PREFIX ?? 'rift',
    RIFT_SECRET_KEY: process.env.RIFT_SECRET_KEY ?? randomBytes(32).toString('hex'),
    WEBHOOK_RETRY_SCHEDULE: schedule,
    KAFKA_TOPIC_PARTITIONS: '6',
    LOG_LEVEL: 'warn',
  });
  const svc = await new ServiceProcess({ ...env, ...(process.env.DEMO_PORT ? { PORT: process.env.DEMO_PORT } : {}) }).start();
  say(`${c.dim}service (RIFT_ROLE=all) ready at ${svc.url}; HTTPS receiver at ${receiver.url('/')}${c.off}`);
  try {
    const created = rift(['tenant', 'create', '--name', 'Demo Co'], env);
    if (created.status !== 0) throw new Error(created.stderr);
    const tenant = JSON.parse(created.stdout) as { tenant_id: string; api_key: string };
    say(`\n$ npm run --silent rift -- tenant create --name "Demo Co"\n${created.stdout.trim()}`);

    const ok = await registerWebhook(svc, tenant.api_key, receiver.url('/rift-webhook'), ['click', 'attribution', 'conversion']);
    const failing = await registerWebhook(svc, tenant.api_key, receiver.url('/failing'), ['conversion']);
    const whsec = (ok as unknown as { standard_webhooks_secret: string }).standard_webhooks_secret;
    say(`\nPOST /v1/webhooks -> 201 ${JSON.stringify({ ...ok, secret: `${ok.secret.slice(0, 8)}...`, standard_webhooks_secret: `${whsec.slice(0, 14)}...` })}`);
    say(
      `POST /v1/webhooks -> 201 ${JSON.stringify({ ...failing, secret: `${failing.secret.slice(0, 8)}...` })}  ${c.yellow}(this receiver answers 503)${c.off}`,
    );
    const list = await api(svc, tenant.api_key, 'GET', '/v1/webhooks');
    say(`GET /v1/webhooks -> ${list.status}, ${list.body.length} webhooks, secret field present: ${JSON.stringify(list.body).includes('"secret"')}`);

    // The CLI runs as its own process; this one keeps serving the receiver meanwhile.
    const publish = async (args: string[]) => {
      const r = await riftAsync(['publish', ...args, '--tenant', tenant.tenant_id, '--link', 'summer-sale'], env);
      if (r.status !== 0) throw new Error(r.stderr);
      say(`$ rift publish ${args[0]} ... -> ${r.stdout.trim()}`);
      return JSON.parse(r.stdout).event_id as string;
    };
    say('');
    const t0 = Date.now();
    await publish(['click', '--user-agent', 'Mozilla/5.0 ...', '--referer', 'https://twitter.com', '--platform', 'ios']);
    await publish(['attribution', '--install-id', 'device-uuid-123', '--app-version', '1.2.0']);
    const conversionId = await publish([
      'conversion',
      '--conversion-type',
      'deposit',
      '--user-id',
      'usr_abc123',
      '--amount-cents',
      '10000',
      '--currency',
      'usd',
      '--metadata',
      '{"tx_hash":"0xabc..."}',
    ]);

    say(`\n${c.bold}Deliveries to ${receiver.url('/rift-webhook')}${c.off}`);
    const shown = new Set<ReceivedRequest>();
    const show = (r: ReceivedRequest, secret: string) => {
      const valid = verifyWebhook(r.body, r.headers['x-rift-signature'] as string, secret);
      const standard = verifyStandard(r, whsec);
      say(
        `${valid ? c.green : c.red}${valid ? "X-Rift-Signature verified (docs' Node code)" : 'BAD X-Rift-Signature'}${c.off}  ${standard ? c.green : c.red}${standard ? 'webhook-signature verified (standardwebhooks)' : 'BAD webhook-signature'}${c.off}  +${r.at - t0} ms  X-Rift-Event: ${r.headers['x-rift-event']}  X-Rift-Event-Id: ${r.headers['x-rift-event-id']}`,
      );
      say(
        `  ${c.dim}webhook-id: ${r.headers['webhook-id']}  webhook-timestamp: ${r.headers['webhook-timestamp']}  webhook-signature: ${r.headers['webhook-signature']}${c.off}`,
      );
      say(`  ${c.dim}${r.body.toString()}${c.off}`);
      if (!valid || !standard) process.exitCode = 1;
    };
    await waitFor(
      () => {
        for (const r of receiver.on('/rift-webhook')) {
          if (shown.has(r)) continue;
          shown.add(r);
          show(r, ok.secret);
        }
        return shown.size >= 3;
      },
      { timeoutMs: 30_000, what: 'three deliveries' },
    );

    say(`\n${c.bold}A failing endpoint walks through the tiers (${receiver.url('/failing')} answers 503)${c.off}`);
    const seen = new Set<ReceivedRequest>();
    await waitFor(
      () => {
        for (const r of receiver.on('/failing')) {
          if (seen.has(r)) continue;
          seen.add(r);
          const first = receiver.on('/failing')[0]!.at;
          say(
            `attempt ${r.headers['x-rift-attempt']}  +${((r.at - first) / 1000).toFixed(2)} s after the first  -> 503  (signature valid: ${verifyWebhook(r.body, r.headers['x-rift-signature'] as string, failing.secret)})`,
          );
        }
        return seen.size >= 4;
      },
      { timeoutMs: 120_000, intervalMs: 100, what: 'four attempts' },
    );
    const dlqTopic = `${env.RIFT_TOPIC_PREFIX}.webhooks.dlq`;
    const entry = await waitFor(
      async () => {
        const msgs = await readTopic(dlqTopic, { settleMs: 300 });
        return msgs.map((m) => JSON.parse(m.value!.toString())).find((j) => j.event_id === conversionId && j.webhook_id === failing.id);
      },
      { timeoutMs: 30_000, what: 'the DLQ entry' },
    );
    say(
      `${c.yellow}dead-lettered on ${dlqTopic}${c.off}: attempts=${entry.attempts} last_error=${entry.last_error} history=${JSON.stringify(entry.history.map((h: { attempt: number; status: number; at: string }) => ({ attempt: h.attempt, status: h.status, at: h.at })))}`,
    );

    say(`\n${c.bold}The tenant sees why: GET /v1/webhooks/${failing.id}/deliveries${c.off}`);
    const log = await waitFor(
      async () => {
        const r = await api(svc, tenant.api_key, 'GET', `/v1/webhooks/${failing.id}/deliveries`);
        return r.body.data.length >= 4 ? r.body.data : undefined;
      },
      { timeoutMs: 20_000, what: 'the attempt log' },
    );
    for (const a of log) say(`  attempt ${a.attempt} (${a.tier})  ${a.outcome}  status ${a.status_code}  ${a.duration_ms} ms  next: ${a.next}`);

    say(`\n${c.bold}The endpoint is fixed; an operator replays the dead letter${c.off}`);
    receiver.script('/failing', () => ({ status: 200 }));
    const listed = await riftAsync(['dlq', 'list', '--webhook', failing.id], env);
    say(`$ npm run --silent rift -- dlq list --webhook ${failing.id}\n${listed.stdout.trim()}`);
    const replayed = await riftAsync(['dlq', 'replay', '--webhook', failing.id], env);
    say(`$ npm run --silent rift -- dlq replay --webhook ${failing.id}\n${replayed.stderr.trim()}\n${replayed.stdout.trim()}`);
    const redelivered = await waitFor(() => receiver.on('/failing').find((r) => r.headers['x-rift-attempt'] === '1' && r !== receiver.on('/failing')[0]), {
      timeoutMs: 30_000,
      what: 'the replayed delivery',
    });
    say(
      `${c.green}delivered${c.off} X-Rift-Event-Id: ${redelivered.headers['x-rift-event-id']}  signature valid: ${verifyWebhook(redelivered.body, redelivered.headers['x-rift-signature'] as string, failing.secret)}`,
    );

    say(`\n${c.bold}A test send: POST /v1/webhooks/${ok.id}/test {"event":"conversion"}${c.off}`);
    const test = await api(svc, tenant.api_key, 'POST', `/v1/webhooks/${ok.id}/test`, { event: 'conversion' });
    say(`-> ${test.status} ${JSON.stringify(test.body)}`);
    const testReq = receiver.on('/rift-webhook').at(-1)!;
    say(`receiver got X-Rift-Test: ${testReq.headers['x-rift-test']}, webhook-signature verified (standardwebhooks): ${verifyStandard(testReq, whsec)}`);
    say(
      `\n${c.bold}Done.${c.off} 3 events delivered and verified (docs' HMAC and Standard Webhooks); 1 delivery dead-lettered after 4 attempts, then replayed and delivered; 1 test send.`,
    );

    say(`\n${c.bold}Console:${c.off} ${svc.url}/console  (sign in with the demo tenant's API key ${tenant.api_key})`);
    // Interactive runs keep the service up so the console can be tried; scripted runs end here.
    if (process.stdin.isTTY && process.env.DEMO_EXIT !== '1') {
      say(`${c.dim}The service keeps running for the console; Ctrl-C stops it.${c.off}`);
      await new Promise((resolve) => process.once('SIGINT', resolve));
    }
  } finally {
    await svc.stop();
    await receiver.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
