import { backoffDelay, type BackoffPolicy, delays, retry } from './backoff.js';

const fast: BackoffPolicy = { baseMs: 1, maxMs: 4, jitter: 'none' };

describe('backoffDelay and delays', () => {
  it('doubles from base to the cap, exactly without jitter', () => {
    expect([...delays({ baseMs: 250, maxMs: 5_000, jitter: 'none', maxRetries: 8 })]).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('keeps equal jitter between half and all of the exponential wait', () => {
    const policy: BackoffPolicy = { baseMs: 100, maxMs: 5_000, jitter: 'equal' };
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(policy, 3);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
    // Far past the cap (no overflow to Infinity from 2 ** attempt).
    expect(backoffDelay(policy, 5_000)).toBeLessThanOrEqual(5_000);
    expect(backoffDelay(policy, 5_000)).toBeGreaterThanOrEqual(2_500);
  });

  it('is endless without maxRetries', () => {
    const it = delays(fast);
    for (let i = 0; i < 1_000; i++) expect(it.next().done).toBe(false);
  });
});

describe('retry', () => {
  it('retries until fn succeeds, telling onRetry each failure with its wait and attempt', async () => {
    const told: [string, number, number][] = [];
    const attempts: number[] = [];
    const result = await retry(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 4) throw new Error(`fail ${attempt}`);
        return 'ok';
      },
      fast,
      { onRetry: (err, delay, attempt) => void told.push([(err as Error).message, delay, attempt]) },
    );
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(told).toEqual([
      ['fail 1', 1, 1],
      ['fail 2', 2, 2],
      ['fail 3', 4, 3],
    ]);
  });

  it('throws the last error once maxRetries are spent', async () => {
    let tries = 0;
    await expect(
      retry(
        async () => {
          tries++;
          throw new Error(`fail ${tries}`);
        },
        { ...fast, maxRetries: 2 },
      ),
    ).rejects.toThrow('fail 3');
    expect(tries).toBe(3);
  });

  it('throws at once an error retryIf refuses', async () => {
    let tries = 0;
    const fatal = new Error('fatal');
    await expect(
      retry(
        async () => {
          tries++;
          throw tries === 2 ? fatal : new Error('transient');
        },
        fast,
        { retryIf: (err) => err !== fatal },
      ),
    ).rejects.toBe(fatal);
    expect(tries).toBe(2);
  });

  it('stops when isStopped turns true during the wait, without another try', async () => {
    let tries = 0;
    let stopped = false;
    await expect(
      retry(
        async () => {
          tries++;
          throw new Error('down');
        },
        { baseMs: 20, maxMs: 20, jitter: 'none' },
        { onRetry: () => void setTimeout(() => (stopped = true), 5), isStopped: () => stopped },
      ),
    ).rejects.toThrow('down');
    expect(tries).toBe(1);
  });

  it('awaits onRetry before waiting and trying again', async () => {
    const order: string[] = [];
    await retry(
      async (attempt) => {
        order.push(`try ${attempt}`);
        if (attempt === 1) throw new Error('x');
      },
      fast,
      {
        onRetry: async () => {
          await new Promise((r) => setTimeout(r, 10));
          order.push('reset');
        },
      },
    );
    expect(order).toEqual(['try 1', 'reset', 'try 2']);
  });
});
