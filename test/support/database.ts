import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../../tools/prisma-offline/apply.js';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

function urlFor(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** (Re)creates a database of that name, migrated unless told otherwise; returns its URL. */
export async function freshDatabase(name: string, { migrate = true } = {}): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = urlFor(name);
  if (migrate) await applyMigrations(url);
  return url;
}

/** A database of its own for one test file, dropped afterwards; other databases are never touched. */
export async function createTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  const name = `rift_test_${randomBytes(6).toString('hex')}`;
  const url = await freshDatabase(name, { migrate });
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // drop() ends the pool, but a connection may still be closing when DROP ... WITH (FORCE) lands;
  // the FATAL it then gets is expected, and unhandled it would fail whichever test is running.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async drop() {
      await pool.end();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
