import kafkajs, { type KafkaMessage } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { KAFKA_BROKERS, rift, type ServiceProcess } from './service.js';

const { Kafka, logLevel, Partitioners } = kafkajs;

export const kafka = new Kafka({ clientId: 'rift-tests', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });

/** A tenant made through the real CLI: `rift tenant create`. */
export function createTenant(env: NodeJS.ProcessEnv, name = 'acme'): { tenant_id: string; api_key: string } {
  const r = rift(['tenant', 'create', '--name', name], env);
  if (r.status !== 0) throw new Error(`rift tenant create failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export async function api(svc: ServiceProcess, key: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export async function registerWebhook(svc: ServiceProcess, key: string, url: string, events: string[]) {
  const r = await api(svc, key, 'POST', '/v1/webhooks', { url, events });
  if (r.status !== 201) throw new Error(`POST /v1/webhooks: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; url: string; events: string[]; secret: string; created_at: string };
}

/** Produces raw messages (anything, valid or not) to a topic. */
export async function produceRaw(topic: string, messages: { key?: string; value: string | Buffer }[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

/** Reads every message currently in a topic (from the beginning) with a throwaway group. */
export async function readTopic(topic: string, { settleMs = 1500 } = {}): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `rift-test-reader-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  const out: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let last = Date.now();
  await consumer.run({ eachMessage: async ({ message }) => void (out.push(message), (last = Date.now())) });
  const started = Date.now();
  while (Date.now() - last < settleMs || Date.now() - started < settleMs * 2) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return out;
}

export const hex24 = () => randomBytes(12).toString('hex');
