import { ADMITTED_PER_SLOT, MIN_CAP_PER_WEBHOOK, SATURATED_QUEUE_WAITS } from './tuning.js';

/**
 * Bounds HTTP attempts: at most `maxInFlight` in the process and `perKey` to one webhook. Attempts
 * over a webhook's cap wait in that webhook's queue (holding no global slot), so a slow endpoint
 * can fill only its own slots. An attempt that has waited `maxQueueWaitMs` for its webhook (up to
 * SATURATED_QUEUE_WAITS times that while attempts wait for a global slot: the process, not the
 * webhook, is then the bottleneck), or finds `maxQueuedPerKey` already waiting, is refused, and the caller fails it fast
 * ("endpoint_saturated") instead of letting one slow endpoint hold messages everyone waits behind.
 * A healthy endpoint's queue drains in well under that time, so only slow endpoints are refused.
 *
 * A webhook's cap is earned (slow start, like TCP's window): it starts at `minPerKey`, grows by one
 * with each answer (any HTTP status, however slow) up to `perKey`, and drops back to `minPerKey`
 * only when an attempt times out or cannot connect (`markFailing`). Slowness alone never lowers
 * it: an endpoint that answers in 2.5 s needs 2.5 x its rate in flight. Timeouts do: without that, a
 * few hanging endpoints (`perKey` slots each, every attempt lasting the whole timeout) could hold
 * every global slot; with it, each holds at most `minPerKey` (MIN_CAP_PER_WEBHOOK in tuning.ts) and
 * healthy ones keep the rest. Over its cap, a failing webhook does not queue at all: its attempts
 * are refused at once, so they do not hold admission slots (and the partitions behind them) for the
 * queue wait either.
 *
 * A refused attempt is parked by the caller (in a retry tier) for about `parkDelay`: the time its
 * webhook needs, at its cap and its recent attempt duration, to work through the attempts parked
 * before it. So a saturated webhook's backlog comes back about when there is room for it, instead
 * of cycling through the tiers.
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
  /**
   * Webhooks whose last attempt timed out or could not connect, or has run STALLED_ATTEMPT_MS
   * (tuning.ts) without an answer: over their cap they are refused at once (parked) rather than
   * queued, so they hold no admission slot (and no partition behind it) while they hang.
   */
  private readonly failing = new Set<string>();
  /** Webhooks whose last attempt timed out or could not connect (not merely stalled). */
  private readonly unreachable = new Set<string>();
  /** Per webhook: recent attempt duration (EWMA, ms) and until when its parked attempts are booked. */
  private readonly pace = new Map<string, { avgMs: number; bookedUntil: number }>();

  constructor(
    private readonly maxInFlight: number,
    private readonly perKey: number,
    private readonly maxQueuedPerKey: number,
    maxQueueWaitMs = 2_000,
    /** Admission bound: messages admitted but not finished. */
    private readonly maxOutstanding = maxInFlight * ADMITTED_PER_SLOT,
    private readonly minPerKey = Math.min(MIN_CAP_PER_WEBHOOK, perKey),
    /** What one slot of a stalled or failing webhook is assumed to take (the attempt timeout). */
    private readonly stalledSlotMs = 10_000,
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
      if (next)
        next(); // the slot passes straight to the next waiter
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
      if (e.waiters.length >= this.maxQueuedPerKey || this.failing.has(key)) return null;
      const got = await new Promise<boolean>((resolve) => {
        let timer: NodeJS.Timeout;
        let waits = 1;
        const waiter = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const giveUp = () => {
          // While attempts wait for a global slot, the process is the bottleneck, not this webhook:
          // parking would only move the wait into a retry tier and add a produce and a consume per
          // job. Up to SATURATED_QUEUE_WAITS periods, so a slow webhook's queue still drains to the tiers.
          if (this.globalWaiters.length > 0 && !this.failing.has(key) && waits < SATURATED_QUEUE_WAITS) {
            waits++;
            timer = setTimeout(giveUp, this.maxQueueWaitMs);
            return;
          }
          const i = e.waiters.indexOf(waiter);
          if (i >= 0) e.waiters.splice(i, 1);
          resolve(false);
        };
        timer = setTimeout(giveUp, this.maxQueueWaitMs);
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

  /** An attempt to this webhook timed out or could not connect: back to the minimum cap. */
  markFailing(key: string, durationMs?: number): void {
    if (durationMs !== undefined) this.observe(key, durationMs);
    this.caps.set(key, this.minPerKey);
    this.failing.add(key);
    this.unreachable.add(key);
  }

  /** The last attempt to this webhook timed out or could not connect: it is failing, not just busy. */
  isUnreachable(key: string): boolean {
    return this.unreachable.has(key);
  }

  /**
   * An attempt to this webhook has run past STALLED_ATTEMPT_MS without an answer (the deliverer's
   * timer): over its cap, refuse at once instead of queueing. The cap itself stays (slowness alone
   * never lowers it); an answer clears this.
   */
  markStalled(key: string): void {
    this.failing.add(key);
  }

  /** This webhook answered (any status, however slowly): one more slot, up to `perKey`, handed to a waiter if one waits. */
  markAnswered(key: string, durationMs?: number): void {
    if (durationMs !== undefined) this.observe(key, durationMs);
    this.failing.delete(key);
    this.unreachable.delete(key);
    const cap = this.capOf(key);
    if (cap >= this.perKey) return;
    this.caps.set(key, cap + 1);
    const e = this.keys.get(key);
    if (e && e.waiters.length > 0 && e.active < cap + 1) {
      e.active++;
      e.waiters.shift()!();
    }
  }

  private observe(key: string, durationMs: number): void {
    const p = this.pace.get(key);
    if (p) p.avgMs = p.avgMs * 0.8 + durationMs * 0.2;
    else this.pace.set(key, { avgMs: durationMs, bookedUntil: 0 });
  }

  /**
   * How long to park an attempt refused for this webhook: one slot's worth of its time (recent
   * attempt duration / cap; the whole timeout while it is stalled or failing, so that a hanging
   * webhook's backlog is spread out at once instead of cycling through the shortest tier until its
   * first timeout is measured) after the attempts already parked. At least `minMs`. Only a first park
   * books a slot (`book`); a job parked again keeps its place and waits out the booked time, so
   * re-parks do not push everyone's bookings further out.
   */
  parkDelay(key: string, now = Date.now(), minMs = 0, book = true): number {
    let p = this.pace.get(key);
    if (!p) this.pace.set(key, (p = { avgMs: 1_000, bookedUntil: 0 }));
    const slotMs = (this.failing.has(key) ? Math.max(p.avgMs, this.stalledSlotMs) : p.avgMs) / this.capOf(key);
    if (!book) return Math.max(minMs, slotMs, p.bookedUntil - now);
    p.bookedUntil = Math.max(now, p.bookedUntil) + slotMs;
    return Math.max(minMs, p.bookedUntil - now);
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
