// Setup for the scale scenario, where registering through the API would take longer than the
// measurement: tenants and webhooks written straight into PostgreSQL (secrets sealed as the service
// seals them), retry jobs written straight onto a tier topic, and the database's own counters.
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { SecretBox } from '../src/common/secret-box.js';
import { loadConfig } from '../src/config/config.js';
import type { DeliveryJob } from '../src/contracts/delivery-job.js';
import { KAFKA_BROKERS } from '../test/support/service.js';

const hex24 = () => randomBytes(12).toString('hex');

/** `n` tenants with 2 webhooks each (all event types) pointing at the receiver; the tenants and webhook ids. */
export async function seedTenants(env: NodeJS.ProcessEnv, receiverPort: number, n: number): Promise<{ tenant_id: string; webhooks: string[] }[]> {
  const box = new SecretBox(loadConfig(env).secretKey);
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const out: { tenant_id: string; webhooks: string[] }[] = [];
  try {
    for (let i = 0; i < n; i += 1_000) {
      const tenants: string[] = [];
      const hooks: { id: string; tenant: string; url: string; secret: string }[] = [];
      for (let j = i; j < Math.min(n, i + 1_000); j++) {
        const tenant = hex24();
        tenants.push(tenant);
        const ids = [hex24(), hex24()];
        ids.forEach((id, w) =>
          hooks.push({
            id,
            tenant,
            url: `https://localhost:${receiverPort}/ok/${tenant}/${w}`,
            secret: box.seal(`whsec_${randomBytes(24).toString('base64url')}`, id),
          }),
        );
        out.push({ tenant_id: tenant, webhooks: ids });
      }
      await db.query("INSERT INTO tenants (id, name) SELECT id, 'bench-' || id FROM unnest($1::text[]) AS id", [tenants]);
      await db.query(
        `INSERT INTO webhooks (id, tenant_id, url, events, secret_ciphertext)
         SELECT id, tenant_id, url, ARRAY['click','attribution','conversion'], secret FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w(id, tenant_id, url, secret)`,
        [hooks.map((h) => h.id), hooks.map((h) => h.tenant), hooks.map((h) => h.url), hooks.map((h) => h.secret)],
      );
    }
  } finally {
    await db.end();
  }
  return out;
}

/**
 * The database's counters: transactions committed (each statement run outside an explicit
 * transaction is one; event store and attempt log writes included) and reads of the tenants table
 * (sequential plus index scans). Only the webhook directory reads `tenants` in a dispatcher: a
 * lookup planned as a sequential scan counts once; an index scan of an `IN (...)` list counts once
 * per id on PostgreSQL before 17. Seeding's foreign-key checks count too, so read before and after.
 * pg_stat_statements would count statements exactly, but it needs shared_preload_libraries (a
 * server restart), which the bench does not impose.
 */
export async function dbCounters(url: string, dbName: string): Promise<{ xacts: number; tenantReads: number }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const x = await db.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1', [dbName]);
    const t = await db.query<{ n: string }>("SELECT coalesce(idx_scan, 0) + seq_scan AS n FROM pg_stat_user_tables WHERE relname = 'tenants'");
    return { xacts: Number(x.rows[0]?.n ?? 0), tenantReads: Number(t.rows[0]?.n ?? 0) };
  } finally {
    await db.end();
  }
}

/** `n` delivery jobs on `topic` (a retry tier), due `dueInMs` from now: they wait there through the measurement. */
export async function publishTierJobs(topic: string, tenants: { tenant_id: string; webhooks: string[] }[], n: number, dueInMs: number): Promise<void> {
  const { Kafka, Partitioners, logLevel } = kafkajs;
  const producer = new Kafka({ clientId: 'rift-bench-tier', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const at = new Date().toISOString();
  try {
    for (let i = 0; i < n; i += 1_000) {
      const messages = [];
      for (let j = i; j < Math.min(n, i + 1_000); j++) {
        const t = tenants[j % tenants.length]!;
        const event = hex24();
        const body = JSON.stringify({
          event: 'click',
          timestamp: at.replace(/\.\d{3}Z$/, 'Z'),
          data: {
            tenant_id: t.tenant_id,
            link_id: `link-${j % 50}`,
            user_agent: 'Mozilla/5.0',
            referer: 'https://twitter.com',
            platform: 'ios',
            timestamp: at,
          },
        });
        const job: DeliveryJob = {
          v: 1,
          webhook_id: t.webhooks[j % 2]!,
          tenant_id: t.tenant_id,
          event_id: event,
          event_type: 'click',
          body,
          attempts: 3,
          sent: 3,
          due_at: Date.now() + dueInMs,
          jitter_ms: 0,
          history: [1, 2, 3].map((attempt) => ({ attempt, at, duration_ms: 5, status: 500, error: 'http_500' as const })),
        };
        messages.push({ key: job.webhook_id, value: JSON.stringify(job) });
      }
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
    }
  } finally {
    await producer.disconnect();
  }
}
