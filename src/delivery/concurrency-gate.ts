/**
 * Bounds HTTP attempts: at most `maxInFlight` in the process and `perKey` to one webhook. Attempts
 * over a webhook's cap wait in that webhook's queue (holding no global slot), so a slow endpoint
 * can fill only its own slots. An attempt that has waited `maxQueueWaitMs` for its webhook (or finds
 * `maxQueuedPerKey` already waiting) is refused, and the caller fails it fast
 * ("endpoint_saturated") instead of letting one slow endpoint hold messages everyone waits behind.
 * A healthy endpoint's queue drains in well under that time, so only slow endpoints are refused.
 *
 * A webhook whose attempt timed out is marked slow for `slowForMs`: its cap drops to `slowPerKey`.
 * Without that, a few hanging endpoints (32 slots each, 10 s per attempt) could hold every global
 * slot; with it, 20 hanging webhooks hold at most 20 x 4 = 80 of 256, and healthy ones keep the rest.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly globalWaiters: (() => void)[] = [];
  private readonly keys = new Map<string, { active: number; waiters: (() => void)[] }>();
  private readonly maxQueueWaitMs: number;
  private outstanding = 0;
  private readonly capacityWaiters: (() => void)[] = [];
  /** Webhooks marked slow, until when (epoch ms). */
  private readonly slowUntil = new Map<string, number>();

  constructor(
    private readonly maxInFlight: number,
    private readonly perKey: number,
    private readonly maxQueuedPerKey: number,
    maxQueueWaitMs = 2_000,
    /** Admission bound: messages admitted but not finished. */
    private readonly maxOutstanding = maxInFlight * 4,
    private readonly slowPerKey = Math.min(4, perKey),
    private readonly slowForMs = 30_000,
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
      if (e.waiters.length >= this.maxQueuedPerKey) return null;
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
      const next = e.waiters.shift();
      if (next) next();
      else if (--e.active === 0) this.keys.delete(key);
    });
  }

  /** An attempt to this webhook timed out: lower its cap for a while. */
  markSlow(key: string, now = Date.now()): void {
    this.slowUntil.set(key, now + this.slowForMs);
  }

  /** The in-flight cap of a webhook right now. */
  capOf(key: string, now = Date.now()): number {
    const until = this.slowUntil.get(key);
    if (until === undefined) return this.perKey;
    if (until > now) return this.slowPerKey;
    this.slowUntil.delete(key);
    return this.perKey;
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
