import { describe, expect, it } from 'vitest';
import { attributeDrivers, diffCosts, promptFileChanges, type CostOf, type WorkloadPoint } from '../../src/core/check/diff.js';

// A hand-checkable price list for the pure attribution tests (USD per 1M tokens; batch = 50% of list).
const PRICES: Record<string, { input: number; output: number; batch: boolean }> = {
  small: { input: 0.15, output: 0.6, batch: true },
  big: { input: 2.5, output: 10, batch: true },
  nobatch: { input: 1, output: 4, batch: false },
};
const costOf: CostOf = (p) => {
  const price = PRICES[p.model]!;
  if (p.pattern === 'batch' && !price.batch) return null;
  const f = p.pattern === 'batch' ? 0.5 : 1;
  return (p.requestsPerMonth * (p.inputTokens * price.input + p.outputTokens * price.output) * f) / 1e6;
};

function point(over: Partial<WorkloadPoint> = {}): WorkloadPoint {
  const p: WorkloadPoint = { name: 'chat', model: 'small', pattern: 'direct', requestsPerMonth: 100_000, inputTokens: 1000, outputTokens: 500, cachedFraction: 0, costUsdPerMonth: 0, ...over };
  return { ...p, costUsdPerMonth: over.costUsdPerMonth ?? costOf(p)! };
}

