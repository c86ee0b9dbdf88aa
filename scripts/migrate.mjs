#!/usr/bin/env node
// Applies prisma/migrations to DATABASE_URL.
//
// Where Prisma's schema engine binary is available (a user's machine, the Docker image), this runs
// `prisma migrate deploy`. Where it is not (machines that cannot download Prisma's engines), it applies
// the same migration.sql files in order itself and records them in `_prisma_migrations` exactly as
// Prisma does (same table, same sha256 checksum of the file), so both paths agree on what is applied.
//
//   RIFT_MIGRATOR=auto|prisma|builtin   (default auto)
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const migrationsDir = path.join(root, 'prisma', 'migrations');

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The migrations on disk, oldest first: [{ name, sql, checksum }]. */
export function listMigrations(dir = migrationsDir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies pending migrations with node-postgres; returns the names applied. */
export async function applyMigrations(connectionString, { log = () => {} } = {}) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // One migrator at a time per database (the same key whatever process runs it).
    await client.query('SELECT pg_advisory_lock(72707351)');
    await client.query(MIGRATIONS_TABLE);
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    const done = [];
    for (const m of listMigrations()) {
      const row = applied.get(m.name);
      if (row) {
        if (row.finished_at === null) throw new Error(`migration ${m.name} started but did not finish; resolve it by hand`);
        if (row.checksum !== m.checksum) log(`warning: ${m.name} was modified after it was applied`);
        continue;
      }
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.name} failed: ${err.message}`);
      }
      log(`applied ${m.name}`);
      done.push(m.name);
    }
    return done;
  } finally {
    await client.end();
  }
}

function prismaEngineAvailable() {
  const custom = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (custom) return existsSync(custom) && !['/bin/true', '/usr/bin/true'].includes(custom);
  const enginesDir = path.join(root, 'node_modules', '@prisma', 'engines');
  return existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith('schema-engine'));
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    process.exit(2);
  }
  const mode = process.env.RIFT_MIGRATOR ?? 'auto';
  if (mode === 'prisma' || (mode === 'auto' && prismaEngineAvailable())) {
    const r = spawnSync('npx', ['prisma', 'migrate', 'deploy'], { stdio: 'inherit', cwd: root });
    process.exit(r.status ?? 1);
  }
  const done = await applyMigrations(url, { log: (m) => console.error(`[migrate] ${m}`) });
  console.error(`[migrate] ${done.length === 0 ? 'database is up to date' : `${done.length} migration(s) applied`}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`[migrate] ${err.message}`);
    process.exit(1);
  });
}
