// The pure half of the migrator: which migrations exist, in what order, which of them a database
// still needs, and what to say when one fails. No database access here (apply.ts does that), so
// every decision is unit-tested (migrations.spec.ts).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Migration {
  /** The directory name, `<timestamp>_<name>`: Prisma orders migrations by it. */
  name: string;
  sql: string;
  /** sha256 of migration.sql as it is on disk, hex: what Prisma writes to `_prisma_migrations.checksum`. */
  checksum: string;
}

/** One row of `_prisma_migrations`, the columns the decision needs. */
export interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface Plan {
  /** Still to apply, oldest first. */
  pending: Migration[];
  /** Applied already (skipped). */
  applied: string[];
  /** Not fatal: an applied migration whose file changed since. */
  warnings: string[];
}

export const sha256 = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/**
 * Whether a file still matches the checksum recorded when it was applied. Like Prisma's schema
 * engine, a change of line endings alone (git's autocrlf) does not count as a change.
 */
export function checksumMatches(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, '\n');
  return [sql, lf, lf.replace(/\n/g, '\r\n')].some((variant) => sha256(variant) === checksum);
}

/**
 * Migrations in Prisma's order: by directory name, compared as strings (the timestamp prefix makes
 * that chronological), not by the locale. Entries without a migration.sql are not migrations.
 */
export function orderMigrations<T extends { name: string }>(migrations: T[]): T[] {
  return [...migrations].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The migrations on disk, oldest first (migration_lock.toml and stray files are not migrations). */
export function readMigrations(dir: string): Migration[] {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => ({ name: d.name }));
  return orderMigrations(names).map(({ name }) => {
    const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
    return { name, sql, checksum: sha256(sql) };
  });
}

/**
 * What a database with these `_prisma_migrations` rows still needs. A rolled-back row counts as not
 * applied (Prisma's `migrate resolve --rolled-back`); a row that started and never finished stops
 * everything, as in Prisma, because the database is in a state nobody recorded.
 */
export function planMigrations(onDisk: Migration[], rows: AppliedRow[]): Plan {
  const live = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
  const plan: Plan = { pending: [], applied: [], warnings: [] };
  for (const m of orderMigrations(onDisk)) {
    const row = live.get(m.name);
    if (!row) {
      plan.pending.push(m);
      continue;
    }
    if (row.finished_at === null) throw new Error(`migration ${m.name} started but did not finish; resolve it by hand`);
    if (!checksumMatches(m.sql, row.checksum)) plan.warnings.push(`${m.name} was modified after it was applied`);
    plan.applied.push(m.name);
  }
  return plan;
}

/**
 * Line and column of a 1-based character offset into a migration's SQL: PostgreSQL reports where a
 * statement failed as `position` counted in characters over the whole script sent, which is
 * useless in an error message about a 200-line file.
 */
export function locate(sql: string, position: number): { line: number; column: number } {
  const before = [...sql].slice(0, Math.max(0, position - 1)).join('');
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** `migration X failed at line L:C: message`, the location when PostgreSQL gave one. */
export function describeFailure(m: Pick<Migration, 'name' | 'sql'>, err: { message: string; position?: string }): string {
  const pos = Number(err.position);
  if (!Number.isInteger(pos) || pos < 1) return `migration ${m.name} failed: ${err.message}`;
  const { line, column } = locate(m.sql, pos);
  return `migration ${m.name} failed at migration.sql:${line}:${column}: ${err.message}`;
}
