/**
 * Bounds HTTP attempts: at most `maxInFlight` in the process and `perKey` to one webhook. Attempts
 * over a webhook's cap wait in that webhook's queue (holding no global slot), so a slow endpoint
 * can fill only its own slots. An attempt that has waited `maxQueueWaitMs` for its webhook (or finds
 * `maxQueuedPerKey` already waiting) is refused, and the caller fails it fast
 * ("endpoint_saturated") instead of letting one slow endpoint hold messages everyone waits behind.
 * A healthy endpoint's queue drains in well under that time, so only slow endpoints are refused.
 *
 * A webhook's cap is earned (slow start, like TCP's window): it starts at `minPerKey`, grows by one
 * with each fast answer up to `perKey`, and drops back to `minPerKey` as soon as an attempt is slow
 * (`markSlow`: an attempt still running after 2 s, or timed out). Without that, a few hanging endpoints
 * (32 slots each, 10 s per attempt) could take every global slot before their first timeout; with
 * it, 20 hanging webhooks hold at most 20 x 4 = 80 of 256 and healthy ones keep the rest. Over its
 * cap, a webhook marked slow does not queue at all: its attempts fail fast at once, so they do not
 * hold admission slots (and the partitions behind them) for the queue wait either.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly globalWaiters: (() => void)[] = [];
  private readonly keys = new Map<string, { active: number; waiters: (() => void)[] }>();
  private readonly maxQueueWaitMs: number;
  private outstanding = 0;
  private readonly capacityWaiters: (() => void)[] = [];
  /** Earned caps of webhooks seen (absent: `minPerKey`). */
  private readonly caps = new Map<string, number>();
  /** Webhooks whose last finished or running attempt was slow: over their cap they fail fast, without queueing. */
  private readonly slow = new Set<string>();

  constructor(
    private readonly maxInFlight: number,
    private readonly perKey: number,
    private readonly maxQueuedPerKey: number,
    maxQueueWaitMs = 2_000,
    /** Admission bound: messages admitted but not finished. */
    private readonly maxOutstanding = maxInFlight * 4,
    private readonly minPerKey = Math.min(4, perKey),
  ) {
    this.maxQueueWaitMs = maxQueueWaitMs;
  }

  /**
   * Admission (backpressure for consumers): resolves once fewer than `maxOutstanding` messages are
   * admitted and unfinished, and counts this one at once; call the returned function when its work
   * is done. Counting at admission, not when an attempt starts, bounds what waits in memory.
   */
  async admit(): Promise<() => void> {
    if (this.outstanding >= this.maxOutstanding) await new Promise<void>((r) => this.capacityWaiters.push(r));
    else this.outstanding++;
    return once(() => {
      const next = this.capacityWaiters.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.outstanding--;
    });
  }

  /** A release function once the attempt may run, or null when the webhook is saturated. */
  async acquire(key: string): Promise<(() => void) | null> {
    let entry = this.keys.get(key);
    if (!entry) this.keys.set(key, (entry = { active: 0, waiters: [] }));
    const e = entry;
    // A released slot is handed straight to the next waiter, so counts never overshoot.
    if (e.active >= this.capOf(key)) {
      // A slow webhook's queue would only hold admission slots for maxQueueWaitMs and then fail anyway.
      if (e.waiters.length >= this.maxQueuedPerKey || this.slow.has(key)) return null;
      const got = await new Promise<boolean>((resolve) => {
        const waiter = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          const i = e.waiters.indexOf(waiter);
          if (i >= 0) e.waiters.splice(i, 1);
          resolve(false);
        }, this.maxQueueWaitMs);
        e.waiters.push(waiter);
      });
      if (!got) return null;
    } else e.active++;
    if (this.active >= this.maxInFlight) await new Promise<void>((r) => this.globalWaiters.push(r));
    else this.active++;
    return once(() => {
      const nextGlobal = this.globalWaiters.shift();
      if (nextGlobal) nextGlobal();
      else this.active--;
      // The slot passes to the next waiter of this webhook unless its cap has dropped meanwhile.
      if (e.waiters.length > 0 && e.active <= this.capOf(key)) e.waiters.shift()!();
      else if (--e.active === 0 && e.waiters.length === 0) this.keys.delete(key);
    });
  }

  /** An attempt to this webhook is slow (running for a second, or timed out): back to the minimum cap. */
  markSlow(key: string): void {
    this.caps.set(key, this.minPerKey);
    this.slow.add(key);
  }

  /** This webhook answered fast: one more slot, up to `perKey`, handed to a waiter if one waits. */
  markFast(key: string): void {
    this.slow.delete(key);
    const cap = this.capOf(key);
    if (cap >= this.perKey) return;
    this.caps.set(key, cap + 1);
    const e = this.keys.get(key);
    if (e && e.waiters.length > 0 && e.active < cap + 1) {
      e.active++;
      e.waiters.shift()!();
    }
  }

  /** The in-flight cap of a webhook right now. */
  capOf(key: string): number {
    return this.caps.get(key) ?? this.minPerKey;
  }

  inFlight(): number {
    return this.active;
  }

  pending(): number {
    return this.outstanding;
  }
}

/** A release function that acts only on its first call. */
function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}
