// Returns 0 once a kafkajs client can create a topic, produce to it and consume from it in a group.
// Used by scripts/kafka.sh so that `npm run kafka:start` returns only when the broker is usable.
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const deadline = Date.now() + Number(process.env.KAFKA_PROBE_TIMEOUT_MS ?? 90_000);
const topic = 'rift.__probe';

async function attempt() {
  const kafka = new Kafka({ clientId: 'rift-kafka-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `rift-probe-${randomUUID()}` });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await producer.connect();
    const marker = randomUUID();
    await producer.send({ topic, acks: -1, messages: [{ value: marker }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message consumed within 30 s')), 30_000);
      consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value?.toString() === marker) { clearTimeout(timer); resolve(); }
        },
      }).catch(reject);
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
