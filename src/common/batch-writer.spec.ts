import { BatchWriter } from './batch-writer.js';

const dataError = () => Object.assign(new Error('bigint out of range'), { meta: { driverAdapterError: { cause: { originalCode: '22003' } } } });

describe('BatchWriter', () => {
  it('splits a batch that fails on a data error until the bad item is alone; the others are written', async () => {
    const written: number[] = [];
    const writer = new BatchWriter<number>({
      maxBatch: 8,
      lingerMs: 1,
      write: async (items) => {
        if (items.includes(5)) throw dataError();
        written.push(...items);
      },
      onRetry: () => undefined,
      isPermanent: (e) => (e as Error).message === 'bigint out of range',
    });
    const adds = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => writer.add(n)));
    const results = await Promise.allSettled(adds.map((a) => a.written));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(written.sort()).toEqual([1, 2, 3, 4, 6, 7, 8]);
  });

  it('retries other errors until they pass, losing nothing', async () => {
    let failures = 2;
    const written: string[] = [];
    const writer = new BatchWriter<string>({
      maxBatch: 10,
      lingerMs: 1,
      write: async (items) => {
        if (failures-- > 0) throw new Error('database unreachable');
        written.push(...items);
      },
      onRetry: () => undefined,
      isPermanent: () => false,
    });
    const { written: done } = await writer.add('a');
    await done;
    expect(written).toEqual(['a']);
  });

  describe('back-pressure', () => {
    /** A writer whose writes wait until released, recording each batch and how many run at once. */
    function gated(maxBatch: number) {
      const batches: number[][] = [];
      const releases: (() => void)[] = [];
      let running = 0;
      let mostAtOnce = 0;
      const writer = new BatchWriter<number>({
        maxBatch,
        lingerMs: 1,
        write: async (items) => {
          batches.push([...items]);
          mostAtOnce = Math.max(mostAtOnce, ++running);
          await new Promise<void>((r) => releases.push(r));
          running--;
        },
        onRetry: () => undefined,
      });
      const releaseAll = async () => {
        // Each released write lets the next batch start: release until nothing is waiting.
        for (let idle = 0; idle < 5;) {
          const r = releases.shift();
          if (r) {
            r();
            idle = 0;
          } else idle++;
          await new Promise((res) => setTimeout(res, 2));
        }
      };
      return { writer, batches, releaseAll, mostAtOnce: () => mostAtOnce };
    }

    const settledWithin = <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

    it('accepts four batches of items while a write is stuck, and makes the next add wait', async () => {
      const { writer, batches, releaseAll } = gated(2);
      const first = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => writer.add(n)));
      expect(batches).toEqual([[1, 2]]); // one write at a time; the others wait their turn
      const ninth = writer.add(9);
      expect(await settledWithin(ninth, 50)).toBe(false);
      await releaseAll();
      expect(await settledWithin(ninth, 1_000)).toBe(true);
      await (
        await ninth
      ).written;
      await Promise.all(first.map((a) => a.written));
      expect(batches).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9]]);
    });

    it('never runs two writes at once, and keeps the order of adds', async () => {
      const { writer, batches, releaseAll, mostAtOnce } = gated(3);
      const adds: Promise<{ written: Promise<void> }>[] = [];
      for (let n = 1; n <= 40; n++) adds.push(writer.add(n));
      const done = Promise.all(adds.map(async (a) => (await a).written));
      while (!(await settledWithin(done, 5))) await releaseAll();
      expect(mostAtOnce()).toBe(1);
      expect(batches.flat()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(3);
    });

    it('frees the room of items that fail for good, so adds do not wait forever', async () => {
      const writer = new BatchWriter<number>({
        maxBatch: 1,
        lingerMs: 1,
        write: async () => {
          throw new Error('value out of range');
        },
        onRetry: () => undefined,
        isPermanent: () => true,
      });
      // maxBatch 1 leaves room for 4 items; the 5th and 6th adds return only once failed items have left.
      const written: Promise<void>[] = [];
      for (let n = 0; n < 6; n++) written.push((await writer.add(n)).written);
      const results = await Promise.allSettled(written);
      expect(results.map((r) => r.status)).toEqual(Array(6).fill('rejected'));
    }, 10_000);

    it('writes a lone item once the linger time has passed', async () => {
      const batches: number[][] = [];
      const writer = new BatchWriter<number>({ maxBatch: 100, lingerMs: 30, write: async (items) => void batches.push(items), onRetry: () => undefined });
      const started = Date.now();
      await (
        await writer.add(1)
      ).written;
      expect(batches).toEqual([[1]]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    });
  });
});
