// `prisma generate` without network access (npm run prisma:generate, the first step of npm run
// build). The generated client (src/generated/prisma) talks to PostgreSQL through
// @prisma/adapter-pg and needs no engine at all; only the CLI insists on one (engine.ts).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { generateEnv, schemaEngineAvailable } from './engine.js';

/** Runs the project's Prisma 7 CLI `generate`; returns its exit status. Its output goes to stderr. */
export function generateClient(root: string): number {
  const env = generateEnv(process.env, schemaEngineAvailable(root), process.platform, process.execPath);
  const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
  // stdout to our stderr: `npm run --silent build` stays quiet on stdout, as before.
  const r = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: ['ignore', 2, 'inherit'] });
  return r.status ?? 1;
}
