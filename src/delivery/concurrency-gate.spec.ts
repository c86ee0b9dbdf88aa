import { ConcurrencyGate } from './concurrency-gate.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyGate', () => {
  it('caps one key without holding global slots for its waiters', async () => {
    const gate = new ConcurrencyGate(3, 1, 10);
    const a1 = (await gate.acquire('a'))!;
    let a2: (() => void) | null | undefined;
    void gate.acquire('a').then((r) => (a2 = r));
    const b1 = (await gate.acquire('b'))!;
    const c1 = (await gate.acquire('c'))!;
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

  it("refuses at once when a key's queue is full", async () => {
    const gate = new ConcurrencyGate(10, 1, 1);
    const first = (await gate.acquire('slow'))!;
    const queued = gate.acquire('slow');
    expect(await gate.acquire('slow')).toBeNull();
    expect(await gate.acquire('other')).not.toBeNull();
    first();
    expect(await queued).not.toBeNull();
  });

  it('does not refuse a waiter while attempts wait for a global slot (the process is the bottleneck, not the webhook)', async () => {
    const gate = new ConcurrencyGate(1, 1, 10, 50);
    const other = (await gate.acquire('other'))!; // the one global slot
    const first = gate.acquire('w'); // holds w's slot, waits for the global one
    let second: (() => void) | null | undefined;
    void gate.acquire('w').then((r) => (second = r)); // waits in w's queue
    await new Promise((r) => setTimeout(r, 130)); // more than two queue waits, fewer than SATURATED_QUEUE_WAITS
    expect(second).toBeUndefined();
    other();
    (await first)!();
    await tick();
    expect(second).toEqual(expect.any(Function));
    second!();
    expect(gate.inFlight()).toBe(0);
  });

  it('parks a waiter anyway after SATURATED_QUEUE_WAITS periods, however long the process stays saturated', async () => {
    const gate = new ConcurrencyGate(1, 1, 10, 30);
    const other = (await gate.acquire('other'))!;
    const first = gate.acquire('w');
    const started = Date.now();
    expect(await gate.acquire('w')).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 30 - 5);
    other();
    (await first)!();
    expect(gate.inFlight()).toBe(0);
  });

  it('refuses an attempt that waited too long for its webhook, and frees its place', async () => {
    const gate = new ConcurrencyGate(10, 1, 10, 50);
    const hung = (await gate.acquire('hang'))!;
    const started = Date.now();
    expect(await gate.acquire('hang')).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    hung();
    const again = await gate.acquire('hang');
    expect(again).not.toBeNull();
    again!();
    expect(gate.inFlight()).toBe(0);
  });

  it('admits at most maxOutstanding messages until one finishes', async () => {
    const gate = new ConcurrencyGate(1, 1, 100, 1000, 2);
    const done1 = await gate.admit();
    await gate.admit();
    let third: (() => void) | undefined;
    void gate.admit().then((r) => (third = r));
    await tick();
    expect(third).toBeUndefined();
    expect(gate.pending()).toBe(2);
    done1();
    await tick();
    expect(third).toBeDefined();
    expect(gate.pending()).toBe(2);
  });

  it("earns a webhook's cap with answers and drops it when an attempt fails to connect or times out", async () => {
    const gate = new ConcurrencyGate(100, 8, 10, 2_000, 400, 2);
    expect(gate.capOf('w')).toBe(2);
    const held = [(await gate.acquire('w'))!, (await gate.acquire('w'))!];
    let third: (() => void) | null | undefined;
    void gate.acquire('w').then((r) => (third = r));
    await tick();
    expect(third).toBeUndefined(); // over the starting cap: waits
    gate.markAnswered('w');
    await tick();
    expect(gate.capOf('w')).toBe(3);
    expect(third).toBeTruthy(); // the earned slot went to the waiter
    for (let i = 0; i < 10; i++) gate.markAnswered('w');
    expect(gate.capOf('w')).toBe(8);
    let fourth: (() => void) | null | undefined;
    void gate.acquire('w').then((r) => (fourth = r));
    await tick();
    expect(fourth).toBeTruthy(); // 4 in flight under a cap of 8
    let fifth: (() => void) | null | undefined;
    gate.markFailing('w');
    expect(gate.capOf('w')).toBe(2);
    void gate.acquire('w').then((r) => (fifth = r));
    await tick();
    expect(fifth).toBeNull(); // failing and over its cap: refused at once, no queueing
    held[0]!();
    held[1]!();
    third!();
    fourth!();
    expect(gate.inFlight()).toBe(0);
    gate.markAnswered('w'); // answering again: no longer refused outright
    expect(gate.capOf('w')).toBe(3);
  });

  it('a slow answer still earns a slot: only failures lower the cap', () => {
    const gate = new ConcurrencyGate(100, 8, 10, 2_000, 400, 2);
    gate.markAnswered('w', 2_500);
    gate.markAnswered('w', 9_000);
    expect(gate.capOf('w')).toBe(4);
    gate.markFailing('w', 10_000);
    expect(gate.capOf('w')).toBe(2);
  });

  it('parks refused attempts one slot-time apart, so a backlog returns when there is room', () => {
    const gate = new ConcurrencyGate(100, 8, 10, 2_000, 400, 2);
    gate.markFailing('w', 10_000); // cap 2, 10 s per attempt: one slot frees every 5 s
    const now = 1_000_000;
    expect(gate.parkDelay('w', now)).toBe(5_000);
    expect(gate.parkDelay('w', now)).toBe(10_000);
    expect(gate.parkDelay('w', now + 10_000)).toBe(5_000);
    expect(gate.parkDelay('other', now, 1_000)).toBe(1_000);
  });
});
