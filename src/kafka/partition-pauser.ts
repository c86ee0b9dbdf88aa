import type { Logger } from '@nestjs/common';
import type { Consumer } from 'kafkajs';

/**
 * Pauses single partitions until a time (the head message of a retry tier is not due yet), so one
 * partition waiting never holds up another, and resumes each at its time.
 */
export class PartitionPauser {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly logger: Logger,
    private readonly isStopping: () => boolean,
  ) {}

  pauseUntil(consumer: Consumer, topic: string, partition: number, when: number): void {
    consumer.pause([{ topic, partitions: [partition] }]);
    const key = `${topic}:${partition}`;
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(
        () => {
          this.timers.delete(key);
          if (this.isStopping()) return;
          // A timer callback must never throw: the consumer may be restarting or already replaced
          // (a new member starts with nothing paused).
          try {
            consumer.resume([{ topic, partitions: [partition] }]);
          } catch (err) {
            this.logger.warn(`resume of ${key} skipped: ${(err as Error).message}`);
          }
        },
        Math.max(0, when - Date.now()),
      ),
    );
  }

  clear(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }
}
