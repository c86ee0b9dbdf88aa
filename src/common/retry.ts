/** Runs `fn` until it succeeds, waiting with capped exponential backoff between failures. */
export async function untilSuccess<T>(fn: () => Promise<T>, onError: (err: unknown, delayMs: number) => void, isStopped: () => boolean = () => false): Promise<T> {
  for (let delay = 100; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await fn();
    } catch (err) {
      if (isStopped()) throw err;
      onError(err, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
