// docker-compose.yml as Compose reads it (Debian's docker-compose, the parser only: no engine in
// CI), fed to the service's own config validator, and the operator's checklist of issue 18 as
// assertions: a second `up` keeps working, nothing unauthenticated listens beyond 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config/config.js';
import { composeConfig, serviceEnvironment, type ComposeService } from './docker/compose.js';

const KEY = randomBytes(32).toString('hex');
const SHUTDOWN_TIMEOUT_MS = 15_000; // the service's default (README, Configuration)

const seconds = (d: string | undefined) => (d ? Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN) : 10); // Docker's default is 10 s
const ports = (s: ComposeService) => (s.ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.host_ip ?? ''}:${p.published}`));

describe('docker-compose.yml', () => {
  it('gives the service an environment its config validator accepts, pointing at the compose services', () => {
    const config = loadConfig(serviceEnvironment(composeConfig({ RIFT_SECRET_KEY: KEY })));
    expect(config.kafka.brokers).toEqual(['kafka:9092']);
    expect(new URL(config.database.url).host).toBe('postgres:5432');
    expect(config.http.port).toBe(3000);
    expect(config.http.opsPort).toBe(9464); // infra/monitoring/prometheus.yml scrapes rift:9464
    expect(config.secretKey.toString('hex')).toBe(KEY);
  });

  it('reads the secret key and any other setting from .env, while its own wiring wins', () => {
    const env = serviceEnvironment(composeConfig({ RIFT_SECRET_KEY: KEY, LOG_LEVEL: 'debug', KAFKA_BROKERS: '127.0.0.1:9092', POSTGRES_DB: 'other' }));
    const config = loadConfig(env);
    expect(config.logLevel).toBe('debug');
    expect(config.kafka.brokers).toEqual(['kafka:9092']);
    expect(new URL(config.database.url).pathname).toBe('/other');
  });

  it('refuses to start without RIFT_SECRET_KEY in .env, and says where it goes', () => {
    expect(() => composeConfig({})).toThrow(/create \.env once with RIFT_SECRET_KEY/);
  });

  it('points the service at the three-node cluster with replication 3 under docker-compose.cluster.yml', () => {
    const compose = composeConfig({ RIFT_SECRET_KEY: KEY }, { cluster: true });
    const env = serviceEnvironment(compose);
    const config = loadConfig(env);
    expect(config.kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092', 'kafka-3:9092']);
    expect(config.kafka.replicationFactor).toBe(3);
    expect(env.KAFKA_MIN_INSYNC_REPLICAS).toBe('2');
    expect(compose.services.kafka.profiles).toEqual(['single-node']); // the single node stays down
    for (const [i, name] of ['kafka-1', 'kafka-2', 'kafka-3'].entries()) {
      const node = serviceEnvironment(compose, name);
      expect(compose.services.rift.depends_on?.[name]?.condition).toBe('service_healthy');
      expect(node.KAFKA_NODE_ID).toBe(String(i + 1));
      expect(node.KAFKA_PROCESS_ROLES).toBe('broker,controller');
      expect(node.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093');
      expect(node.KAFKA_ADVERTISED_LISTENERS).toBe(`PLAINTEXT://${name}:9092`);
      expect([node.KAFKA_DEFAULT_REPLICATION_FACTOR, node.KAFKA_MIN_INSYNC_REPLICAS, node.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR]).toEqual(['3', '2', '3']);
      expect(node.CLUSTER_ID).toBe(serviceEnvironment(compose, 'kafka-1').CLUSTER_ID);
    }
  });

  it('publishes ports on 127.0.0.1 only, none of the non-Docker path (3000, 5432, 9092)', () => {
    const compose = composeConfig({ RIFT_SECRET_KEY: KEY });
    const published = Object.values(compose.services).flatMap(ports);
    expect(published.length).toBeGreaterThan(0);
    for (const p of published) {
      expect(p).toMatch(/^127\.0\.0\.1:/);
      expect(['3000', '5432', '9092']).not.toContain(p.split(':')[1]);
    }
    expect(compose.services.postgres.ports ?? []).toEqual([]);
  });

  it('advertises a host listener at the published Kafka port', () => {
    const compose = composeConfig({ RIFT_SECRET_KEY: KEY });
    const kafka = serviceEnvironment(compose, 'kafka');
    const hostPort = ports(compose.services.kafka)[0].split(':')[1];
    expect(kafka.KAFKA_ADVERTISED_LISTENERS.split(',')).toContain(`HOST://127.0.0.1:${hostPort}`);
    expect(kafka.KAFKA_ADVERTISED_LISTENERS.split(',')).toContain('PLAINTEXT://kafka:9092');
  });

  it('keeps Kafka and PostgreSQL data on named volumes', () => {
    const compose = composeConfig({ RIFT_SECRET_KEY: KEY }, { cluster: true });
    const named = Object.keys(compose.volumes ?? {});
    const mountOf = (service: string, target: string) =>
      (compose.services[service].volumes ?? [])
        .map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v))
        .find((v) => v.target === target);
    expect(named).toContain(mountOf('postgres', '/var/lib/postgresql/data')?.source);
    for (const name of ['kafka', 'kafka-1', 'kafka-2', 'kafka-3']) {
      const logDir = serviceEnvironment(compose, name).KAFKA_LOG_DIRS;
      expect(named).toContain(mountOf(name, logDir)?.source);
    }
  });

  it('restarts the service, and stops it no sooner than its shutdown timeout allows', () => {
    const { services } = composeConfig({ RIFT_SECRET_KEY: KEY });
    expect(services.rift.restart).toBe('unless-stopped');
    expect(seconds(services.rift.stop_grace_period) * 1000).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS);
    expect(JSON.stringify(services.postgres.healthcheck?.test)).toContain('pg_isready -h 127.0.0.1');
  });
});
