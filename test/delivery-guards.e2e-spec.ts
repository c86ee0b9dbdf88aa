import { createEventPublisher } from '../src/events/event-publisher.js';
import type { TestDatabase } from './support/database.js';
import { startPipeline, stopPipeline, type Pipeline } from './support/pipeline.js';
import { api, createTenant, hex24, readTopic, registerWebhook } from './support/fixtures.js';
import type { Receiver } from './support/receiver.js';
import { KAFKA_BROKERS, ServiceProcess, uniquePrefix } from './support/service.js';
import { insertUndecryptableWebhook } from './support/undecryptable-webhook.js';
import { sleep, waitFor } from './support/wait-for.js';

/**
 * What the dispatcher guards against while it delivers: one tenant's hanging endpoint, a target that
 * resolves to a private address, a webhook deleted mid-retry, a secret that cannot be decrypted.
 * The happy path, the retry tiers, the DLQ, poison messages and the metrics are in delivery.e2e-spec.ts.
 */
describe('delivery guards (real Kafka, Postgres, HTTPS receiver)', () => {
  const prefix = uniquePrefix('guards');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  let publisher: Pipeline['publisher'];

  beforeAll(async () => {
    ({ db, receiver, svc, env, publisher } = await startPipeline(prefix, { WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.5,1', WEBHOOK_CACHE_TTL_MS: '300' }));
  });

  afterAll(() => stopPipeline({ db, receiver, svc, publisher }));

  it('does not let a hanging endpoint of one tenant delay another tenant', async () => {
    const a = createTenant(env, 'slow');
    const b = createTenant(env, 'fast');
    receiver.script('/hang', () => ({ hang: true }));
    await registerWebhook(svc, a.api_key, receiver.url('/hang'), ['click']);
    await registerWebhook(svc, b.api_key, receiver.url('/fast'), ['click']);
    for (let i = 0; i < 50; i++) await publisher.publish('click', { tenant_id: a.tenant_id, link_id: 'slow', timestamp: new Date().toISOString() });
    // A new webhook earns its cap: it starts at 4 in flight, and a slow one never gets more.
    await waitFor(() => receiver.on('/hang').length >= 4, { what: 'the hanging endpoint to be busy' });
    await sleep(1000);
    expect(receiver.on('/hang')).toHaveLength(4); // the others wait or fail fast; they take no slots
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = Date.now();
      const { event_id } = await publisher.publish('click', { tenant_id: b.tenant_id, link_id: 'fast', timestamp: new Date().toISOString() });
      const got = await waitFor(() => receiver.on('/fast').find((r) => r.headers['x-rift-event-id'] === event_id), { what: "B's delivery" });
      latencies.push(got.at - sent);
    }
    expect(Math.max(...latencies)).toBeLessThan(1000);
  });

  it('refuses a private target at delivery time too (DNS can change after registration)', async () => {
    // The API process allows private targets (as at registration time); a dispatcher that does not
    // must refuse the resolved loopback address and count it as a failed attempt, through to the DLQ.
    const strictPrefix = uniquePrefix('strict');
    const strictEnv = { ...env, RIFT_TOPIC_PREFIX: strictPrefix };
    const apiOnly = await new ServiceProcess({ ...strictEnv, RIFT_ROLE: 'api' }).start();
    const strict = await new ServiceProcess({ ...strictEnv, RIFT_ROLE: 'dispatcher', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' }).start();
    const strictPublisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: strictPrefix, logLevel: 0 });
    try {
      const t = createTenant(strictEnv);
      await registerWebhook(apiOnly, t.api_key, receiver.url('/private'), ['click']);
      const { event_id } = await strictPublisher.publish('click', { tenant_id: t.tenant_id, link_id: 'x', timestamp: new Date().toISOString() });
      const entry = await waitFor(
        async () => {
          const msgs = await readTopic(`${strictPrefix}.webhooks.dlq`, { settleMs: 300 });
          return msgs.map((m) => JSON.parse(m.value!.toString())).find((j) => j.event_id === event_id);
        },
        { what: 'the DLQ entry', timeoutMs: 30_000 },
      );
      expect(entry.last_error).toBe('unsafe_target');
      expect(entry.history.map((h: { error: string }) => h.error)).toEqual(['unsafe_target', 'unsafe_target', 'unsafe_target', 'unsafe_target']);
      expect(receiver.on('/private')).toHaveLength(0);
    } finally {
      await strictPublisher.close();
      await strict.stop();
      await apiOnly.stop();
    }
  });

  it('stops retrying a webhook deleted while its delivery waits in a retry tier', async () => {
    const t = createTenant(env);
    let deletedAt = 0;
    const wh = await registerWebhook(svc, t.api_key, receiver.url('/deleted'), ['click']);
    receiver.script('/deleted', (_r, n) => {
      if (n === 1)
        void api(svc, t.api_key, 'DELETE', `/v1/webhooks/${wh.id}`).then((r) => {
          expect(r.status).toBe(204);
          deletedAt = Date.now();
        });
      return { status: 500 };
    });
    await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'gone', timestamp: new Date().toISOString() });
    await waitFor(() => deletedAt > 0, { what: 'the delete' });
    await sleep(3000);
    // The cache TTL here is 300 ms: no attempt may start later than that after the delete.
    const late = receiver.on('/deleted').filter((r) => r.at > deletedAt + 400);
    expect(late).toHaveLength(0);
    expect(receiver.on('/deleted').length).toBeLessThan(4);
  });

  it('dead-letters the deliveries of a webhook whose secret cannot be decrypted, and keeps delivering for others', async () => {
    const broken = createTenant(env, 'broken');
    const fine = createTenant(env, 'fine');
    await registerWebhook(svc, fine.api_key, receiver.url('/fine'), ['click']);
    const brokenId = hex24();
    await insertUndecryptableWebhook(db, { id: brokenId, tenantId: broken.tenant_id, url: receiver.url('/broken'), fill: 1 });
    // Both tenants are looked up by the same query; only the broken one may be held up.
    await Promise.all([
      publisher.publish('click', { tenant_id: broken.tenant_id, link_id: 'b', timestamp: new Date().toISOString() }),
      publisher.publish('click', { tenant_id: fine.tenant_id, link_id: 'f', timestamp: new Date().toISOString() }),
    ]);
    await waitFor(() => receiver.on('/fine').length === 1, { what: "the healthy tenant's delivery" });
    await waitFor(() => svc.output.includes('secret_undecryptable'), { what: 'the decrypt error logged' });
    // Set aside with its reason (replayable once RIFT_SECRET_KEY is fixed), not retried for ever.
    const dead = await waitFor(
      async () => (await readTopic(`${prefix}.webhooks.dlq`, { settleMs: 500 })).find((m) => m.headers?.['rift-webhook-id']?.toString() === brokenId),
      { what: 'the dead letter', timeoutMs: 30_000 },
    );
    expect(dead.headers?.['rift-last-error']?.toString()).toBe('secret_undecryptable');
    expect(receiver.on('/broken')).toHaveLength(0);
  });
});
