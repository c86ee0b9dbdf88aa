import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, hex24, registerWebhook } from './support/fixtures.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, KAFKA_BROKERS, ROOT, ServiceProcess, uniquePrefix } from './support/service.js';
import { waitFor } from './support/wait-for.js';

// Both clients are Debian packages; scripts/ensure-producer-clients.sh installs them in CI.
const hasKcat = spawnSync('kcat', ['-V']).status === 0;
// Debian's python3-confluent-kafka is for Debian's python3, which another python3 (pyenv) may shadow on PATH.
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import confluent_kafka']).status === 0);
const hasPython = python !== undefined;
if ((!hasKcat || !hasPython) && process.env.CI === 'true') {
  throw new Error('kcat and python3-confluent-kafka must be installed in CI: scripts/ensure-producer-clients.sh should have installed them');
}
const itIfKcat = hasKcat ? it : it.skip;
const itIfPython = hasPython ? it : it.skip;

describe('producers that are not Node: kcat (librdkafka) and the Python example (real Kafka, Postgres, HTTPS receiver)', () => {
  const prefix = uniquePrefix('producers');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, WEBHOOK_CACHE_TTL_MS: '300' });
    svc = await new ServiceProcess({ ...env, RIFT_ROLE: 'all' }).start();
  });

  afterAll(async () => {
    await svc?.stop();
    await receiver?.stop();
    await db?.drop();
  });

  /** Waits for one delivery per event id on the path and for the events in the event store; returns the bodies by id. */
  async function deliveredAndStored(key: string, receivedOn: string, ids: string[]): Promise<Map<string, { event: string; data: Record<string, unknown> }>> {
    await waitFor(() => ids.every((id) => receiver.on(receivedOn).some((r) => r.headers['x-rift-event-id'] === id)), {
      what: 'the deliveries',
      timeoutMs: 30_000,
    });
    await waitFor(
      async () => {
        const r = await api(svc, key, 'GET', '/v1/events?limit=1000');
        const stored = new Set((r.body.data as { event_id: string }[]).map((e) => e.event_id));
        return ids.every((id) => stored.has(id));
      },
      { what: 'the events in the event store' },
    );
    return new Map(receiver.on(receivedOn).map((r) => [r.headers['x-rift-event-id'] as string, JSON.parse(r.body.toString())]));
  }

  itIfKcat('kcat publishes the three event types, keyed by tenant; each is delivered, signed, and stored', async () => {
    const t = createTenant(env);
    await registerWebhook(svc, t.api_key, receiver.url('/kcat'), ['click', 'attribution', 'conversion']);
    await new Promise((r) => setTimeout(r, 500)); // the dispatcher's webhook cache
    const ts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const events = {
      click: { event_id: hex24(), tenant_id: t.tenant_id, link_id: 'kcat-link', platform: 'android', timestamp: ts },
      attribution: { event_id: hex24(), tenant_id: t.tenant_id, link_id: 'kcat-link', install_id: 'device-1', timestamp: ts },
      conversion: {
        event_id: hex24(),
        tenant_id: t.tenant_id,
        link_id: 'kcat-link',
        conversion_type: 'purchase',
        amount_cents: 1999,
        currency: 'eur',
        timestamp: ts,
      },
    };
    for (const [type, data] of Object.entries(events)) {
      // The README's command: key|value per line on stdin, acks=all.
      const r = spawnSync('kcat', ['-P', '-b', KAFKA_BROKERS, '-t', `${prefix}.events.${type}`, '-K', '|', '-X', 'acks=all'], {
        input: `${t.tenant_id}|${JSON.stringify(data)}\n`,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect([type, r.status, r.status === 0 ? '' : r.stderr]).toEqual([type, 0, '']);
    }
    const bodies = await deliveredAndStored(
      t.api_key,
      '/kcat',
      Object.values(events).map((e) => e.event_id),
    );
    for (const [type, data] of Object.entries(events)) {
      const body = bodies.get(data.event_id)!;
      expect(body.event).toBe(type);
      const { event_id: _id, ...fields } = data;
      expect(body.data).toMatchObject(fields);
    }
    expect(receiver.on('/kcat').every((r) => typeof r.headers['x-rift-signature'] === 'string')).toBe(true);
  });

  itIfPython('examples/python/producer.py (confluent-kafka) publishes the three event types; each is delivered and stored', async () => {
    const t = createTenant(env, 'python');
    await registerWebhook(svc, t.api_key, receiver.url('/python'), ['click', 'attribution', 'conversion']);
    await new Promise((r) => setTimeout(r, 500));
    const r = spawnSync(python!, [path.join(ROOT, 'examples', 'python', 'producer.py'), '--tenant', t.tenant_id, '--link', 'py-link'], {
      env: { PATH: process.env.PATH, KAFKA_BROKERS, RIFT_TOPIC_PREFIX: prefix },
      encoding: 'utf8',
      timeout: 60_000,
    });
    // librdkafka logs transient warnings on stderr (e.g. a coordinator still loading): only the exit status counts.
    expect([r.status, r.status === 0 ? '' : r.stderr]).toEqual([0, '']);
    const sent = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; event_id: string; topic: string });
    expect(sent.map((s) => s.type).sort()).toEqual(['attribution', 'click', 'conversion']);
    const bodies = await deliveredAndStored(
      t.api_key,
      '/python',
      sent.map((s) => s.event_id),
    );
    for (const s of sent) expect(bodies.get(s.event_id)).toMatchObject({ event: s.type, data: { tenant_id: t.tenant_id, link_id: 'py-link' } });
    expect(bodies.get(sent.find((s) => s.type === 'conversion')!.event_id)!.data).toMatchObject({
      amount_cents: 10000,
      currency: 'usd',
      event_id: expect.any(String),
    });
  });
});
