// Returns 0 once Kafka is usable: every expected broker has registered, a topic of the given
// replication takes a produce with acks=all, and a consumer group joins and reads it back.
// Used by scripts/kafka.sh so that `npm run kafka:start` returns only when the broker or cluster is usable.
//
// Environment: KAFKA_BROKERS, KAFKA_PROBE_REPLICATION (1), KAFKA_PROBE_BROKERS (brokers that must
// have registered, 1), KAFKA_PROBE_TIMEOUT_MS (90,000).
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const replication = Number(process.env.KAFKA_PROBE_REPLICATION ?? 1);
const expectedBrokers = Number(process.env.KAFKA_PROBE_BROKERS ?? 1);
const deadline = Date.now() + Number(process.env.KAFKA_PROBE_TIMEOUT_MS ?? 90_000);
// One probe topic per replication factor: an existing topic keeps the factor it was created with.
const topic = replication === 1 ? 'rift.__probe' : `rift.__probe.r${replication}`;

async function attempt() {
  const kafka = new Kafka({ clientId: 'rift-kafka-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `rift-probe-${randomUUID()}` });
  try {
    await admin.connect();
    const { brokers: registered } = await admin.describeCluster();
    if (registered.length < expectedBrokers) throw new Error(`${registered.length} of ${expectedBrokers} brokers registered`);
    const configEntries = replication > 1 ? [{ name: 'min.insync.replicas', value: String(Math.min(2, replication - 1)) }] : [];
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: replication, configEntries }], waitForLeaders: true });
    await producer.connect();
    const marker = randomUUID();
    await producer.send({ topic, acks: -1, messages: [{ value: marker }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message consumed within 30 s')), 30_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.value?.toString() === marker) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
}

for (;;) {
  try {
    await attempt();
    process.exit(0);
  } catch (err) {
    if (Date.now() > deadline) {
      console.error(`[kafka] probe failed: ${err.message}`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
