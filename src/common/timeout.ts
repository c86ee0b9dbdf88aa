/**
 * `p`, or a rejection "no answer within <ms> ms" if it has not settled by then: for probes and
 * refreshes that must not hang on a dependency that stopped answering. `p` itself runs on (a promise
 * cannot be cancelled); the timer is cleared when `p` settles and never holds the process up.
 */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref();
  });
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}
