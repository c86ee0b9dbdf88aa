import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IntSetting, RETENTION, RETENTION_MESSAGE, toBool, toInt } from './env-transforms.js';

// Where the entry points (main.ts, cli/main.ts, scripts/start.mjs) have always imported it from.
export { ConfigError } from './config-error.js';

/**
 * Every environment variable the service reads, with its default. Validated once at boot
 * (`loadConfig`); a bad environment stops the process with one message naming every bad variable.
 * `.env.example` and the README's configuration table list the same variables.
 */
export class EnvironmentVariables {
  @IsIn(['api', 'dispatcher', 'all'])
  RIFT_ROLE: 'api' | 'dispatcher' | 'all' = 'all';

  @IntSetting(0, 65535)
  PORT = 3000;

  /** Port of /metrics and /health/* for operators; unset or equal to PORT: both on PORT (no /metrics on PORT otherwise). */
  @IsOptional()
  @IntSetting(1, 65535)
  OPS_PORT?: number;

  /** REST requests per minute per API key (per process); 0 turns the limit off. */
  @IntSetting(0, 10_000_000)
  RATE_LIMIT_PER_MINUTE = 300;

  /** Requests per minute per client IP that fail authentication (401) before that IP gets 429s; 0 turns it off. */
  @IntSetting(0, 10_000_000)
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE = 60;

