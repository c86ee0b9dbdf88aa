#!/usr/bin/env node
// Deletes the topics left behind by earlier test and benchmark runs (prefixes `t<8 hex>.` and
// `bench<6 hex>.`, made unique per run by test/support/service.ts and bench/). A broker that keeps
// thousands of dead partitions gets slower for every later run on the same machine.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const kafka = new Kafka({ clientId: 'rift-clean', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
try {
  const stale = (await admin.listTopics()).filter((t) => /^(t[0-9a-f]{8}|bench[0-9a-f]{6})\./.test(t));
  for (let i = 0; i < stale.length; i += 100) await admin.deleteTopics({ topics: stale.slice(i, i + 100), timeout: 30_000 });
  if (stale.length) console.error(`[kafka] deleted ${stale.length} topics of earlier test and benchmark runs`);
} finally {
  await admin.disconnect();
}
