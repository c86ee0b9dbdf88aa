import ipaddr from 'ipaddr.js';
import { ConfigError } from './config-error.js';
import type { EnvironmentVariables } from './env.schema.js';
import { validateEnvironment } from './env-validation.js';

export type Role = 'api' | 'dispatcher' | 'all';

/** The typed, nested configuration every module reads; built once from the environment. */
export interface AppConfig {
  role: Role;
  http: {
    port: number;
    /** Port of /metrics and /health/*; equal to `port` when OPS_PORT is unset (one server). */
    opsPort: number;
    /** Express' `trust proxy`: the proxies whose X-Forwarded-For names the client, or false. */
    trustProxy: string[] | false;
  };
  rateLimit: { perMinute: number; authFailuresPerMinute: number };
  database: { url: string };
  kafka: {
    brokers: string[];
    clientId: string;
    topicPrefix: string;
    partitions: number;
    replicationFactor: number;
    minInsyncReplicas: number;
    /** Retention of the DLQ and invalid-events topics in ms; -1 keeps them forever (Kafka's "unlimited"). */
    dlqRetentionMs: number;
    invalidRetentionMs: number;
    maxWaitMs: number;
    sessionTimeoutMs: number;
    maxMessageBytes: number;
    consumerGiveUpMs: number;
  };
  secretKey: Buffer;
  delivery: {
    /** Seconds before each attempt, the first always 0: [0, 1, 5, 25] means 4 attempts. */
    retrySchedule: number[];
    timeoutMs: number;
    maxInFlight: number;
    maxInFlightPerWebhook: number;
    maxQueuedPerWebhook: number;
    maxQueueWaitMs: number;
    maxSaturationWaitMs: number;
    allowPrivateNetworks: boolean;
    cacheTtlMs: number;
    /** Hours of nothing but failures after which a webhook is disabled. */
    disableAfterHours: number;
    /** Test sends per webhook per minute (per API process). */
    testSendsPerMinute: number;
  };
  events: { maxBytes: number };
  attemptLog: { retentionDays: number };
  logLevel: EnvironmentVariables['LOG_LEVEL'];
  shutdownTimeoutMs: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function parseSecretKey(raw: string): Buffer | null {
  const trimmed = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const b = Buffer.from(trimmed, 'base64');
    if (b.length === 32) return b;
  }
  return null;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY as a list for Express, false when empty, or a message naming the bad entry. */
export function parseTrustProxy(raw: string): string[] | false | string {
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) return false;
  for (const e of entries) {
    if (PROXY_NAMES.includes(e)) continue;
    const ok = e.includes('/')
      ? (() => {
          try {
            ipaddr.parseCIDR(e);
            return true;
          } catch {
            return false;
          }
        })()
      : ipaddr.isValid(e);
    if (!ok) return `${e} is not an IP address, a CIDR, or one of ${PROXY_NAMES.join(', ')}`;
  }
  return entries;
}

const DAY_MS = 86_400_000;
const retentionMs = (days: string) => (days === 'unlimited' ? -1 : Number(days) * DAY_MS);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  let vars: EnvironmentVariables | undefined;
  try {
    vars = validateEnvironment(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.message.split('\n').slice(1));
  }
  const secretKey = env.RIFT_SECRET_KEY ? parseSecretKey(env.RIFT_SECRET_KEY) : null;
  if (env.RIFT_SECRET_KEY && !secretKey) {
    problems.push('  - RIFT_SECRET_KEY must be 32 bytes as 64 hex characters or base64');
  }
  const trustProxy = vars ? parseTrustProxy(vars.TRUST_PROXY) : false;
  if (typeof trustProxy === 'string') problems.push(`  - TRUST_PROXY: ${trustProxy}`);
  if (vars && vars.KAFKA_MIN_INSYNC_REPLICAS > vars.KAFKA_REPLICATION_FACTOR) {
    problems.push(
      `  - KAFKA_MIN_INSYNC_REPLICAS (${vars.KAFKA_MIN_INSYNC_REPLICAS}) must not exceed KAFKA_REPLICATION_FACTOR (${vars.KAFKA_REPLICATION_FACTOR}): no write with acks=all could succeed`,
    );
  }
  if (problems.length > 0 || !vars || !secretKey || typeof trustProxy === 'string') {
    throw new ConfigError(`Invalid configuration (${problems.length} problem(s)):\n${problems.join('\n')}`);
  }
  return {
    role: vars.RIFT_ROLE,
    http: { port: vars.PORT, opsPort: vars.OPS_PORT ?? vars.PORT, trustProxy },
    rateLimit: { perMinute: vars.RATE_LIMIT_PER_MINUTE, authFailuresPerMinute: vars.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE },
    database: { url: vars.DATABASE_URL },
    kafka: {
      brokers: vars.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      clientId: vars.KAFKA_CLIENT_ID,
      topicPrefix: vars.RIFT_TOPIC_PREFIX,
      partitions: vars.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: vars.KAFKA_REPLICATION_FACTOR,
      minInsyncReplicas: vars.KAFKA_MIN_INSYNC_REPLICAS,
      dlqRetentionMs: retentionMs(vars.KAFKA_DLQ_RETENTION_DAYS),
      invalidRetentionMs: retentionMs(vars.KAFKA_INVALID_RETENTION_DAYS),
      maxWaitMs: vars.KAFKA_MAX_WAIT_MS,
      sessionTimeoutMs: vars.KAFKA_SESSION_TIMEOUT_MS,
      maxMessageBytes: vars.KAFKA_MAX_MESSAGE_BYTES,
      consumerGiveUpMs: vars.CONSUMER_RESTART_GIVE_UP_MS,
    },
    secretKey,
    delivery: {
      retrySchedule: vars.WEBHOOK_RETRY_SCHEDULE.split(',').map((s) => Number(s.trim())),
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS,
      maxInFlight: vars.WEBHOOK_MAX_IN_FLIGHT,
      maxInFlightPerWebhook: vars.WEBHOOK_MAX_IN_FLIGHT_PER_WEBHOOK,
      maxQueuedPerWebhook: vars.WEBHOOK_MAX_QUEUED_PER_WEBHOOK,
      maxQueueWaitMs: vars.WEBHOOK_MAX_QUEUE_WAIT_MS,
      maxSaturationWaitMs: vars.WEBHOOK_MAX_SATURATION_WAIT_MS,
      allowPrivateNetworks: vars.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      cacheTtlMs: vars.WEBHOOK_CACHE_TTL_MS,
      disableAfterHours: vars.WEBHOOK_DISABLE_AFTER_HOURS,
      testSendsPerMinute: vars.WEBHOOK_TEST_SENDS_PER_MINUTE,
    },
    events: { maxBytes: vars.EVENT_MAX_BYTES },
    attemptLog: { retentionDays: vars.ATTEMPT_LOG_RETENTION_DAYS },
    logLevel: vars.LOG_LEVEL,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
  };
}
