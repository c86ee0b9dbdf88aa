import { Injectable } from '@nestjs/common';

/** What one consumer group of this process is doing, for /health/ready and the give-up watchdog. */
export type ConsumerState = 'starting' | 'running' | 'restarting' | 'stopped';

export interface ConsumerStatus {
  group: string;
  state: ConsumerState;
  /** Epoch ms since which it has not been running (undefined while running). */
  downSince?: number;
  lastError?: string;
}

/**
 * The registry of the process's consumer groups. A group that is not running makes the process not
 * ready (naming it); see TrackedConsumer for how it restarts.
 */
@Injectable()
export class ConsumerHealth {
  private readonly sources = new Map<string, () => ConsumerStatus>();

  register(group: string, status: () => ConsumerStatus): void {
    this.sources.set(group, status);
  }

  all(): ConsumerStatus[] {
    return [...this.sources.values()].map((s) => s());
  }

  /** Groups down (starting, restarting) for longer than `graceMs`. */
  down(now: number, graceMs: number): ConsumerStatus[] {
    return this.all().filter((s) => s.state !== 'running' && s.state !== 'stopped' && s.downSince !== undefined && now - s.downSince > graceMs);
  }
}