describe('driver attribution', () => {
  // Baseline: 100k × (1000 × 0.15 + 500 × 0.60) / 1e6 = 100k × 450 / 1e6 = $45.00
  const before = point();

  it.each([
    // volume 100k → 150k: 150k × 450 / 1e6 = $67.50 → +$22.50
    { change: { requestsPerMonth: 150_000 }, kinds: [['volume']], deltas: [22.5] },
    // input 1000 → 1400: 100k × (1400×0.15 + 300) / 1e6 = 100k × 510 / 1e6 = $51.00 → +$6.00
    { change: { inputTokens: 1400 }, kinds: [['input_tokens']], deltas: [6] },
    // output 500 → 800: 100k × (150 + 480) / 1e6 = $63.00 → +$18.00
    { change: { outputTokens: 800 }, kinds: [['output_tokens']], deltas: [18] },
    // model small → big: 100k × (2500 + 5000) / 1e6 = $750.00 → +$705.00
    { change: { model: 'big' }, kinds: [['model']], deltas: [705] },
    // pattern direct → batch: half of $45 = $22.50 → −$22.50
    { change: { pattern: 'batch' as const }, kinds: [['pattern']], deltas: [-22.5] },
  ])('one change ($change) is the only driver', ({ change, kinds, deltas }) => {
    const drivers = attributeDrivers(before, point(change), costOf);
    expect(drivers.map((d) => d.kinds)).toEqual(kinds);
    drivers.forEach((d, i) => expect(d.deltaUsd).toBeCloseTo(deltas[i]!, 9));
  });

  it('several changes: quantities first at the old model, then the model; the drivers sum to the delta', () => {
    // volume 100k → 200k at small: 200k × 450 / 1e6 = $90 → +$45
    // then model small → big at 200k: 200k × 7500 / 1e6 = $1,500 → +$1,410
    const after = point({ requestsPerMonth: 200_000, model: 'big' });
    const drivers = attributeDrivers(before, after, costOf);
    expect(drivers.map((d) => [d.kinds.join('+'), d.before, d.after])).toEqual([
      ['volume', 100_000, 200_000],
      ['model', 'small', 'big'],
    ]);
    expect(drivers[0]!.deltaUsd).toBeCloseTo(45, 9);
    expect(drivers[1]!.deltaUsd).toBeCloseTo(1410, 9);
    expect(drivers.reduce((s, d) => s + d.deltaUsd, 0)).toBeCloseTo(after.costUsdPerMonth - before.costUsdPerMonth, 9);
  });

  it('a model without batch forces the pattern: one combined driver', () => {
    // batch at small: $22.50; direct at nobatch: 100k × (1000 + 2000) / 1e6 = $300 → +$277.50
    const b = point({ pattern: 'batch' });
    const a = point({ model: 'nobatch', pattern: 'direct' });
    const drivers = attributeDrivers(b, a, costOf);
    expect(drivers).toHaveLength(1);
    expect(drivers[0]!.kinds).toEqual(['model', 'pattern']);
    expect(drivers[0]!.before).toBe('small, batch');
    expect(drivers[0]!.deltaUsd).toBeCloseTo(277.5, 9);
  });

  it('a catalog price change is kept apart from the workload change', () => {
    // Recorded at an older price: $60 for what costs $45 today → catalog −$15; then volume +$22.50.
    const recorded = { ...point(), costUsdPerMonth: 60 };
    const drivers = attributeDrivers(recorded, point({ requestsPerMonth: 150_000 }), costOf);
    expect(drivers.map((d) => d.kinds[0])).toEqual(['catalog_price', 'volume']);
    expect(drivers[0]!.deltaUsd).toBeCloseTo(-15, 9);
    expect(drivers[1]!.deltaUsd).toBeCloseTo(22.5, 9);
  });

  it('a model switch that moves the prompt token count says the tokenizer did it; a pattern switch says why', () => {
    const files = (n: number) => [{ path: 'p.md', tokens: n }];
    const drivers = attributeDrivers(point({ promptFiles: files(1000) }), point({ model: 'big', inputTokens: 1160, promptFiles: files(1160) }), costOf);
    expect(drivers.map((d) => [d.kinds[0], d.because])).toEqual([
      ['input_tokens', ["counted with big's tokenizer"]],
      ['model', undefined],
    ]);
    const [pattern] = attributeDrivers(point({ latency: 'overnight' }), point({ pattern: 'batch', latency: '2h' }), costOf);
    expect(pattern!.because).toEqual(['latency overnight → 2h']);
  });

  it('no change, no driver', () => {
    expect(attributeDrivers(before, point(), costOf)).toEqual([]);
  });

  it('names the prompt files that changed, with their token counts', () => {
    const b = point({ promptFiles: [{ path: 'p/a.md', tokens: 600 }, { path: 'p/b.md', tokens: 400 }, { path: 'p/c.md', tokens: 10 }] });
    const a = point({ inputTokens: 1200, promptFiles: [{ path: 'p/a.md', tokens: 900 }, { path: 'p/b.md', tokens: 400 }, { path: 'p/d.md', tokens: 5 }] });
    const [driver] = attributeDrivers(b, a, costOf);
    expect(driver!.files).toEqual([
      { path: 'p/a.md', before: 600, after: 900 },
      { path: 'p/d.md', before: null, after: 5 },
      { path: 'p/c.md', before: 10, after: null },
    ]);
    expect(promptFileChanges(undefined, undefined)).toEqual([]);
  });
});

