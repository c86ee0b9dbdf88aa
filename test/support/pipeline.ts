import { createEventPublisher } from '../../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { Receiver } from './receiver.js';
import { baseEnv, KAFKA_BROKERS, ServiceProcess } from './service.js';

/** What an end-to-end file runs against: its own database, an HTTPS receiver, the service, and a publisher on its topics. */
export interface Pipeline {
  db: TestDatabase;
  receiver: Receiver;
  svc: ServiceProcess;
  env: NodeJS.ProcessEnv;
  publisher: Awaited<ReturnType<typeof createEventPublisher>>;
}

/** Starts a pipeline on topics of `prefix`, with these settings over the test defaults. */
export async function startPipeline(prefix: string, settings: Record<string, string>): Promise<Pipeline> {
  const db = await createTestDatabase();
  const receiver = await new Receiver().start();
  const env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, ...settings });
  const svc = await new ServiceProcess(env).start();
  const publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix });
  return { db, receiver, svc, env, publisher };
}

/** Stops what startPipeline started (whatever of it did start). */
export async function stopPipeline(p: Partial<Pipeline>): Promise<void> {
  await p.publisher?.close();
  await p.svc?.stop();
  await p.receiver?.stop();
  await p.db?.drop();
}
