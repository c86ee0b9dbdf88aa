import 'reflect-metadata';
import { HttpException, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/config.js';
import { ConfigError } from '../config/env.schema.js';
import { InvalidEventError } from '../events/event-publisher.js';
import { TenantError } from '../tenants/tenants.service.js';
import { CliModule } from './cli.module.js';
import { parseCommandLine, type Invocation } from './program.js';

/**
 * `rift`: the command line is parsed first (src/cli/program.ts; a usage error exits 2 before anything
 * connects), then the command runs against the same modules as the service, without HTTP or consumers.
 * Exit codes: 0 done, 2 the input was refused (usage, validation, an API 4xx), 1 anything else.
 */

/** Everything the framework says goes to stderr: stdout carries only the command's result. */
const stderrLogger: LoggerService = {
  log: () => undefined,
  warn: (m: unknown) => process.stderr.write(`warn: ${typeof m === 'string' ? m : JSON.stringify(m)}\n`),
  error: (m: unknown) => process.stderr.write(`error: ${typeof m === 'string' ? m : JSON.stringify(m)}\n`),
};

async function execute(inv: Invocation): Promise<void> {
  const env = { ...process.env };
  // Tenant, key and publish commands never open a webhook secret; a throwaway key lets them run
  // without RIFT_SECRET_KEY in the shell.
  env.RIFT_SECRET_KEY ??= randomBytes(32).toString('hex');
  const config = loadConfig(env);
  const app = await NestFactory.createApplicationContext(CliModule.forConfig(config), { logger: stderrLogger, abortOnError: false });
  try {
    await inv.run(app);
  } finally {
    await app.close();
  }
}

function exitCodeOf(err: unknown): number {
  if (err instanceof HttpException) {
    // The API's own answer (400 range rules, 404, 409 a recovery still running), as JSON.
    process.stderr.write(`rift: ${JSON.stringify(err.getResponse())}\n`);
    return err.getStatus() < 500 ? 2 : 1;
  }
  const refused = err instanceof TenantError || err instanceof InvalidEventError || err instanceof ConfigError;
  process.stderr.write(`rift: ${(err as Error).message}\n`);
  if (!refused) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  return refused ? 2 : 1;
}

const parsed = parseCommandLine(process.argv.slice(2));
if ('exitCode' in parsed) process.exit(parsed.exitCode);
execute(parsed).then(
  () => process.exit(0),
  (err: unknown) => process.exit(exitCodeOf(err)),
);
