/**
 * Every retry loop of the service waits by one of these policies: exponential from `baseMs`,
 * capped at `maxMs`, optionally jittered, optionally bounded in retries. The policies are data so
 * that each caller's numbers sit beside the reason for them.
 */
export interface BackoffPolicy {
  /** The wait before the first retry. */
  readonly baseMs: number;
  /** Waits double up to this. */
  readonly maxMs: number;
  /**
   * 'equal': half fixed, half random, so that many clients failing together (every dispatcher when
   * the broker comes back) do not retry in the same millisecond. 'none': exactly base, 2 base, ...
   */
  readonly jitter: 'equal' | 'none';
  /** Retries after the first try; unbounded when absent. */
  readonly maxRetries?: number;
}

/** For work that must eventually succeed (a lookup, a write, a produce): 100 ms doubling to 5 s, jittered. */
export const UNTIL_SUCCESS: BackoffPolicy = { baseMs: 100, maxMs: 5_000, jitter: 'equal' };

/** For waiting at boot until a dependency (Kafka, PostgreSQL) answers: 250 ms doubling to 5 s. */
export const UNTIL_UP: BackoffPolicy = { baseMs: 250, maxMs: 5_000, jitter: 'none' };

/** The wait before retry number `retry` (1-based). */
export function backoffDelay(policy: BackoffPolicy, retry: number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(retry - 1, 30));
  return policy.jitter === 'equal' ? Math.round(exp / 2 + Math.random() * (exp / 2)) : exp;
}

/** The waits of a policy in order: endless unless it has `maxRetries`. */
export function* delays(policy: BackoffPolicy): Generator<number, void, undefined> {
  for (let retry = 1; policy.maxRetries === undefined || retry <= policy.maxRetries; retry++) yield backoffDelay(policy, retry);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface RetryOptions {
  /** False for an error that retrying cannot help: it is thrown at once. */
  retryIf?: (err: unknown, attempt: number) => boolean;
  /** Told before each wait (log it, reset a connection); awaited. */
  onRetry?: (err: unknown, delayMs: number, attempt: number) => void | Promise<void>;
  /** True once the caller shuts down: no further try, the last error is thrown. */
  isStopped?: () => boolean;
}

/**
 * Runs `fn` (told its 1-based attempt) until it resolves, waiting by `policy` between failures.
 * Throws the last error when `retryIf` refuses it, the policy's retries are spent, or `isStopped`
 * says so (checked after a failure and again after the wait).
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, policy: BackoffPolicy, opts: RetryOptions = {}): Promise<T> {
  const waits = delays(policy);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.retryIf?.(err, attempt) === false || opts.isStopped?.()) throw err;
      const next = waits.next();
      if (next.done) throw err;
      await opts.onRetry?.(err, next.value, attempt);
      await sleep(next.value);
      if (opts.isStopped?.()) throw err;
    }
  }
}

/** `fn` retried by UNTIL_SUCCESS until it succeeds (or `isStopped`), each failure told to `onError`. */
export function untilSuccess<T>(fn: () => Promise<T>, onError: (err: unknown, delayMs: number) => void, isStopped?: () => boolean): Promise<T> {
  return retry(fn, UNTIL_SUCCESS, { onRetry: onError, isStopped });
}
