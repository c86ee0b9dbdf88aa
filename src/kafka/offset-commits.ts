import type { Logger } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { OffsetTracker } from './offset-tracker.js';

/**
 * The offset trackers of one consumer's partitions in the current group generation, and the commit
 * of what they allow: each partition's offset moves only to its lowest unfinished message.
 */
export class OffsetCommits {
  private trackers = new Map<string, OffsetTracker>();
  private committing?: Promise<void>;

  constructor(
    private readonly logger: Logger,
    private readonly consumer: () => Consumer | undefined,
  ) {}

  /**
   * A new generation re-reads uncommitted messages from the committed offsets: old trackers are
   * dropped (their in-flight work still finishes, it just no longer moves any offset).
   */
  reset(): void {
    this.trackers = new Map();
  }

  tracker(topic: string, partition: number): OffsetTracker {
    const key = `${topic}:${partition}`;
    let tracker = this.trackers.get(key);
    if (!tracker) this.trackers.set(key, (tracker = new OffsetTracker()));
    return tracker;
  }

  /** Commits every partition's committable offset (one commit at a time; callers meanwhile share it). */
  commit(): Promise<void> {
    this.committing ??= this.doCommit().finally(() => (this.committing = undefined));
    return this.committing;
  }

  private async doCommit(): Promise<void> {
    const consumer = this.consumer();
    if (!consumer) return;
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    const marks: (() => void)[] = [];
    for (const [key, tracker] of this.trackers) {
      const at = tracker.committable();
      if (at === undefined) continue;
      const i = key.lastIndexOf(':');
      offsets.push({ topic: key.slice(0, i), partition: Number(key.slice(i + 1)), offset: at.toString() });
      marks.push(() => tracker.markCommitted(at));
    }
    if (offsets.length === 0) return;
    try {
      await consumer.commitOffsets(offsets);
      marks.forEach((m) => m());
    } catch (err) {
      this.logger.warn(`commit failed (will retry): ${(err as Error).message}`);
    }
  }
}
