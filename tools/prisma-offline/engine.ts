// Whether Prisma's native schema engine is installed, and what follows from it: `migrate` uses
// `prisma migrate deploy` where it is and the project's own applier where it is not; `generate`
// needs a stand-in binary where it is not (see README, "Prisma offline").
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export type MigratorMode = 'auto' | 'prisma' | 'builtin';

/** Stand-ins that satisfy the CLI's "is there a file" check but are not an engine. */
const STAND_INS = ['/bin/true', '/usr/bin/true'];

/** Is the real schema engine there: PRISMA_SCHEMA_ENGINE_BINARY (unless a stand-in), or @prisma/engines' download. */
export function schemaEngineAvailable(root: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const custom = env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (custom) return existsSync(custom) && !STAND_INS.includes(custom);
  const enginesDir = path.join(root, 'node_modules', '@prisma', 'engines');
  return existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith('schema-engine'));
}

/** RIFT_MIGRATOR: `prisma` and `builtin` force a path; `auto` (the default) takes Prisma's when it can. */
export function parseMigratorMode(value: string | undefined): MigratorMode {
  const mode = value === undefined || value === '' ? 'auto' : value;
  if (mode === 'auto' || mode === 'prisma' || mode === 'builtin') return mode;
  throw new Error(`RIFT_MIGRATOR must be auto, prisma or builtin, not ${JSON.stringify(value)}`);
}

export function chooseMigrator(mode: MigratorMode, engineAvailable: boolean): 'prisma' | 'builtin' {
  if (mode === 'auto') return engineAvailable ? 'prisma' : 'builtin';
  return mode;
}

/**
 * The environment for `prisma generate`. The Prisma 7 CLI refuses to start without a schema-engine
 * binary even though generating the client never runs it, so where none is installed it is pointed
 * at an executable that exists everywhere; a value the caller set is left alone.
 */
export function generateEnv(env: NodeJS.ProcessEnv, engineInstalled: boolean, platform: NodeJS.Platform, execPath: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  if (!engineInstalled && !out.PRISMA_SCHEMA_ENGINE_BINARY) out.PRISMA_SCHEMA_ENGINE_BINARY = platform === 'win32' ? execPath : '/bin/true';
  return out;
}
