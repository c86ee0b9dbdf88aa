// tools/prisma-offline: what stands in for Prisma's native schema engine where it cannot be
// downloaded (README, "Prisma offline"; measurements in the note it cites). Prisma 7's client needs
// no engine (it uses @prisma/adapter-pg), but its CLI's `generate`, `migrate deploy` and
// `migrate diff` want the native schema-engine binary. So:
//
//   npm run prisma:generate          generate.ts  `prisma generate` with a stand-in engine path
//   npm run db:migrate               apply.ts     prisma/migrations applied to DATABASE_URL:
//                                                `prisma migrate deploy` where the engine is
//                                                installed, else our own applier, which records
//                                                them in `_prisma_migrations` as Prisma does
//                                                (RIFT_MIGRATOR=auto|prisma|builtin)
//   npm run db:diff [-- --from-empty] [-- --name <name>]
//                                    diff.ts      migration SQL from schema.prisma at HEAD (or from
//                                                nothing) to the working copy, by Prisma 6.19's
//                                                WebAssembly engine (infra/prisma6); --name writes
//                                                it as prisma/migrations/<timestamp>_<name>/
//
// Run with tsx from a clone (package.json); `npm run build` also compiles this folder to
// dist/tools/prisma-offline/, which is how the image's scripts/start.mjs applies migrations
// without dev dependencies. Decisions live in pure functions (migrations.ts, engine.ts, diff.ts)
// with unit specs beside them; test/prisma-offline.e2e-spec.ts runs the applier on a real database.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyMigrations } from './apply.js';
import { diffSql, migrationDirName, writeMigration } from './diff.js';
import { chooseMigrator, parseMigratorMode, schemaEngineAvailable } from './engine.js';
import { generateClient } from './generate.js';
import { migrationsDir, root, schemaPath } from './paths.js';

const USAGE = 'usage: main.ts migrate | generate | diff [--from-empty] [--name <name>]';

export type Command = { cmd: 'migrate' } | { cmd: 'generate' } | { cmd: 'diff'; fromEmpty: boolean; name?: string };

/** The command line (after `node main.ts`) as a command; throws the usage on anything else. */
export function parseCommand(argv: string[]): Command {
  const [cmd, ...rest] = argv;
  if ((cmd === 'migrate' || cmd === 'generate') && rest.length === 0) return { cmd };
  if (cmd !== 'diff') throw new Error(USAGE);
  const { values } = parseArgs({ args: rest, options: { 'from-empty': { type: 'boolean' }, name: { type: 'string' } }, strict: true });
  return { cmd, fromEmpty: values['from-empty'] ?? false, name: values.name };
}

const say = (tag: string) => (m: string) => console.error(`[${tag}] ${m}`);

async function migrate(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    return 2;
  }
  if (chooseMigrator(parseMigratorMode(process.env.RIFT_MIGRATOR), schemaEngineAvailable(root)) === 'prisma') {
    return spawnSync('npx', ['prisma', 'migrate', 'deploy'], { stdio: 'inherit', cwd: root }).status ?? 1;
  }
  const done = await applyMigrations(url, { log: say('migrate') });
  say('migrate')(done.length === 0 ? 'database is up to date' : `${done.length} migration(s) applied`);
  return 0;
}

function diff(fromEmpty: boolean, name: string | undefined): number {
  // The name is checked before the diff, which takes seconds.
  const dirName = name === undefined ? undefined : migrationDirName(new Date(), name);
  const from = fromEmpty ? null : execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: root, encoding: 'utf8' });
  const sql = diffSql(from, readFileSync(schemaPath, 'utf8'));
  if (dirName === undefined) process.stdout.write(sql);
  else say('diff')(`wrote ${path.relative(root, writeMigration(migrationsDir, dirName, sql))}`);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const command = parseCommand(argv);
  if (command.cmd === 'generate') return generateClient(root);
  if (command.cmd === 'diff') return diff(command.fromEmpty, command.name);
  return migrate();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (err: Error) => {
      console.error(`[${process.argv[2] ?? 'prisma-offline'}] ${err.message}`);
      process.exit(1);
    },
  );
}
