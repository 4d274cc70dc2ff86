// The batch submission cadence: tolerance − typical turnaround − a margin, rounded down to an interval that
// divides a day, never below the floor (data/thresholds.yaml: margin 0.25 of the tolerance, floor 15 min).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { batchCadence } from '../../src/core/recommend/cadence.js';

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
