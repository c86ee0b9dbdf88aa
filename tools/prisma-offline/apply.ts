// The database half of the migrator: applies what planMigrations (migrations.ts) says is pending,
// each migration in a transaction of its own, and records it in `_prisma_migrations` in the form
// Prisma's `migrate deploy` writes, so either tool can take over from the other.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describeFailure, planMigrations, readMigrations, type AppliedRow } from './migrations.js';
import { migrationsDir } from './paths.js';

/** Prisma's own DDL for its bookkeeping table (PostgreSQL). */
export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Any constant will do, as long as every process that migrates this project uses the same one. */
export const ADVISORY_LOCK_KEY = 72707351;

export interface ApplyOptions {
  log?: (message: string) => void;
  /** The migrations directory; prisma/migrations unless a test brings its own. */
  dir?: string;
}

/**
 * Applies pending migrations to the database at `connectionString`; returns the names applied,
 * oldest first (empty when it was up to date). Connection errors keep node-postgres' `code`
 * (scripts/start.mjs waits on ECONNREFUSED and 57P03); a failed migration is rolled back whole.
 */
export async function applyMigrations(connectionString: string, { log = () => {}, dir = migrationsDir }: ApplyOptions = {}): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // One migrator at a time per database: two replicas starting together would otherwise both
    // see the same migration as pending. Released when the session ends.
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"');
    const plan = planMigrations(readMigrations(dir), rows);
    for (const warning of plan.warnings) log(`warning: ${warning}`);
    for (const m of plan.pending) {
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)', [
          id,
          m.checksum,
          m.name,
        ]);
        // The whole file as one simple-protocol query: PostgreSQL runs its statements in order
        // inside this transaction, so nothing here has to split SQL (dollar quotes, comments).
        await client.query(m.sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(describeFailure(m, err as pg.DatabaseError), { cause: err });
      }
      log(`applied ${m.name}`);
    }
    return plan.pending.map((m) => m.name);
  } finally {
    await client.end();
  }
}
