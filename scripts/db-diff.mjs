#!/usr/bin/env node
// Writes migration SQL offline with Prisma 6.19's WebAssembly schema engine (infra/prisma6), since
// Prisma 7's `migrate dev` needs a native engine that cannot be downloaded everywhere.
//
//   node scripts/db-diff.mjs                      SQL from the schema at HEAD to the working schema
//   node scripts/db-diff.mjs --from-empty         SQL that builds the whole schema from nothing
//   node scripts/db-diff.mjs --name add_events    ...and write it as prisma/migrations/<ts>_add_events
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'infra', 'prisma6', 'node_modules', 'prisma', 'build', 'index.js');

/** Prisma 6 wants `url` in the datasource and knows nothing of Prisma 7's generator options. */
export function toPrisma6Schema(schema) {
  return schema
    .replace(/generator\s+\w+\s*\{[^}]*\}/g, '')
    .replace(/(datasource\s+\w+\s*\{[^}]*provider\s*=\s*"postgresql")/, '$1\n  url = env("DATABASE_URL")');
}

/** SQL from one schema text (or nothing) to another, through the Prisma 6 CLI. */
export function diffSql(fromSchema, toSchema) {
  if (!existsSync(cli)) throw new Error('infra/prisma6 is not installed: run `npm ci --prefix infra/prisma6`');
  const dir = mkdtempSync(path.join(tmpdir(), 'rift-prisma6-'));
  const to = path.join(dir, 'to.prisma');
  writeFileSync(to, toPrisma6Schema(toSchema));
  const config = path.join(root, 'infra', 'prisma6', 'prisma.config.ts');
  const args = ['migrate', 'diff', '--config', config, '--to-schema-datamodel', to, '--script'];
  if (fromSchema === null) args.push('--from-empty');
  else {
    const from = path.join(dir, 'from.prisma');
    writeFileSync(from, toPrisma6Schema(fromSchema));
    args.push('--from-schema-datamodel', from);
  }
  const r = spawnSync(process.execPath, [cli, ...args], {
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
}

function main() {
  const args = process.argv.slice(2);
  const schema = readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
  let from = null;
  if (!args.includes('--from-empty')) {
    from = execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: root, encoding: 'utf8' });
  }
  const sql = diffSql(from, schema);
  const i = args.indexOf('--name');
  if (i < 0) {
    process.stdout.write(sql);
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const dir = path.join(root, 'prisma', 'migrations', `${stamp}_${args[i + 1]}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'migration.sql'), sql);
  console.error(`wrote ${path.relative(root, dir)}/migration.sql`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
