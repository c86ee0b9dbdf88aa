import type { Logger } from '@nestjs/common';
import { withTimeout } from '../common/timeout.js';

/**
 * How long a member waits for its in-flight work when the group rebalances, before it re-joins (the
 * rest is re-run by the partition's next owner). Bounded by half the session timeout as well, so the
 * coordinator does not give up on this member meanwhile.
 */
export const REBALANCE_DRAIN_MS = 5_000;

export const isRebalancing = (e: unknown) =>
  ['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION'].includes((e as { type?: string })?.type ?? '');

/** Resolves once every piece of work has settled, or after `ms` with some still running. */
export async function settledWithin(works: Iterable<Promise<unknown>>, ms: number): Promise<void> {
  await withTimeout(Promise.allSettled([...works]), ms).catch(() => undefined);
}

/** Waits (at most REBALANCE_DRAIN_MS) for the work in flight, then commits what finished. */
export async function drainForRebalance(works: Set<Promise<void>>, sessionTimeoutMs: number, commit: () => Promise<void>, logger: Logger): Promise<void> {
  const started = Date.now();
  const pending = works.size;
  await settledWithin(works, Math.min(REBALANCE_DRAIN_MS, sessionTimeoutMs / 2));
  // Twice: the first may be a commit already under way, made before the drain finished.
  await commit();
  await commit();
  logger.log({ msg: 'rebalance: drained and committed before re-joining', in_flight_before: pending, still_running: works.size, ms: Date.now() - started });
}
