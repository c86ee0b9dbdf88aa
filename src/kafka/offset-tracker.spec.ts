import { OffsetTracker } from './offset-tracker.js';

describe('OffsetTracker', () => {
  it('commits only up to the lowest unfinished offset', () => {
    const t = new OffsetTracker();
    expect(t.committable()).toBeUndefined();
    const end10 = t.begin(10n);
    const end11 = t.begin(11n);
    const end12 = t.begin(12n);
    expect(t.committable()).toBe(10n);
    end12();
    end11();
    expect(t.committable()).toBe(10n);
    end10();
    expect(t.committable()).toBe(13n);
  });

  it('does not offer an offset again once committed', () => {
    const t = new OffsetTracker();
    t.begin(5n)();
    expect(t.committable()).toBe(6n);
    t.markCommitted(6n);
    expect(t.committable()).toBeUndefined();
    const end = t.begin(6n);
    expect(t.committable()).toBeUndefined();
    end();
    expect(t.committable()).toBe(7n);
  });

  it('stays correct across compaction of a long history', () => {
    const t = new OffsetTracker();
    const ends: (() => void)[] = [];
    for (let i = 0n; i < 5000n; i++) ends.push(t.begin(i));
    ends.slice(0, 4000).forEach((e) => e());
    expect(t.committable()).toBe(4000n);
    ends.slice(4001).forEach((e) => e());
    expect(t.committable()).toBe(4000n);
    ends[4000]!();
    expect(t.committable()).toBe(5000n);
  });

  /**
   * Under a rebalance TrackedConsumer commits what its tracker offers (REBALANCING), then drops the
   * trackers on GROUP_JOIN and starts new ones; the partition's next owner re-reads from the
   * committed offset. Work of the old generation still finishes afterwards.
   */
  describe('across a rebalance', () => {
    it('offers, as the rebalance starts, the offset of the first unfinished message and nothing past it', () => {
      const old = new OffsetTracker();
      const ends = [20n, 21n, 22n, 23n].map((o) => old.begin(o));
      ends[0]!();
      ends[1]!();
      ends[3]!(); // 23 finished, 22 not: committing 24 would lose 22
      expect(old.committable()).toBe(22n);
      old.markCommitted(22n);
      expect(old.committable()).toBeUndefined();
    });

    it('lets work of the old generation finish without moving the new generation offsets', () => {
      const old = new OffsetTracker();
      const lateEnd = old.begin(22n);
      old.begin(23n)();
      old.markCommitted(22n);
      // New generation: the partition is re-read from the committed offset 22.
      const fresh = new OffsetTracker();
      const end22 = fresh.begin(22n);
      const end23 = fresh.begin(23n);
      lateEnd(); // the old attempt at 22 ends now
      expect(fresh.committable()).toBe(22n); // 22's new run is still going: nothing past it
      end23();
      expect(fresh.committable()).toBe(22n);
      end22();
      expect(fresh.committable()).toBe(24n);
      expect(old.committable()).toBe(24n); // the dropped tracker may still say so, but nobody asks it after GROUP_JOIN
    });

    it('offers the re-read start again in a new generation (committing it twice is harmless), then advances', () => {
      const fresh = new OffsetTracker();
      expect(fresh.committable()).toBeUndefined();
      const end = fresh.begin(22n);
      expect(fresh.committable()).toBe(22n);
      fresh.markCommitted(22n);
      expect(fresh.committable()).toBeUndefined();
      end();
      expect(fresh.committable()).toBe(23n);
    });

    it('ignores an end called twice (a handler that settles twice does not skip a message)', () => {
      const t = new OffsetTracker();
      const end1 = t.begin(1n);
      const end2 = t.begin(2n);
      t.begin(3n);
      end1();
      end1();
      expect(t.committable()).toBe(2n);
      end2();
      expect(t.committable()).toBe(3n);
    });

    it('never offers an offset below one already committed, even when told of an older commit later', () => {
      const t = new OffsetTracker();
      const ends = [5n, 6n, 7n].map((o) => t.begin(o));
      ends.forEach((e) => e());
      t.markCommitted(8n);
      t.markCommitted(6n); // a slower commit of an earlier offer lands after the newer one
      expect(t.committable()).toBeUndefined();
      t.begin(8n)();
      expect(t.committable()).toBe(9n);
    });
  });
});
