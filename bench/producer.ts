// Scenario "producer": what kafkajs' idempotent producer costs with the service's produce pattern
// (256 callers each awaiting acks=all for one small record, gathered into one request per 2 ms or
// 500 records, as KafkaService does). kafkajs serialises requests per broker when idempotence is on
// (maxInFlightRequests 1). Brokers from KAFKA_BROKERS (a cluster measures replication too).
import { randomBytes } from 'node:crypto';
import kafkajs, { type Producer } from 'kafkajs';
import type { ScenarioResult } from './util.js';

const { Kafka, logLevel, Partitioners } = kafkajs;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

async function run(producer: Producer, topic: string, total: number): Promise<number> {
  let queue: { value: string; done: () => void; fail: (e: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: batch.map((b) => ({ key: b.value.slice(0, 8), value: b.value })) }] }).then(
      () => batch.forEach((b) => b.done()),
      (e) => batch.forEach((b) => b.fail(e)),
    );
  };
  const send = (value: string) =>
    new Promise<void>((done, fail) => {
      queue.push({ value, done, fail });
      if (queue.length >= 500) flush();
      else timer ??= setTimeout(flush, 2);
    });
  let sent = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 256 }, async () => {
      while (sent < total) {
        sent++;
        await send(JSON.stringify({ id: randomBytes(12).toString('hex'), outcome: 'succeeded', duration_ms: 12, at: new Date().toISOString() }));
      }
    }),
  );
  return Math.round(total / (Number(process.hrtime.bigint() - started) / 1e9));
}

export async function producerScenario(quick: boolean): Promise<ScenarioResult> {
  const total = quick ? 10_000 : 50_000;
  const kafka = new Kafka({ clientId: 'rift-bench-producer', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const replication = Math.min(3, (await admin.describeCluster()).brokers.length);
  const topic = `bench${randomBytes(4).toString('hex')}.producer`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6, replicationFactor: replication }] });
  const rows: Record<string, string | number | boolean>[] = [];
  const rates: Record<string, number[]> = { plain: [], idempotent: [] };
  // A warm-up (JIT, connections, topic metadata) so the first variant measured does not pay for it.
  const warm = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await warm.connect();
  await run(warm, topic, 2_000);
  await warm.disconnect();
  // Alternating rounds, so a burst of load elsewhere on the machine does not land on one variant.
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    for (const idempotent of [false, true]) {
      const producer = kafka.producer({ idempotent, ...(idempotent ? { maxInFlightRequests: 1 } : {}), createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      rates[idempotent ? 'idempotent' : 'plain']!.push(await run(producer, topic, total));
      await producer.disconnect();
    }
  }
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  const best = (xs: number[]) => Math.max(...xs);
  const plain = best(rates.plain!);
  const idem = best(rates.idempotent!);
  rows.push({ producer: 'acks=all (as shipped)', 'records/s': plain, runs: rates.plain!.join(', ') });
  rows.push({ producer: 'acks=all, idempotent', 'records/s': idem, runs: rates.idempotent!.join(', ') });
  return {
    name: 'producer',
    title: `idempotent producer cost: ${total.toLocaleString('en')} records, replication ${replication}, 256 callers, 2 ms batches`,
    rows,
    extra: { idempotent_vs_plain: `${idem >= plain ? '+' : ''}${Math.round((idem / plain - 1) * 100)}% records/s (best runs)`, brokers: brokers.length },
  };
}
