/**
 * The wait before retry number `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (half fixed, half random) so that many clients failing together (every
 * dispatcher when the broker comes back) do not retry in the same millisecond.
 */
export function backoffDelay(attempt: number, baseMs = 100, maxMs = 5_000): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/** Runs `fn` until it succeeds, waiting with capped, jittered exponential backoff between failures. */
export async function untilSuccess<T>(fn: () => Promise<T>, onError: (err: unknown, delayMs: number) => void, isStopped: () => boolean = () => false): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const delay = backoffDelay(attempt);
    try {
      return await fn();
    } catch (err) {
      if (isStopped()) throw err;
      onError(err, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
