// tools/prisma-offline's applier against the real PostgreSQL: throwaway databases, the project's
// migrations and hand-made ones, and its bookkeeping read back from `_prisma_migrations`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../tools/prisma-offline/apply.js';
import { readMigrations } from '../tools/prisma-offline/migrations.js';
import { migrationsDir } from '../tools/prisma-offline/paths.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { ROOT } from './support/service.js';

interface Row {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
  logs: string | null;
}
const bookkeeping = (db: TestDatabase) => db.query<Row>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');

describe('prisma-offline applier on a real database', () => {
  const dbs: TestDatabase[] = [];
  const dirs: string[] = [];
  const fresh = async () => {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    return db;
  };
  /** A migrations directory of our own: [name, sql] pairs. */
  const migrations = (...files: [string, string][]) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rift-migs-'));
    dirs.push(dir);
    for (const [name, sql] of files) write(dir, name, sql);
    return dir;
  };
  const write = (dir: string, name: string, sql: string) => {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  };
  afterAll(async () => {
    for (const db of dbs) await db.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('applies prisma/migrations in order and records each as Prisma does; a second run is a no-op', async () => {
    const db = await fresh();
    const onDisk = readMigrations(migrationsDir);
    const logs: string[] = [];
    expect(await applyMigrations(db.url, { log: (m) => logs.push(m) })).toEqual(onDisk.map((m) => m.name));
    expect(logs).toEqual(onDisk.map((m) => `applied ${m.name}`));

    const rows = await bookkeeping(db);
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(onDisk.map((m) => [m.name, m.checksum]));
    for (const r of rows) {
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.finished_at!.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
      expect([r.rolled_back_at, r.applied_steps_count, r.logs]).toEqual([null, 1, null]);
    }
    // Applied in name order: each one started no earlier than the one before finished.
    for (let i = 1; i < rows.length; i++) expect(rows[i].started_at.getTime()).toBeGreaterThanOrEqual(rows[i - 1].finished_at!.getTime());
    expect((await db.query(`SELECT to_regclass('public.webhooks') AS t`))[0].t).toBe('webhooks');

    expect(await applyMigrations(db.url)).toEqual([]);
    expect(await bookkeeping(db)).toEqual(rows);
  });

  it('two migrators at once: one applies everything, the other waits and finds nothing to do', async () => {
    const db = await fresh();
    const [a, b] = await Promise.all([applyMigrations(db.url), applyMigrations(db.url)]);
    const all = readMigrations(migrationsDir).map((m) => m.name);
    expect([a, b].sort((x, y) => y.length - x.length)).toEqual([all, []]);
    expect((await bookkeeping(db)).length).toBe(all.length);
  });

  it('applies only what is new after more migrations arrive', async () => {
    const db = await fresh();
    const dir = migrations(['20270101000000_a', 'CREATE TABLE a (id int);\n']);
    expect(await applyMigrations(db.url, { dir })).toEqual(['20270101000000_a']);
    write(dir, '20270102000000_b', 'CREATE TABLE b (id int);\n');
    expect(await applyMigrations(db.url, { dir })).toEqual(['20270102000000_b']);
    expect((await bookkeeping(db)).map((r) => r.migration_name)).toEqual(['20270101000000_a', '20270102000000_b']);
  });

  it('a failing migration rolls back whole, records nothing, says where it failed, and stops the ones after it', async () => {
    const db = await fresh();
    const dir = migrations(
      ['20270101000000_ok', 'CREATE TABLE ok (id int);\n'],
      ['20270102000000_bad', 'CREATE TABLE half (id int);\n-- the next line is wrong\nCREATE TABLE bad (id nope);\n'],
      ['20270103000000_later', 'CREATE TABLE later (id int);\n'],
    );
    await expect(applyMigrations(db.url, { dir })).rejects.toThrow('migration 20270102000000_bad failed at migration.sql:3:22: type "nope" does not exist');
    expect((await bookkeeping(db)).map((r) => r.migration_name)).toEqual(['20270101000000_ok']);
    const tables = await db.query<{ t: string | null }>(`SELECT to_regclass(x) AS t FROM unnest(ARRAY['ok', 'half', 'later']) x`);
    expect(tables.map((r) => r.t)).toEqual(['ok', null, null]);

    write(dir, '20270102000000_bad', 'CREATE TABLE half (id int);\n');
    expect(await applyMigrations(db.url, { dir })).toEqual(['20270102000000_bad', '20270103000000_later']);
  });

  it('refuses to continue past a migration recorded as started and never finished', async () => {
    const db = await fresh();
    const dir = migrations(['20270101000000_a', 'SELECT 1;\n'], ['20270102000000_b', 'CREATE TABLE b (id int);\n']);
    await applyMigrations(db.url, { dir: migrations(['20270101000000_a', 'SELECT 1;\n']) });
    await db.query(`UPDATE "_prisma_migrations" SET finished_at = NULL`);
    await expect(applyMigrations(db.url, { dir })).rejects.toThrow('migration 20270101000000_a started but did not finish');
    expect((await db.query(`SELECT to_regclass('b') AS t`))[0].t).toBeNull();
    // `prisma migrate resolve --rolled-back` marks it so; then it is applied again.
    await db.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now()`);
    expect(await applyMigrations(db.url, { dir })).toEqual(['20270101000000_a', '20270102000000_b']);
  });

  it('warns about a file changed after it was applied, and does not apply it again', async () => {
    const db = await fresh();
    const dir = migrations(['20270101000000_a', 'CREATE TABLE a (id int);\n']);
    await applyMigrations(db.url, { dir });
    write(dir, '20270101000000_a', 'CREATE TABLE a (id bigint);\n');
    const logs: string[] = [];
    expect(await applyMigrations(db.url, { dir, log: (m) => logs.push(m) })).toEqual([]);
    expect(logs).toEqual(['warning: 20270101000000_a was modified after it was applied']);
  });

  it("keeps node-postgres' error code when PostgreSQL is unreachable (start.mjs waits on it)", async () => {
    await expect(applyMigrations('postgresql://postgres@127.0.0.1:1/none')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('npm run db:migrate (tsx) and the compiled copy the image runs (dist/) migrate the same way', async () => {
    const [viaNpm, viaDist] = [await fresh(), await fresh()];
    const run = (cmd: string, args: string[], url: string) =>
      spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: url, RIFT_MIGRATOR: 'builtin' } });
    const n = readMigrations(migrationsDir).length;
    for (const [db, cmd, args] of [
      [viaNpm, 'npm', ['run', '--silent', 'db:migrate']],
      [viaDist, process.execPath, ['dist/tools/prisma-offline/main.js', 'migrate']],
    ] as const) {
      const first = run(cmd, [...args], db.url);
      expect([first.status, first.stderr]).toEqual([0, expect.stringContaining(`[migrate] ${n} migration(s) applied`)]);
      const again = run(cmd, [...args], db.url);
      expect([again.status, again.stderr]).toEqual([0, expect.stringContaining('[migrate] database is up to date')]);
      expect((await bookkeeping(db)).length).toBe(n);
    }
    const missing = spawnSync('npm', ['run', '--silent', 'db:migrate'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    expect([missing.status, missing.stderr.trim()]).toEqual([2, 'DATABASE_URL is not set']);
  });
});