  /** Proxies whose X-Forwarded-For is believed: comma-separated IPs or CIDRs, or loopback, linklocal, uniquelocal. Empty: none (the socket's address is the client). */
  @IsOptional()
  @IsString()
  @Matches(/^\s*$|^[0-9A-Fa-f.:/]+$|^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:/]+))*$/, {
    message: 'TRUST_PROXY must be comma-separated IP addresses or CIDRs, or loopback, linklocal, uniquelocal',
  })
  TRUST_PROXY = '';

  @IsString()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/rift';

  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'KAFKA_CLIENT_ID may hold letters, digits, . _ -' })
  KAFKA_CLIENT_ID = 'rift-webhooks';

  @IsString()
  @Matches(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: 'RIFT_TOPIC_PREFIX may hold letters, digits, _ - and dots between them' })
  RIFT_TOPIC_PREFIX = 'rift';

  @IntSetting(1, 1000)
  KAFKA_TOPIC_PARTITIONS = 6;

  @IntSetting(1, 10)
  KAFKA_REPLICATION_FACTOR = 1;

  /** Topics created at boot refuse acks=all writes while fewer replicas than this are in sync (production: 2 with replication 3). */
  @IntSetting(1, 10)
  KAFKA_MIN_INSYNC_REPLICAS = 1;

  /** Days the DLQ topic keeps dead letters (the broker's default is 7), or `unlimited`. */
  @IsString()
  @Matches(RETENTION, { message: RETENTION_MESSAGE('KAFKA_DLQ_RETENTION_DAYS') })
  KAFKA_DLQ_RETENTION_DAYS = '30';

  /** Days the invalid-events topic keeps what it set aside, or `unlimited`. */
  @IsString()
  @Matches(RETENTION, { message: RETENTION_MESSAGE('KAFKA_INVALID_RETENTION_DAYS') })
  KAFKA_INVALID_RETENTION_DAYS = '30';

  /** How long a consumer fetch waits for data to fill (kafkajs maxWaitTimeInMs). */
  @IntSetting(1, 10_000)
  KAFKA_MAX_WAIT_MS = 50;

  /** How long the group waits for a silent (e.g. killed) consumer before reassigning its partitions. */
  @IntSetting(6_000, 300_000)
  KAFKA_SESSION_TIMEOUT_MS = 10_000;

  /**
   * The largest message this service produces, in bytes: keep it at or below the broker's (and the
   * topics') message.max.bytes, 1,048,588 by default. Produce requests are cut below it; a single
   * message over it is set aside as a reference on the invalid-events topic.
   */
  @IntSetting(65_536, 100_000_000)
  KAFKA_MAX_MESSAGE_BYTES = 1_000_000;

  /**
   * A consumer group of this process that cannot run for this long while Kafka answers exits the
   * process (exit code 1, naming the group), so that an orchestrator restarts it. A broker outage
   * never does: the process waits for Kafka however long it takes.
   */
  @IntSetting(10_000, 86_400_000)
  CONSUMER_RESTART_GIVE_UP_MS = 300_000;

  /** 32 bytes as 64 hex characters or base64: encrypts webhook secrets at rest. Required. */
  @IsString({ message: 'RIFT_SECRET_KEY is required: 32 bytes as 64 hex characters or base64' })
  RIFT_SECRET_KEY: string;

  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;

  @IsString()
  @Matches(/^0(\s*,\s*\d+(\.\d+)?)*$/, { message: 'WEBHOOK_RETRY_SCHEDULE must be seconds, comma-separated, starting with 0 (e.g. 0,1,5,25)' })
  WEBHOOK_RETRY_SCHEDULE = '0,1,5,25';

  @IntSetting(100, 120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** HTTP attempts in flight per dispatcher process. */
  @IntSetting(1, 10_000)
  WEBHOOK_MAX_IN_FLIGHT = 256;

  /** HTTP attempts in flight to one webhook; more wait in that webhook's queue. */
  @IntSetting(1, 10_000)
  WEBHOOK_MAX_IN_FLIGHT_PER_WEBHOOK = 32;

  /** Attempts waiting for one webhook beyond its in-flight cap; past it an attempt is refused (deferred, then "endpoint_saturated"). */
  @IntSetting(0, 100_000)
  WEBHOOK_MAX_QUEUED_PER_WEBHOOK = 1_024;

  /** How long an attempt may wait for a slot of its webhook before it is refused (deferred, then "endpoint_saturated"); up to 4 times that while the process itself is saturated (SATURATED_QUEUE_WAITS). */
  @IntSetting(0, 600_000)
  WEBHOOK_MAX_QUEUE_WAIT_MS = 2_000;

  /**
   * How long a delivery may wait, in all, for a slot of a webhook that is at its concurrency cap
   * (its demand exceeds cap / latency) before the wait counts as a failed attempt
   * ("endpoint_saturated"). The wait is spent in the retry tiers, parked for about the time a slot
   * needs to free up, so the job is not cycled quickly. Default one hour.
   */
  @IntSetting(0, 604_800_000)
  WEBHOOK_MAX_SATURATION_WAIT_MS = 3_600_000;

  /** How long the dispatcher trusts its cached view of a tenant's webhooks (a delete is seen within this). */
  @IntSetting(0, 600_000)
  WEBHOOK_CACHE_TTL_MS = 2_000;

  /** A webhook that has done nothing but fail for this many hours is disabled (decimals allowed). */
  @Transform(toInt)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(8760)
  WEBHOOK_DISABLE_AFTER_HOURS = 120;

  /** Test sends (POST /v1/webhooks/{id}/test) allowed per webhook per minute, per API process. */
  @IntSetting(1, 10_000)
  WEBHOOK_TEST_SENDS_PER_MINUTE = 10;

  /** Input events larger than this are set aside as invalid. */
  @IntSetting(256, 10_485_760)
  EVENT_MAX_BYTES = 65_536;

  /** Days a delivery attempt stays in the attempt log (GET /v1/webhooks/:id/deliveries). */
  @IntSetting(1, 3650)
  ATTEMPT_LOG_RETENTION_DAYS = 30;

  /** NestJS names (log, verbose) or pino's, which the JSON lines are written with (info, trace). */
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'info', 'debug', 'verbose', 'trace'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info (or log), debug, trace (or verbose)',
  })
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'info' | 'debug' | 'verbose' | 'trace' = 'log';

  @IntSetting(0, 600_000)
  SHUTDOWN_TIMEOUT_MS = 15_000;
}
