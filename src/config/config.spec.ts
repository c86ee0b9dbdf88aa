import { readFileSync } from 'node:fs';
import { loadConfig, parseSecretKey } from './config.js';
import { EnvironmentVariables } from './env.schema.js';

const KEY = 'ab'.repeat(32);

describe('loadConfig', () => {
  it('builds the typed config with the documented defaults', () => {
    const c = loadConfig({ RIFT_SECRET_KEY: KEY });
    expect(c.role).toBe('all');
    expect(c.http.port).toBe(3000);
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.kafka.topicPrefix).toBe('rift');
    expect(c.delivery.retrySchedule).toEqual([0, 1, 5, 25]);
    expect(c.delivery.timeoutMs).toBe(10_000);
    expect(c.delivery.maxInFlight).toBeGreaterThanOrEqual(200);
    expect(c.delivery.allowPrivateNetworks).toBe(false);
    expect(c.secretKey.toString('hex')).toBe(KEY);
  });

  it('lists every bad variable in one error', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'x', RIFT_ROLE: 'web', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'maybe', RIFT_SECRET_KEY: 'nope' });
    } catch (err) {
      message = (err as Error).message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe('Invalid configuration (4 problem(s)):');
    expect(lines.slice(1).sort()).toEqual([
      '  - PORT must be an integer number',
      '  - RIFT_ROLE must be one of the following values: api, dispatcher, all',
      '  - RIFT_SECRET_KEY must be 32 bytes as 64 hex characters or base64',
      '  - WEBHOOK_ALLOW_PRIVATE_NETWORKS must be a boolean value',
    ]);
    expect(message).not.toContain('nope');
  });

  it("takes pino's level names (the ones the JSON lines carry) as well as Nest's", () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    for (const level of ['info', 'trace', 'log', 'verbose', 'warn']) expect(loadConfig({ RIFT_SECRET_KEY: key, LOG_LEVEL: level }).logLevel).toBe(level);
    expect(() => loadConfig({ RIFT_SECRET_KEY: key, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });

  it('parses booleans, lists and a base64 key', () => {
    const c = loadConfig({
      RIFT_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      KAFKA_BROKERS: 'a:1,b:2',
      WEBHOOK_RETRY_SCHEDULE: '0, 0.2,0.5',
    });
    expect(c.delivery.allowPrivateNetworks).toBe(true);
    expect(c.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(c.delivery.retrySchedule).toEqual([0, 0.2, 0.5]);
    expect(parseSecretKey('short')).toBeNull();
  });

  it('.env.example lists exactly the variables the service reads, with their defaults', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const entries = Object.fromEntries(
      example
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => {
          const [k, rest] = [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)];
          return [k, rest.replace(/\s+#.*$/, '').trim()];
        }),
    );
    const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;
    const declared = Object.keys(entries).sort();
    expect(declared).toEqual([...new Set([...Object.keys(defaults), 'RIFT_SECRET_KEY'])].sort());
    for (const [k, v] of Object.entries(defaults)) if (v !== undefined) expect([k, entries[k]]).toEqual([k, String(v)]);
  });
});

describe('loadConfig: topic durability', () => {
  it('keeps the DLQ and invalid topics 30 days by default; whole days or unlimited', () => {
    const d = loadConfig({ RIFT_SECRET_KEY: KEY });
    expect(d.kafka.dlqRetentionMs).toBe(30 * 86_400_000);
    expect(d.kafka.invalidRetentionMs).toBe(30 * 86_400_000);
    expect(d.kafka.minInsyncReplicas).toBe(1);
    const c = loadConfig({
      RIFT_SECRET_KEY: KEY,
      KAFKA_DLQ_RETENTION_DAYS: 'unlimited',
      KAFKA_INVALID_RETENTION_DAYS: '365',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    });
    expect(c.kafka.dlqRetentionMs).toBe(-1);
    expect(c.kafka.invalidRetentionMs).toBe(365 * 86_400_000);
    expect([c.kafka.replicationFactor, c.kafka.minInsyncReplicas]).toEqual([3, 2]);
  });

  it('refuses a retention that is not whole days, and min.insync.replicas above the replication factor', () => {
    expect(() => loadConfig({ RIFT_SECRET_KEY: KEY, KAFKA_DLQ_RETENTION_DAYS: '0' })).toThrow(
      'KAFKA_DLQ_RETENTION_DAYS must be whole days (1-36500) or unlimited',
    );
    expect(() => loadConfig({ RIFT_SECRET_KEY: KEY, KAFKA_INVALID_RETENTION_DAYS: '1.5' })).toThrow('KAFKA_INVALID_RETENTION_DAYS must be whole days');
    expect(() => loadConfig({ RIFT_SECRET_KEY: KEY, KAFKA_MIN_INSYNC_REPLICAS: '2' })).toThrow(
      'KAFKA_MIN_INSYNC_REPLICAS (2) must not exceed KAFKA_REPLICATION_FACTOR (1)',
    );
  });
});
