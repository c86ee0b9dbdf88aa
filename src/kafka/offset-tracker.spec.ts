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
});
