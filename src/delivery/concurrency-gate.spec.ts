import { ConcurrencyGate } from './concurrency-gate.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyGate', () => {
  it('caps one key without holding global slots for its waiters', async () => {
    const gate = new ConcurrencyGate(3, 1, 10);
    const a1 = await gate.acquire('a')!;
    let a2: (() => void) | undefined;
    void gate.acquire('a')!.then((r) => (a2 = r));
    const b1 = await gate.acquire('b')!;
    const c1 = await gate.acquire('c')!;
    await tick();
    expect(gate.inFlight()).toBe(3);
    expect(a2).toBeUndefined();
    a1();
    await tick();
    expect(a2).toBeDefined();
    [a2!, b1, c1].forEach((r) => r());
    expect(gate.inFlight()).toBe(0);
    expect(gate.pending()).toBe(0);
  });

  it('refuses at once when a key\'s queue is full', async () => {
    const gate = new ConcurrencyGate(10, 1, 1);
    const first = await gate.acquire('slow')!;
    const queued = gate.acquire('slow');
    expect(queued).not.toBeNull();
    expect(gate.acquire('slow')).toBeNull();
    expect(gate.acquire('other')).not.toBeNull();
    first();
    (await queued!)();
  });

  it('applies backpressure once too much is outstanding', async () => {
    const gate = new ConcurrencyGate(1, 1, 100, 2);
    const r1 = await gate.acquire('a')!;
    void gate.acquire('a');
    let admitted = false;
    void gate.waitForCapacity().then(() => (admitted = true));
    await tick();
    expect(admitted).toBe(false);
    r1();
    await tick();
    expect(admitted).toBe(true);
  });
});
