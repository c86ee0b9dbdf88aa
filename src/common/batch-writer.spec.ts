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
});
