import { withTimeout } from './timeout.js';

describe('withTimeout', () => {
  it('resolves with the promise when it settles in time', async () => {
    await expect(withTimeout(new Promise((r) => setTimeout(() => r('ok'), 5)), 1_000)).resolves.toBe('ok');
  });

  it("passes the promise's own rejection through", async () => {
    await expect(withTimeout(Promise.reject(new Error('refused')), 1_000)).rejects.toThrow('refused');
  });

  it('rejects naming the limit when the promise is slower', async () => {
    const started = Date.now();
    await expect(withTimeout(new Promise(() => undefined), 30)).rejects.toThrow('no answer within 30 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
