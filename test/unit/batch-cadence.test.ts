// The batch submission cadence: tolerance − typical turnaround − a margin, rounded down to an interval that
// divides a day, never below the floor (data/thresholds.yaml: margin 0.25 of the tolerance, floor 15 min).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { batchCadence, tightenCadence, type CadenceProbe } from '../../src/core/recommend/cadence.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const H = 3600;

describe('batchCadence', () => {
  it.each([
    // tolerance, turnaround → every, meets typically, with margin, guaranteed (24 h guarantee)
    // 24 h: margin 6 h; 24 − 1 − 6 = 17 h → 12 h; 12 + 1 = 13 h ≤ 24 h; 12 + 24 = 36 h > 24 h
    ['24 h', 24 * H, 1 * H, 12 * H, true, true, false],
    // 6 h ("hours"): margin 1.5 h; 6 − 1 − 1.5 = 3.5 h → 3 h
    ['6 h', 6 * H, 1 * H, 3 * H, true, true, false],
    // 2 h: margin 30 min; 2 − 1 − 0.5 = 30 min → 30 min; 30 min + 1 h = 1.5 h ≤ 2 h
    ['2 h', 2 * H, 1 * H, 1800, true, true, false],
    // 1.5 h: margin 22.5 min; 90 − 60 − 22.5 = 7.5 min < the 15 min floor → 15 min; 15 + 60 = 75 min ≤ 90:
    // the typical request still makes it, without the margin
    ['1.5 h', 1.5 * H, 1 * H, 900, true, false, false],
    // 1 h: 60 − 60 − 15 < 0 → 15 min floor; 15 + 60 = 75 min > 60 min: batch cannot meet it typically
    ['1 h', 1 * H, 1 * H, 900, false, false, false],
    // 72 h: 72 − 1 − 18 = 53 h → at most a day apart: 24 h; 24 + 24 = 48 h ≤ 72 h: guaranteed
    ['72 h', 72 * H, 1 * H, 24 * H, true, true, true],
    // a provider whose batches typically take 4 h, 24 h tolerance: 24 − 4 − 6 = 14 h → 12 h
    ['24 h, slow provider', 24 * H, 4 * H, 12 * H, true, true, false],
  ] as const)('%s', (_, toleranceS, typicalTurnaroundS, everyS, meetsTypically, withMargin, guaranteed) => {
    const c = batchCadence({ toleranceS, typicalTurnaroundS, guaranteeS: 24 * H }, catalog.thresholds.values);
    expect(c).toMatchObject({ everyS, meetsTypically, withMargin, guaranteed, floorS: 900 });
    expect(c.marginS).toBeCloseTo(toleranceS * 0.25, 9);
  });

  it('rounds down to intervals that divide a day', () => {
    // 10 h tolerance: 10 − 1 − 2.5 = 6.5 h → 6 h (not 6.5 h: 24 h / 6.5 h is not whole)
    expect(batchCadence({ toleranceS: 10 * H, typicalTurnaroundS: H, guaranteeS: 24 * H }, catalog.thresholds.values).everyS).toBe(6 * H);
    for (const toleranceS of [3 * H, 5 * H, 7 * H, 9 * H, 13 * H, 20 * H, 30 * H]) {
      const { everyS } = batchCadence({ toleranceS, typicalTurnaroundS: H, guaranteeS: 24 * H }, catalog.thresholds.values);
      expect((24 * H) % everyS).toBe(0);
    }
  });
});

describe('tightenCadence: submit more often where the cadence leaves within_tolerance at the threshold', () => {
  const input = { toleranceS: 24 * H, typicalTurnaroundS: H, guaranteeS: 24 * H };
  // A made-up model of time: the share falls as the interval grows, the queue holds any interval.
  const probe = (everyS: number): CadenceProbe => ({ share: 1 - everyS / (1200 * H), queueFits: true });

  it('a 24 h tolerance at 12 h (99.0%, right at 99%) moves to the longest interval that clears 99.5%: 6 h', () => {
    const c = tightenCadence(batchCadence(input, catalog.thresholds.values), input, probe, 0.99, 0.005);
    // 12 h → 99.0%; 8 h → 99.33%; 6 h → 99.5%
    expect(c.everyS).toBe(6 * H);
    expect(c.tightened).toMatchObject({ fromEveryS: 12 * H, target: 0.995, minShare: 0.99 });
    expect(c.tightened!.fromShare).toBeCloseTo(0.99, 9);
    expect(c.tightened!.share).toBeCloseTo(0.995, 9);
    expect(c.meetsTypically).toBe(true);
  });

  it('a cadence that already clears the margin is kept', () => {
    const c = tightenCadence(batchCadence(input, catalog.thresholds.values), input, () => ({ share: 0.999, queueFits: true }), 0.99, 0.005);
    expect(c.everyS).toBe(12 * H);
    expect(c.tightened).toBeUndefined();
  });

  it('never below the 15 min floor; where no interval clears the target, the longest that clears the threshold', () => {
    const slow = (everyS: number): CadenceProbe => ({ share: everyS <= 2 * H ? 0.992 : 0.98, queueFits: true });
    const c = tightenCadence(batchCadence(input, catalog.thresholds.values), input, slow, 0.99, 0.005);
    expect(c.everyS).toBe(2 * H);
    const none = tightenCadence(batchCadence(input, catalog.thresholds.values), input, () => ({ share: 0.5, queueFits: true }), 0.99, 0.005);
    expect(none.everyS).toBe(12 * H);
  });

  it('respects the batch queue: an overflowing queue is left alone, and no interval whose batches in flight overflow it', () => {
    const overflowing = tightenCadence(batchCadence(input, catalog.thresholds.values), input, (s) => ({ share: 0.5, queueFits: s < 12 * H }), 0.99, 0.005);
    expect(overflowing.everyS).toBe(12 * H);
    // 8 h fits but is short of the target; 6 h and shorter overflow: 8 h is not enough, so 12 h stays
    const tight = tightenCadence(batchCadence(input, catalog.thresholds.values), input, (s) => ({ share: s >= 12 * H ? 0.985 : 0.993, queueFits: s >= 8 * H }), 0.99, 0.005);
    expect(tight.everyS).toBe(8 * H);
  });
});
