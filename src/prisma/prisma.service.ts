import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { clearLogs } from '@prisma/debug';
import { retry, UNTIL_UP } from '../common/backoff.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaClient } from '../generated/prisma/client.js';

/** How often Prisma's debug history (the arguments of recent queries) is emptied; see onModuleInit. */
const FORGET_QUERY_ARGS_MS = 100;

/**
 * The only database client. Prisma 7 with the node-postgres driver adapter: no native engine.
 * Boot does not fail when Postgres is down: `waitUntilUp` retries with backoff and logs what it
 * waits for, and /health/ready reports the state meanwhile.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  private stopped = false;
  private forgetting?: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // TimeZone=UTC: the driver sends Date parameters without an offset, which PostgreSQL reads in the
    // session's time zone; a server configured for another zone would shift every time bound.
    super({ adapter: new PrismaPg({ connectionString: config.database.url, max: 20, options: '-c TimeZone=UTC' }) });
  }

  async onModuleInit(): Promise<void> {
    // @prisma/debug keeps the arguments of its last 100 calls whether DEBUG is set or not, and the
    // driver adapter logs every query with its parameters: the event store's and the attempt log's
    // batch inserts (hundreds of rows each) stayed reachable there, about 11 MB of the 98 MB live
    // heap in a heap snapshot of a dispatcher working off a backlog. Emptied every
    // FORGET_QUERY_ARGS_MS, it holds the queries of that long (a few), not the last 100. The client
    // runtime bundles a copy of its own that cannot be emptied: it still holds the parameters (as
    // JSON) of the last 100 raw queries, which is how those batches are written (2.5 MB there).
    this.forgetting = setInterval(clearLogs, FORGET_QUERY_ARGS_MS).unref();
    void this.waitUntilUp();
  }

  /** After the consumers have drained (beforeApplicationShutdown), whose last batches still write. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.forgetting);
    await this.$disconnect();
  }

  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }

  /** Resolves once Postgres answers (or the process stops); retries with capped exponential backoff. */
  async waitUntilUp(): Promise<void> {
    if (this.stopped) return;
    await retry(
      async (attempt) => {
        await this.ping();
        if (attempt > 1) this.logger.log('PostgreSQL is reachable');
      },
      UNTIL_UP,
      {
        isStopped: () => this.stopped,
        onRetry: (err, _delay, attempt) => this.logger.warn(`waiting for PostgreSQL (attempt ${attempt}): ${(err as Error).message.split('\n')[0]}`),
      },
    ).catch(() => undefined); // thrown only once stopped: UNTIL_UP retries for ever
  }
}
