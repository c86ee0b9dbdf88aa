import { Injectable } from '@nestjs/common';
import { KafkaAdmin } from '../kafka/kafka-admin.js';
import { Topics } from '../kafka/topics.js';

export interface LagRow {
  group: string;
  topic: string;
  partition: number;
  /** Committed offset, or null when the group has committed nothing there yet. */
  committed: number | null;
  end: number;
  lag: number;
}

/**
 * Consumer lag of every consumer group of the pipeline (Topics.consumerGroups), for every partition
 * of the topics it reads: committed offsets against log-end offsets, through the Kafka admin API.
 * Where a group has committed nothing yet, lag counts from the log start.
 */
@Injectable()
export class ConsumerLag {
  constructor(
    private readonly kafka: KafkaAdmin,
    private readonly topics: Topics,
  ) {}

  /** Entries held by the dead-letter topic. */
  async dlqDepth(): Promise<number> {
    const admin = await this.kafka.get();
    const offsets = await admin.fetchTopicOffsets(this.topics.dlq);
    return offsets.reduce((s, o) => s + Number(o.high) - Number(o.low), 0);
  }

  async rows(): Promise<LagRow[]> {
    const admin = await this.kafka.get();
    const ends = new Map<string, { partition: number; high: number; low: number }[]>();
    const topicOffsets = async (topic: string) => {
      if (!ends.has(topic)) {
        const offsets = await admin.fetchTopicOffsets(topic);
        ends.set(
          topic,
          offsets.map((o) => ({ partition: o.partition, high: Number(o.high), low: Number(o.low) })),
        );
      }
      return ends.get(topic)!;
    };
    const out: LagRow[] = [];
    for (const { group, topics } of this.topics.consumerGroups()) {
      const committed = await admin.fetchOffsets({ groupId: group, topics });
      for (const t of committed) {
        const endOffsets = await topicOffsets(t.topic);
        for (const p of t.partitions) {
          const e = endOffsets.find((x) => x.partition === p.partition);
          if (!e) continue;
          const c = Number(p.offset);
          const base = c >= 0 ? c : e.low;
          out.push({ group, topic: t.topic, partition: p.partition, committed: c >= 0 ? c : null, end: e.high, lag: Math.max(0, e.high - base) });
        }
      }
    }
    return out;
  }
}

export function lagTable(rows: LagRow[]): string {
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'];
  const body = rows.map((r) => [r.group, r.topic, String(r.partition), r.committed === null ? '-' : String(r.committed), String(r.end), String(r.lag)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const total = rows.reduce((s, r) => s + r.lag, 0);
  return [line(header), ...body.map(line), `TOTAL LAG ${total}`].join('\n');
}
