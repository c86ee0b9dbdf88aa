/**
 * Bounds HTTP attempts: at most `maxInFlight` in the process and `perKey` to one webhook. Attempts
 * over a webhook's cap wait in that webhook's queue (holding no global slot), so a slow endpoint
 * can fill only its own slots; past `maxQueuedPerKey` waiting, `acquire` says no at once and the
 * caller fails the attempt fast ("endpoint_saturated") instead of holding up everyone else.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly globalWaiters: (() => void)[] = [];
  private readonly keys = new Map<string, { active: number; waiters: (() => void)[] }>();
  private outstanding = 0;
  private readonly capacityWaiters: (() => void)[] = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly perKey: number,
    private readonly maxQueuedPerKey: number,
    /** Admission bound: attempts admitted but not finished (queued or running). */
    private readonly maxOutstanding = maxInFlight * 4,
  ) {}

  /** Resolves when another attempt may be admitted (backpressure for consumers). */
  waitForCapacity(): Promise<void> {
    if (this.outstanding < this.maxOutstanding) return Promise.resolve();
    return new Promise((r) => this.capacityWaiters.push(r));
  }

  /** A release function once the attempt may run, or null when the webhook's queue is full. */
  acquire(key: string): Promise<() => void> | null {
    let k = this.keys.get(key);
    if (!k) this.keys.set(key, (k = { active: 0, waiters: [] }));
    if (k.active >= this.perKey && k.waiters.length >= this.maxQueuedPerKey) return null;
    this.outstanding++;
    const entry = k;
    return (async () => {
      // A released slot is handed straight to the next waiter, so counts never overshoot.
      if (entry.active >= this.perKey) await new Promise<void>((r) => entry.waiters.push(r));
      else entry.active++;
      if (this.active >= this.maxInFlight) await new Promise<void>((r) => this.globalWaiters.push(r));
      else this.active++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const nextGlobal = this.globalWaiters.shift();
        if (nextGlobal) nextGlobal();
        else this.active--;
        const next = entry.waiters.shift();
        if (next) next();
        else if (--entry.active === 0) this.keys.delete(key);
        this.outstanding--;
        if (this.outstanding < this.maxOutstanding) this.capacityWaiters.shift()?.();
      };
    })();
  }

  inFlight(): number {
    return this.active;
  }

  pending(): number {
    return this.outstanding;
  }
}
