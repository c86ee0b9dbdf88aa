import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { diffSql } from '../tools/prisma-offline/diff.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { baseEnv, ROOT, ServiceProcess, uniquePrefix } from './support/service.js';
import { waitFor } from './support/wait-for.js';

describe('platform', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('boots in the all role against the real broker and database and reports ready', async () => {
    const prefix = uniquePrefix('platform');
    const svc = await new ServiceProcess(baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, RIFT_ROLE: 'all' })).start();
    try {
      const ready = (await (await fetch(`${svc.url}/health/ready`)).json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(ready.status).toBe('ok');
      // Every consumer group of the all role is named, and runs.
      const groups = ['dispatcher', 'dispatcher-retry', 'event-store', 'attempt-log'].map((g) => `consumer:${prefix}-${g}`);
      expect(ready.details).toEqual({
        postgres: { status: 'up' },
        kafka: { status: 'up' },
        ...Object.fromEntries(groups.map((g) => [g, { status: 'up', state: 'running' }])),
      });
      expect((await fetch(`${svc.url}/health/live`)).status).toBe(200);
      const spec = (await (await fetch(`${svc.url}/openapi.json`)).json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    } finally {
      await svc.stop();
    }
    // SIGTERM: Nest closes the app (consumers leave the group, producer flushes), then re-raises.
    expect(svc.output).toContain('dispatcher stopped');
  });

  it.each([
    ['Kafka', { KAFKA_BROKERS: '127.0.0.1:1' }, 'kafka', 'postgres'],
    ['PostgreSQL', { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' }, 'postgres', 'kafka'],
  ])('stays up and not ready while %s is unreachable, saying what it waits for', async (name, broken, down, up) => {
    const svc = await new ServiceProcess(baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: uniquePrefix('down'), RIFT_ROLE: 'all', ...broken })).start({
      waitReady: false,
    });
    try {
      const res = await waitFor(async () => {
        const r = await fetch(`${svc.url}/health/ready`);
        return r.status === 503 ? r : undefined;
      });
      const body = (await res.json()) as { details: Record<string, { status: string }> };
      expect(body.details[down]!.status).toBe('down');
      expect(body.details[up]!.status).toBe('up');
      expect((await fetch(`${svc.url}/health/live`)).status).toBe(200);
      await waitFor(() => svc.output.includes(`waiting for ${name}`), { what: `a log line naming ${name}` });
      if (name === 'Kafka') {
        // The metrics endpoint keeps answering; lag is marked stale rather than crashing.
        const metrics = await waitFor(
          async () => {
            const t = await (await fetch(`${svc.url}/metrics`)).text();
            return t.includes('rift_kafka_consumer_lag_stale 1') ? t : undefined;
          },
          { what: 'stale lag' },
        );
        expect(metrics).toContain('rift_deliveries_total');
      }
      expect(svc.exitCode).toBeUndefined();
    } finally {
      await svc.kill();
    }
  });

  it('refuses a bad environment at boot with one message listing every bad variable', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH, PORT: 'http', KAFKA_BROKERS: 'nope', RIFT_ROLE: 'web', RIFT_SECRET_KEY: 'short', WEBHOOK_RETRY_SCHEDULE: '1,2' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(78);
    for (const v of ['PORT', 'KAFKA_BROKERS', 'RIFT_ROLE', 'RIFT_SECRET_KEY', 'WEBHOOK_RETRY_SCHEDULE']) expect(r.stderr).toContain(v);
    expect(r.stderr).toContain('Invalid configuration (5 problem(s))');
    expect(r.stderr).not.toContain('short'); // the secret's value is never echoed
  });

  it('requires RIFT_SECRET_KEY', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main.js')], { env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('RIFT_SECRET_KEY is required');
  });

  it('migrations build exactly the schema that schema.prisma describes', async () => {
    // Database A: prisma/migrations applied in order (the test database). Database B: the SQL that
    // Prisma's own engine writes for schema.prisma from nothing. Their catalogs must be identical.
    const fromSchema = await createTestDatabase({ migrate: false });
    try {
      const sql = diffSql(null, readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8'));
      const c = new pg.Client({ connectionString: fromSchema.url });
      await c.connect();
      await c.query(sql);
      await c.end();
      const [a, b] = await Promise.all([catalog(db), catalog(fromSchema)]);
      expect(a.length).toBeGreaterThan(10);
      expect(a).toEqual(b);
    } finally {
      await fromSchema.drop();
    }
  });

  it('records applied migrations in _prisma_migrations the way Prisma does', async () => {
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations',
    );
    const onDisk = spawnSync('ls', [path.join(ROOT, 'prisma', 'migrations')], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((n) => /^\d+_/.test(n));
    expect(rows.map((r) => r.migration_name).sort()).toEqual(onDisk.sort());
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at !== null)).toBe(true);
  });
});

async function catalog(db: TestDatabase): Promise<string[]> {
  const cols = await db.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const idx = await db.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
  const cons = await db.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conname <> '_prisma_migrations_pkey'`,
  );
  return [...cols.map((r) => JSON.stringify(r)), ...idx.map((r) => JSON.stringify(r)), ...cons.map((r) => JSON.stringify(r))].sort();
}
