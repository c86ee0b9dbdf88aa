import { Inject, Injectable, Logger } from '@nestjs/common';
import kafkajs, { type Admin } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { KafkaAdmin } from './kafka-admin.js';
import { Topics } from './topics.js';

const { ConfigResourceTypes } = kafkajs;

/** What one pipeline topic should look like: partitions, replication and the topic configs we set. */
export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  /** Kafka topic configs (min.insync.replicas everywhere; retention.ms where it is ours to keep). */
  configs: Record<string, string>;
}

/**
 * The settings of every pipeline topic, from configuration. Every topic gets the configured
 * replication and min.insync.replicas (with acks=all, a write then survives the loss of
 * replication - min.insync.replicas brokers); the DLQ and invalid-events topics also keep their
 * messages for the configured days (-1: forever) instead of the broker's default (7 days), since
 * they are the record of what was not delivered.
 */
export function desiredTopicSettings(topics: Topics, kafka: AppConfig['kafka']): Map<string, TopicSettings> {
  const base = { partitions: kafka.partitions, replicationFactor: kafka.replicationFactor };
  const isr = { 'min.insync.replicas': String(kafka.minInsyncReplicas) };
  const out = new Map<string, TopicSettings>();
  for (const topic of topics.all()) out.set(topic, { ...base, configs: { ...isr } });
  out.set(topics.dlq, { ...base, configs: { ...isr, 'retention.ms': String(kafka.dlqRetentionMs) } });
  out.set(topics.invalid, { ...base, configs: { ...isr, 'retention.ms': String(kafka.invalidRetentionMs) } });
  return out;
}

/** "rift.webhooks.dlq (retention.ms 604800000, configured 2592000000)" for each topic that differs. */
export async function differingTopics(admin: Admin, desired: Map<string, TopicSettings>, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const meta = await admin.fetchTopicMetadata({ topics: names });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: Object.keys(desired.get(name)!.configs) })),
  });
  const out: string[] = [];
  for (const name of names) {
    const want = desired.get(name)!;
    const diffs: string[] = [];
    const t = meta.topics.find((m) => m.name === name);
    if (t && t.partitions.length !== want.partitions) diffs.push(`partitions ${t.partitions.length}, configured ${want.partitions}`);
    const rf = t?.partitions[0]?.replicas.length;
    if (rf !== undefined && rf !== want.replicationFactor) diffs.push(`replication ${rf}, configured ${want.replicationFactor}`);
    const entries = described.resources.find((r) => r.resourceName === name)?.configEntries ?? [];
    for (const [key, value] of Object.entries(want.configs)) {
      const have = entries.find((e) => e.configName === key)?.configValue;
      if (have !== undefined && have !== value) diffs.push(`${key} ${have}, configured ${value}`);
    }
    if (diffs.length > 0) out.push(`${name} (${diffs.join('; ')})`);
  }
  return out;
}

/**
 * Creates the missing pipeline topics with their settings, and warns, naming them, about existing
 * topics whose settings differ from the configuration. Existing topics are never changed here:
 * adding partitions moves keys between partitions (per-tenant order) and replication changes are
 * reassignments, both an operator's decision.
 */
export async function provisionTopics(admin: Admin, topics: Topics, kafka: AppConfig['kafka'], logger: Logger): Promise<void> {
  const desired = desiredTopicSettings(topics, kafka);
  const existing = new Set(await admin.listTopics());
  const missing = [...desired.keys()].filter((t) => !existing.has(t));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => {
        const s = desired.get(topic)!;
        return {
          topic,
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value })),
        };
      }),
    });
    logger.log(`created topics: ${missing.join(', ')} (replication ${kafka.replicationFactor}, min.insync.replicas ${kafka.minInsyncReplicas})`);
  }
  const present = [...desired.keys()].filter((t) => existing.has(t));
  const differing = await differingTopics(admin, desired, present).catch((err: Error) => {
    logger.warn(`could not compare the settings of existing topics: ${err.message}`);
    return [];
  });
  if (differing.length > 0) {
    logger.warn(`existing topics differ from the configuration (left as they are; change them with Kafka's tools if intended): ${differing.join(', ')}`);
  }
}

/** Provisions the pipeline's topics through the process's admin connection. */
@Injectable()
export class TopicProvisioner {
  private readonly logger = new Logger('Kafka');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly admin: KafkaAdmin,
    private readonly topics: Topics,
  ) {}

  /** Creates every topic of the pipeline if missing (idempotent); warns about existing ones that differ. */
  async ensureTopics(): Promise<void> {
    await provisionTopics(await this.admin.get(), this.topics, this.config.kafka, this.logger);
  }
}
