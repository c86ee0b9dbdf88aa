// New migration SQL, written offline by Prisma 6.19's WebAssembly schema engine (infra/prisma6),
// since Prisma 7's `migrate dev` and `migrate diff` need a native engine that cannot be downloaded
// everywhere. Also backs the test that prisma/migrations builds what schema.prisma describes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from './paths.js';

const prisma6 = path.join(root, 'infra', 'prisma6');
const cli = path.join(prisma6, 'node_modules', 'prisma', 'build', 'index.js');

/** Prisma 6 wants `url` in the datasource and knows nothing of Prisma 7's generator options. */
export function toPrisma6Schema(schema: string): string {
  return schema
    .replace(/generator\s+\w+\s*\{[^}]*\}/g, '')
    .replace(/(datasource\s+\w+\s*\{[^}]*provider\s*=\s*"postgresql")/, '$1\n  url = env("DATABASE_URL")');
}

/** The arguments of `prisma migrate diff` from one schema file (or nothing) to another. */
export function diffArgs(config: string, to: string, from: string | null): string[] {
  const args = ['migrate', 'diff', '--config', config, '--to-schema-datamodel', to, '--script'];
  return from === null ? [...args, '--from-empty'] : [...args, '--from-schema-datamodel', from];
}

/** SQL that turns a database built from `fromSchema` (null: an empty one) into `toSchema`. */
export function diffSql(fromSchema: string | null, toSchema: string): string {
  if (!existsSync(cli)) throw new Error('infra/prisma6 is not installed: run `npm ci --prefix infra/prisma6`');
  const dir = mkdtempSync(path.join(tmpdir(), 'rift-prisma6-'));
  try {
    const to = path.join(dir, 'to.prisma');
    writeFileSync(to, toPrisma6Schema(toSchema));
    let from: string | null = null;
    if (fromSchema !== null) {
      from = path.join(dir, 'from.prisma');
      writeFileSync(from, toPrisma6Schema(fromSchema));
    }
    const r = spawnSync(process.execPath, [cli, ...diffArgs(path.join(prisma6, 'prisma.config.ts'), to, from)], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: 'postgresql://unused@127.0.0.1/unused',
        // Any existing file satisfies the CLI's check; the diff runs in WebAssembly and never calls them.
        PRISMA_QUERY_ENGINE_LIBRARY: '/bin/true',
        PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
    });
    if (r.status !== 0 || !r.stdout.trim()) throw new Error(`prisma migrate diff failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Prisma's directory name for a new migration, `<UTC yyyymmddhhmmss>_<name>`: the timestamp is what
 * orders migrations (migrations.ts), so it must sort as the migrations were written.
 */
export function migrationDirName(at: Date, name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name must be lower-case letters, digits and _, not ${JSON.stringify(name)}`);
  return `${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${name}`;
}

/** Writes `sql` as prisma/migrations/<dirName>/migration.sql under `migrationsDir`; returns the file. */
export function writeMigration(migrationsDir: string, dirName: string, sql: string): string {
  const dir = path.join(migrationsDir, dirName);
  if (existsSync(dir)) throw new Error(`${dir} exists already`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'migration.sql');
  writeFileSync(file, sql);
  return file;
}
