import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ConsumerFactory } from '../kafka/consumer-factory.js';
import { KafkaAdmin } from '../kafka/kafka-admin.js';
import { KafkaProducer } from '../kafka/producer.js';
import { Topics } from '../kafka/topics.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { parseDeliveryJob, type DeliveryJob } from '../contracts/delivery-job.js';
import { requeue } from './requeue.js';
import { DLQ_READ_TIMEOUT_MS } from './tuning.js';

/** One entry of the dead-letter topic. */
export interface DeadLetter {
  partition: number;
  offset: string;
  webhook_id: string;
  tenant_id: string;
  event_id: string;
  event_type: string;
  attempts: number;
  dead_at: string;
  last_error: string;
  /** When `rift dlq replay` requeued it, if it did. */
  replayed_at: string | null;
  job: DeliveryJob;
}

export interface DeadLetterFilter {
  webhookId?: string;
  since?: Date;
}

export interface ReplayReport {
  matched: number;
  replayed: number;
  already_replayed: number;
  skipped_deleted_webhook: number;
  dry_run: boolean;
}

/**
 * The dead-letter topic as an operator sees it: list its entries, and replay them into the first
 * attempt. Replays are recorded (dead_letter_replays) so running the same replay twice sends
 * nothing twice; entries of deleted webhooks are skipped.
 */
@Injectable()
export class DeadLetters {
  constructor(
    private readonly kafka: KafkaProducer,
    private readonly admin: KafkaAdmin,
    private readonly consumers: ConsumerFactory,
    private readonly topics: Topics,
    private readonly prisma: PrismaService,
  ) {}

  async list(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    const entries = await this.readAll();
    const replayed = await this.replayedAt();
    return entries
      .map((e) => ({ ...e, replayed_at: replayed.get(`${e.partition}:${e.offset}`) ?? null }))
      .filter((e) => (!filter.webhookId || e.webhook_id === filter.webhookId) && (!filter.since || new Date(e.dead_at) >= filter.since));
  }

  async replay(filter: DeadLetterFilter, dryRun: boolean): Promise<ReplayReport> {
    const matched = await this.list(filter);
    const pending = matched.filter((e) => !e.replayed_at);
    const ids = [...new Set(pending.map((e) => e.webhook_id))];
    const alive = new Set(
      (await this.prisma.webhook.findMany({ where: { id: { in: ids } }, select: { id: true, tenantId: true } })).map((w) => `${w.tenantId}/${w.id}`),
    );
    const todo = pending.filter((e) => alive.has(`${e.tenant_id}/${e.webhook_id}`));
    const report: ReplayReport = {
      matched: matched.length,
      replayed: todo.length,
      already_replayed: matched.length - pending.length,
      skipped_deleted_webhook: pending.length - todo.length,
      dry_run: dryRun,
    };
    if (dryRun || todo.length === 0) return report;
    for (let i = 0; i < todo.length; i += 500) {
      const chunk = todo.slice(i, i + 500);
      await Promise.all(
        chunk.map(({ job }) =>
          requeue(this.kafka, this.topics, {
            webhook_id: job.webhook_id,
            tenant_id: job.tenant_id,
            event_id: job.event_id,
            event_type: job.event_type,
            body: job.body,
            history: job.history,
          }),
        ),
      );
      // Recorded after Kafka has the jobs: a crash in between replays them again next time (at least once).
      await this.prisma.deadLetterReplay.createMany({
        data: chunk.map((e) => ({ topic: this.topics.dlq, partition: e.partition, offset: BigInt(e.offset), webhookId: e.webhook_id, eventId: e.event_id })),
        skipDuplicates: true,
      });
    }
    return report;
  }

  private async replayedAt(): Promise<Map<string, string>> {
    const rows = await this.prisma.deadLetterReplay.findMany({
      where: { topic: this.topics.dlq },
      select: { partition: true, offset: true, replayedAt: true },
    });
    return new Map(rows.map((r) => [`${r.partition}:${r.offset}`, r.replayedAt.toISOString()]));
  }

  /** Every entry from the start of the topic to its end as of now, read by a throwaway consumer group. */
  private async readAll(): Promise<Omit<DeadLetter, 'replayed_at'>[]> {
    const admin = await this.admin.get();
    const topic = this.topics.dlq;
    if (!(await admin.listTopics()).includes(topic)) return [];
    const ends = new Map<number, bigint>();
    for (const p of await admin.fetchTopicOffsets(topic)) if (BigInt(p.high) > BigInt(p.low)) ends.set(p.partition, BigInt(p.high));
    if (ends.size === 0) return [];
    const groupId = `${this.topics.groups.dispatcher}-dlq-reader-${randomBytes(4).toString('hex')}`;
    const consumer = this.consumers.create({ groupId });
    const out: Omit<DeadLetter, 'replayed_at'>[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
        const timer = setTimeout(
          () => reject(new Error(`reading ${topic} took over ${DLQ_READ_TIMEOUT_MS / 1000} s; is Kafka reachable?`)),
          DLQ_READ_TIMEOUT_MS,
        );
        timer.unref();
        void consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition);
            for (const m of batch.messages) {
              if (end === undefined || BigInt(m.offset) >= end) continue;
              const job = parseDeliveryJob(m.value);
              if (!job) continue;
              const j = job as DeliveryJob & { dead_at?: string; last_error?: string };
              out.push({
                partition: batch.partition,
                offset: m.offset,
                webhook_id: job.webhook_id,
                tenant_id: job.tenant_id,
                event_id: job.event_id,
                event_type: job.event_type,
                attempts: job.attempts,
                dead_at: j.dead_at ?? new Date(Number(m.timestamp)).toISOString(),
                last_error: j.last_error ?? 'unknown',
                job,
              });
            }
            const last = batch.messages.at(-1);
            if (end !== undefined && last && BigInt(last.offset) + 1n >= end) ends.delete(batch.partition);
            if (ends.size === 0) resolve();
          },
        });
      });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return out.sort((a, b) => a.dead_at.localeCompare(b.dead_at));
  }
}
