import kafkajs from 'kafkajs';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { kafka } from './support/fixtures.js';
import { baseEnv, ServiceProcess, uniquePrefix } from './support/service.js';
import { waitFor } from './support/wait-for.js';

const { ConfigResourceTypes } = kafkajs;
const DAY_MS = 86_400_000;

/**
 * Topic provisioning: topics are created with the configured min.insync.replicas, the DLQ and
 * invalid-events topics with their own retention (days or unlimited), and an existing topic whose
 * settings differ is left alone and named in a warning at boot.
 */
describe('topic provisioning (durability settings)', () => {
  let db: TestDatabase;
  const admin = kafka.admin();

  beforeAll(async () => {
    db = await createTestDatabase();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
    await db?.drop();
  });

  const configsOf = async (topic: string) => {
    const r = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'min.insync.replicas'] }],
    });
    return Object.fromEntries(r.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
  };

  it('creates topics with their settings and warns, naming it, about an existing topic that differs', async () => {
    const prefix = uniquePrefix('topics');
    // An operator-made DLQ with 1 partition and the broker's retention.
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: `${prefix}.webhooks.dlq`, numPartitions: 1, replicationFactor: 1 }] });
    const env = baseEnv({
      DATABASE_URL: db.url,
      RIFT_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '2',
      KAFKA_DLQ_RETENTION_DAYS: '45',
      KAFKA_INVALID_RETENTION_DAYS: 'unlimited',
      RIFT_ROLE: 'api',
    });
    const svc = await new ServiceProcess(env).start();
    try {
      const line = await waitFor(() => svc.output.split('\n').find((l) => l.includes('existing topics differ from the configuration')), {
        what: 'the warning about differing topics',
        timeoutMs: 30_000,
      });
      expect(line).toContain(`${prefix}.webhooks.dlq (partitions 1, configured 2; retention.ms ${DAY_MS}, configured ${45 * DAY_MS})`);
      expect(line).not.toContain(`${prefix}.events.invalid`);
      expect(await configsOf(`${prefix}.events.invalid`)).toEqual({ 'retention.ms': '-1', 'min.insync.replicas': '1' });
      expect(await configsOf(`${prefix}.webhooks.dlq`)).toEqual({ 'retention.ms': String(DAY_MS), 'min.insync.replicas': '1' });
      const meta = await admin.fetchTopicMetadata({ topics: [`${prefix}.webhooks.attempts`, `${prefix}.webhooks.dlq`] });
      expect(meta.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
        [`${prefix}.webhooks.attempts`, 2],
        [`${prefix}.webhooks.dlq`, 1],
      ]);
    } finally {
      await svc.stop();
    }
    // A second boot: the topics it created match; the DLQ now differs only in its partitions.
    const again = await new ServiceProcess({ ...env, KAFKA_DLQ_RETENTION_DAYS: '1' }).start();
    try {
      const second = await waitFor(() => again.output.split('\n').find((l) => l.includes('existing topics differ')), {
        what: 'the second warning',
        timeoutMs: 30_000,
      });
      expect(second).toMatch(new RegExp(`: ${prefix.replace('.', '\\.')}\\.webhooks\\.dlq \\(partitions 1, configured 2\\)"`));
    } finally {
      await again.stop();
    }
  }, 120_000);
});
