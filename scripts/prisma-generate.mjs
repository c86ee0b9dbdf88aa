#!/usr/bin/env node
// `prisma generate` without network access: the Prisma 7 CLI insists on a schema-engine binary being
// present even though generating the client does not run it, so point it at any executable when the
// real one is not installed. The generated client (src/generated/prisma) needs no engine at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engines = path.join(root, 'node_modules', '@prisma', 'engines');
const hasEngine = existsSync(engines) && readdirSync(engines).some((f) => f.startsWith('schema-engine'));
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!hasEngine && !env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.platform === 'win32' ? process.execPath : '/bin/true';
const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], { cwd: root, env, stdio: ['ignore', 2, 'inherit'] });
process.exit(r.status ?? 1);