describe('diffCosts', () => {
  it('matches by name, shows new and removed workloads, and totals both sides', () => {
    const kept = point({ name: 'kept' }); // $45
    const gone = point({ name: 'gone', requestsPerMonth: 10_000 }); // 10k × 450 / 1e6 = $4.50
    const added = point({ name: 'added', model: 'big', requestsPerMonth: 1000 }); // 1k × 7500 / 1e6 = $7.50
    const diff = diffCosts([kept, gone], [added, kept], costOf);
    expect(diff.workloads.map((w) => [w.name, w.status])).toEqual([
      ['added', 'added'],
      ['kept', 'unchanged'],
      ['gone', 'removed'],
    ]);
    // before 45 + 4.50 = 49.50; after 7.50 + 45 = 52.50; +$3.00 = +6.06%
    expect(diff.beforeUsd).toBeCloseTo(49.5, 9);
    expect(diff.afterUsd).toBeCloseTo(52.5, 9);
    expect(diff.deltaUsd).toBeCloseTo(3, 9);
    expect(diff.deltaPct).toBeCloseTo((3 / 49.5) * 100, 9);
    expect(diff.workloads[0]!.deltaPct).toBeNull();
    expect(diff.workloads[2]!.deltaUsd).toBeCloseTo(-4.5, 9);
  });

  it('the same name in two files is two workloads; a baseline that names its file differently still pairs by name', () => {
    const a1 = point({ name: 'chat', file: 'a.yaml' });
    const b1 = point({ name: 'chat', file: 'b.yaml', requestsPerMonth: 200_000 }); // $90
    const b2 = point({ name: 'chat', file: 'b.yaml', requestsPerMonth: 300_000 }); // $135
    const diff = diffCosts([a1, b1], [b2, a1], costOf);
    expect(diff.workloads.map((w) => [w.after?.file, w.status, Math.round(w.deltaUsd * 100) / 100])).toEqual([
      ['b.yaml', 'changed', 45],
      ['a.yaml', 'unchanged', 0],
    ]);
    const moved = diffCosts([point({ name: 'chat', file: '../ai/w.yaml' })], [point({ name: 'chat', file: 'w.yaml' })], costOf);
    expect(moved.workloads.map((w) => w.status)).toEqual(['unchanged']);
  });
});

describe('renamed workloads', () => {
  const old = point({ name: 'nightly-digest', file: 'ai/w.yaml', latency: 'overnight' });
  const renamed = (over: Partial<WorkloadPoint> = {}) => point({ name: 'digest', file: 'ai/w.yaml', latency: 'overnight', ...over });

  it('one removed and one look-alike added in the same file: renamed, and the delta is only what changed', () => {
    // Baseline $45.00; after: volume 100k → 105k (within 10%): 105k × 450 / 1e6 = $47.25 → +$2.25, all volume.
    const diff = diffCosts([old], [renamed({ requestsPerMonth: 105_000 })], costOf);
    expect(diff.workloads).toHaveLength(1);
    const w = diff.workloads[0]!;
    expect([w.status, w.name, w.previousName]).toEqual(['renamed', 'digest', 'nightly-digest']);
    expect(w.drivers.map((d) => d.kinds)).toEqual([['volume']]);
    expect(w.deltaUsd).toBeCloseTo(2.25, 9);
  });

  it('identical figures under a new name: renamed with no drivers and no delta', () => {
    const [w] = diffCosts([old], [renamed()], costOf).workloads;
    expect([w!.status, w!.deltaUsd, w!.drivers]).toEqual(['renamed', 0, []]);
  });

  it.each([
    ['another file', [old], [renamed({ file: 'ai/other.yaml' })]],
    ['another model', [old], [renamed({ model: 'big' })]],
    ['volume more than 10% apart', [old], [renamed({ requestsPerMonth: 120_000 })]],
    ['input tokens more than 10% apart', [old], [renamed({ inputTokens: 1200 })]],
    ['another latency', [old], [renamed({ latency: '5s' })]],
    ['two look-alikes added', [old], [renamed(), renamed({ name: 'digest-2' })]],
    ['two look-alikes removed', [old, point({ name: 'nightly-digest-2', file: 'ai/w.yaml', latency: 'overnight' })], [renamed()]],
    ['no file known', [point({ name: 'nightly-digest' })], [point({ name: 'digest' })]],
  ])('ambiguous or different (%s): removed + added', (_what, before, after) => {
    const statuses = diffCosts(before, after, costOf).workloads.map((w) => w.status).sort();
    expect(statuses).toEqual([...after.map(() => 'added'), ...before.map(() => 'removed')].sort());
  });

  it('a rename next to an unrelated new workload: the look-alike is the rename, the other is new', () => {
    const other = point({ name: 'router', file: 'ai/w.yaml', model: 'big', latency: '2s' });
    const diff = diffCosts([old], [renamed(), other], costOf);
    expect(diff.workloads.map((w) => [w.name, w.status])).toEqual([
      ['digest', 'renamed'],
      ['router', 'added'],
    ]);
  });
});
