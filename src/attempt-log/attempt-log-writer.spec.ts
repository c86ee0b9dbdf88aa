import { jest } from '@jest/globals';
import type { AttemptRecord } from '../contracts/attempt-record.js';
import { AttemptLogWriter } from './attempt-log-writer.js';

const record = (i: number): AttemptRecord => ({
  id: `rec${i}`,
  tenant_id: 't',
  webhook_id: `w${i % 2}`,
  event_id: `e${i}`,
  event_type: 'click',
  attempt: 1,
  tier: 'first',
  outcome: 'succeeded',
  status_code: 200,
  error: null,
  next: 'delivered',
  duration_ms: 3,
  at: new Date(0).toISOString(),
});

/** The writer with recording stand-ins for its store, health, producer and topics. */
function setup(insert: (records: AttemptRecord[]) => Promise<number>) {
  const inserted: string[][] = [];
  const folded: string[][] = [];
  const produced: { topic: string; key: string; value: string }[] = [];
  let sendFails = false;
  const store = {
    insertBatch: (records: AttemptRecord[]) => {
      inserted.push(records.map((r) => r.id));
      return insert(records);
    },
  };
  let foldFails = false;
  const health = {
    apply: async (records: readonly AttemptRecord[]) => {
      if (foldFails) throw new Error('deadlock detected');
      folded.push(records.map((r) => r.id));
    },
  };
  const kafka = {
    sendDurably: async (topic: string, m: { key: string; value: string }) => {
      if (sendFails) throw new Error('producer closed');
      produced.push({ topic, ...m });
    },
  };
  const writer = new AttemptLogWriter(store as never, health as never, kafka as never, { attempts: 'p.webhooks.attempts' } as never);
  return { writer, inserted, folded, produced, failSends: () => (sendFails = true), failFolds: () => (foldFails = true) };
}

describe('AttemptLogWriter', () => {
  afterEach(() => jest.useRealTimers());

  it('stores records arriving together in one statement, then folds endpoint health from them; nothing goes to Kafka', async () => {
    const t = setup(async (r) => r.length);
    await Promise.all([1, 2, 3].map((i) => t.writer.record(record(i))));
    expect(t.inserted).toEqual([['rec1', 'rec2', 'rec3']]);
    await new Promise((r) => setImmediate(r));
    expect(t.folded).toEqual([['rec1', 'rec2', 'rec3']]);
    expect(t.produced).toEqual([]);
  });

  it('writes one batch at a time: records that arrive during a write make the next batch', async () => {
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const t = setup(async (r) => {
      if (r[0]!.id === 'rec1') await first;
      return r.length;
    });
    const a = t.writer.record(record(1));
    await new Promise((r) => setTimeout(r, 40)); // the linger has passed: rec1's write is running
    const later = [2, 3].map((i) => t.writer.record(record(i)));
    await new Promise((r) => setTimeout(r, 40));
    expect(t.inserted).toEqual([['rec1']]);
    release();
    await Promise.all([a, ...later]);
    expect(t.inserted).toEqual([['rec1'], ['rec2', 'rec3']]);
  });

  it('hands a batch the database refuses to the attempts topic (resolving once Kafka has it), and sends the next ones there for a while', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const t = setup(async () => {
      throw new Error("Can't reach database server");
    });
    const first = t.writer.record(record(1));
    await jest.advanceTimersByTimeAsync(25);
    await first;
    expect(t.produced).toEqual([{ topic: 'p.webhooks.attempts', key: 'w1', value: JSON.stringify(record(1)) }]);
    expect(t.folded).toEqual([]);

    const second = t.writer.record(record(2));
    await jest.advanceTimersByTimeAsync(25);
    await second;
    expect(t.inserted).toHaveLength(1); // not tried again within the spill window
    expect(t.produced.map((p) => p.key)).toEqual(['w1', 'w0']);

    await jest.advanceTimersByTimeAsync(5_000);
    const third = t.writer.record(record(3));
    await jest.advanceTimersByTimeAsync(25);
    await third;
    expect(t.inserted).toHaveLength(2); // the database is tried again after it
  });

  it('does not wait on a database that does not answer: after the write timeout the batch goes to the attempts topic', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const t = setup(() => new Promise<number>(() => undefined));
    let settled = false;
    const p = t.writer.record(record(1)).then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(1_900);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    await p;
    expect(t.produced.map((m) => m.value)).toEqual([JSON.stringify(record(1))]);
  });

  it('starts no second insert while a timed-out one still runs (one connection), past the spill window; after GIVE_UP_ON_QUERY_MS it stops waiting for it', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const t = setup(() => new Promise<number>(() => undefined));
    const first = t.writer.record(record(1));
    await jest.advanceTimersByTimeAsync(2_100);
    await first;
    await jest.advanceTimersByTimeAsync(50_000);
    const later = t.writer.record(record(2));
    await jest.advanceTimersByTimeAsync(25);
    await later;
    expect(t.inserted).toHaveLength(1);
    expect(t.produced.map((m) => m.key)).toEqual(['w1', 'w0']);

    await jest.advanceTimersByTimeAsync(10_000); // 62 s after the first insert started
    const last = t.writer.record(record(3));
    await jest.advanceTimersByTimeAsync(2_100);
    await last;
    expect(t.inserted).toHaveLength(2);
  });

  it('resolves records once stored, before their health fold; a fold that fails hands the records to the consumer, which folds them', async () => {
    const t = setup(async (r) => r.length);
    t.failFolds();
    await t.writer.record(record(1));
    expect(t.produced).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.produced.map((m) => m.value)).toEqual([JSON.stringify(record(1))]);
  });

  it('rejects a record that could neither be stored nor produced (its offset then stays uncommitted)', async () => {
    const t = setup(async () => {
      throw new Error('down');
    });
    t.failSends();
    await expect(t.writer.record(record(1))).rejects.toThrow('producer closed');
  });
});
