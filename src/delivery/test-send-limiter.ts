import { TEST_SEND_PRUNE_AT, TEST_SEND_WINDOW_MS } from './tuning.js';

/**
 * A sliding one-minute window per webhook, in the API process's memory: at most `perMinute` test
 * sends per webhook per process (behind N API processes, up to N x that). Enough to stop a script
 * from turning the test endpoint into a load generator; deliveries themselves are not limited here.
 */
export class TestSendLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  /** Takes a slot: 0 when allowed, else the seconds until one frees (for Retry-After). */
  take(webhookId: string, now = Date.now()): number {
    const recent = (this.sent.get(webhookId) ?? []).filter((t) => t > now - TEST_SEND_WINDOW_MS);
    if (recent.length >= this.perMinute) {
      this.sent.set(webhookId, recent);
      return Math.max(1, Math.ceil((recent[0]! + TEST_SEND_WINDOW_MS - now) / 1000));
    }
    recent.push(now);
    this.sent.set(webhookId, recent);
    if (this.sent.size > TEST_SEND_PRUNE_AT) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [id, times] of this.sent) if (times.every((t) => t <= now - TEST_SEND_WINDOW_MS)) this.sent.delete(id);
  }
}
