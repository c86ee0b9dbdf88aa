import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checksumMatches,
  describeFailure,
  locate,
  orderMigrations,
  planMigrations,
  readMigrations,
  sha256,
  type AppliedRow,
  type Migration,
} from './migrations.js';
import { migrationsDir } from './paths.js';

const m = (name: string, sql = `-- ${name}\n`): Migration => ({ name, sql, checksum: sha256(sql) });
const row = (mig: Migration, over: Partial<AppliedRow> = {}): AppliedRow => ({
  migration_name: mig.name,
  checksum: mig.checksum,
  finished_at: new Date(),
  rolled_back_at: null,
  ...over,
});

describe('checksum', () => {
  it('is the sha256 of the file as Prisma records it, lower-case hex', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('SELECT 1;\n')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches across a change of line endings only, as Prisma does, and not across any other change', () => {
    const lf = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(checksumMatches(lf, sha256(lf))).toBe(true);
    expect(checksumMatches(crlf, sha256(lf))).toBe(true);
    expect(checksumMatches(lf, sha256(crlf))).toBe(true);
    expect(checksumMatches(lf.replace('b (', 'c ('), sha256(lf))).toBe(false);
    expect(checksumMatches(`${lf} `, sha256(lf))).toBe(false);
  });
});

describe('order', () => {
  it('sorts by directory name compared as strings, not by locale and not by the order given', () => {
    const names = ['20261126231951_rollup', '20261126162832_init', '20261126231934_Recoveries', '20261126231934_apply'];
    // A locale comparison would put `apply` before `Recoveries`; Prisma compares bytes.
    expect(orderMigrations(names.map((name) => ({ name }))).map((x) => x.name)).toEqual([
      '20261126162832_init',
      '20261126231934_Recoveries',
      '20261126231934_apply',
      '20261126231951_rollup',
    ]);
  });

  it('reads only directories holding a migration.sql, oldest first, with the checksum of their bytes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rift-migrations-'));
    try {
      for (const [name, sql] of [
        ['20260102000000_second', 'SELECT 2;\n'],
        ['20260101000000_first', 'SELECT 1;\r\n'],
      ]) {
        mkdirSync(path.join(dir, name));
        writeFileSync(path.join(dir, name, 'migration.sql'), sql);
      }
      mkdirSync(path.join(dir, '20260103000000_empty'));
      writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
      expect(readMigrations(dir)).toEqual([
        { name: '20260101000000_first', sql: 'SELECT 1;\r\n', checksum: sha256('SELECT 1;\r\n') },
        { name: '20260102000000_second', sql: 'SELECT 2;\n', checksum: sha256('SELECT 2;\n') },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prisma/migrations: every entry is <UTC timestamp>_<name>, so name order is the order they were written', () => {
    const onDisk = readMigrations(migrationsDir);
    expect(onDisk.length).toBeGreaterThanOrEqual(6);
    for (const x of onDisk) expect(x.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    expect(onDisk[0].name).toMatch(/_init$/);
  });
});

describe('plan', () => {
  const [a, b, c] = [m('20260101000000_a'), m('20260102000000_b'), m('20260103000000_c')];

  it('applies everything, in order, to an empty database', () => {
    const plan = planMigrations([c, a, b], []);
    expect(plan.pending.map((x) => x.name)).toEqual([a.name, b.name, c.name]);
    expect(plan.applied).toEqual([]);
  });

  it('skips what is recorded as finished and applies only the rest', () => {
    const plan = planMigrations([a, b, c], [row(a), row(b)]);
    expect(plan.applied).toEqual([a.name, b.name]);
    expect(plan.pending).toEqual([c]);
    expect(plan.warnings).toEqual([]);
  });

  it('is a no-op when every migration is recorded', () => {
    expect(planMigrations([a, b, c], [row(c), row(a), row(b)]).pending).toEqual([]);
  });

  it('applies again a migration whose only row was rolled back', () => {
    const plan = planMigrations([a, b], [row(a), row(b, { finished_at: null, rolled_back_at: new Date() })]);
    expect(plan.pending).toEqual([b]);
  });

  it('refuses to go on past a migration that started and did not finish', () => {
    expect(() => planMigrations([a, b, c], [row(a), row(b, { finished_at: null })])).toThrow(`migration ${b.name} started but did not finish`);
  });

  it('warns about, and does not reapply, a migration whose file changed after it was applied', () => {
    const edited = { ...b, sql: `${b.sql}SELECT 1;\n`, checksum: sha256(`${b.sql}SELECT 1;\n`) };
    const plan = planMigrations([a, edited], [row(a), row(b)]);
    expect(plan.pending).toEqual([]);
    expect(plan.warnings).toEqual([`${b.name} was modified after it was applied`]);
  });

  it('ignores rows for migrations that are not on disk (applied by a newer checkout)', () => {
    const plan = planMigrations([a], [row(a), row(b)]);
    expect(plan).toEqual({ pending: [], applied: [a.name], warnings: [] });
  });
});

describe('failure messages', () => {
  const sql = 'CREATE TABLE a (id int);\n-- café\nCREATE TABLE b (id nope);\n';

  it("turns PostgreSQL's character position into line and column, counting characters not bytes", () => {
    expect(locate(sql, 1)).toEqual({ line: 1, column: 1 });
    expect(locate(sql, sql.indexOf('nope') + 1)).toEqual({ line: 3, column: 20 });
    expect(locate('é\nx', 3)).toEqual({ line: 2, column: 1 });
  });

  it('names the migration, and the place when PostgreSQL gave one', () => {
    const mig = { name: '20260101000000_a', sql };
    expect(describeFailure(mig, { message: 'type "nope" does not exist', position: String(sql.indexOf('nope') + 1) })).toBe(
      'migration 20260101000000_a failed at migration.sql:3:20: type "nope" does not exist',
    );
    expect(describeFailure(mig, { message: 'deadlock detected' })).toBe('migration 20260101000000_a failed: deadlock detected');
  });
});
