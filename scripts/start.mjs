#!/usr/bin/env node
// The image's CMD: validates the environment, applies pending migrations with the project's own
// applier (tools/prisma-offline, compiled into dist/ by `npm run build`; no Prisma engine needed),
// then runs the service in this same process, so that one node process is PID 1 and receives
// SIGTERM itself.

// PostgreSQL may still be starting (or restarting) when the container starts: wait for it, as the
// service itself does, then give up and let the restart policy try again.
const WAIT_FOR_DATABASE_MS = 120_000;
const RETRY_MAX_DELAY_MS = 5_000;
// Errors that mean "not reachable yet", not "wrong": refused, name not resolvable yet, reset, and
// PostgreSQL's 57P03 (starting up or shutting down).
const TRANSIENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', '57P03']);

const log = (msg) => console.error(JSON.stringify({ level: 30, time: new Date().toISOString(), pid: process.pid, context: 'Start', msg }));

// PID 1 ignores any signal it has no handler for, and that includes the signal NestJS raises again
// after its graceful shutdown. So this handler stays: before the service has its own handlers it
// ends the process at once (a migration in progress rolls back with its transaction); while the
// service's handler is installed it leaves the signal to it; once that handler has run and removed
// itself, it ends the process as the re-raised signal would have (128 + 15).
const onSignal = (signal) => {
  if (process.listenerCount(signal) > 1) return;
  log(`${signal}: exiting`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

const { loadConfig } = await import('../dist/config/config.js');
const { ConfigError } = await import('../dist/config/env.schema.js');
const { applyMigrations } = await import('../dist/tools/prisma-offline/apply.js');
let databaseUrl;
try {
  databaseUrl = loadConfig().database.url;
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(78); // EX_CONFIG, as dist/main.js
}

const deadline = Date.now() + WAIT_FOR_DATABASE_MS;
for (let delay = 250; ; delay = Math.min(delay * 2, RETRY_MAX_DELAY_MS)) {
  try {
    const applied = await applyMigrations(databaseUrl, { log: (m) => log(`migrations: ${m}`) });
    log(applied.length === 0 ? 'migrations: database is up to date' : `migrations: ${applied.length} applied`);
    break;
  } catch (err) {
    if (!TRANSIENT.has(err.code) || Date.now() + delay > deadline) {
      log(`migrations failed: ${err.message}`);
      process.exit(1);
    }
    log(`waiting for PostgreSQL (${err.code})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

await import('../dist/main.js');
