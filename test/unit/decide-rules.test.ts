// The decision as a rule table: the first rule that holds decides, the last always holds, and every rule
// has its sentences (explainDecision). The rules' outcomes case by case are in test/decide.test.ts.
import { describe, expect, it } from 'vitest';
import type { Thresholds } from '../../src/core/catalog/schema.js';
import { decidePattern, explainDecision, RULES, situation, type DecisionInput, type DecisionRule } from '../../src/core/recommend/decide.js';

const v = (value: number) => ({ value });
// The thresholds the rules read (data/thresholds.yaml's values).
const thresholds = {
  interactive_tolerance_s: v(5),
  stream_total_time_s: v(3),
  stream_output_tokens: v(500),
  short_output_tokens: v(100),
  queue_min_tolerance_s: v(60),
  batch_min_tolerance_s: v(3600),
} as unknown as Thresholds['values'];

function input(over: Partial<DecisionInput> & { direct?: number; batch?: number | null; totalS?: number }): DecisionInput {
  const direct = over.direct ?? 100;
  const batch = over.batch === undefined ? direct / 2 : over.batch;
  return {
    modelId: 'm',
    userFacing: false,
    task: undefined,
    toleranceS: 3,
    outputTokens: 100,
    cost: { monthly: { direct, streaming: direct, batch }, overhead: { direct: 0, streaming: 0, batch: 0 } },
    latency: { ttftS: 0.5, totalS: over.totalS ?? 1.5, totalP95S: 2, slowRequestS: 2, p95Given: false, outputTokensPerS: 100, batchTypicalS: 3600, batchGuaranteeS: 86_400, measured: null },
    batchCadence: { everyS: 43_200, budgetS: 61_200, marginS: 21_600, floorS: 900, meetsTypically: true, withMargin: true, guaranteed: false },
    thresholds,
    minBatchSavingUsd: 50,
    minBatchSavingFrom: 'catalog',
    ...over,
  };
}

// One input per rule that this rule decides.
const CASES: Record<DecisionRule, DecisionInput> = {
  'chain-direct': input({ userFacing: true, task: 'chain', totalS: 9 }),
  'watched-stream': input({ userFacing: true, totalS: 9 }),
  'watched-direct': input({ userFacing: true }),
  'realtime-direct': input({ toleranceS: 2 }),
  'queue-direct': input({ toleranceS: 900 }),
  'no-batch-api': input({ toleranceS: 86_400, batch: null }),
  'batch-saving-too-small': input({ toleranceS: 86_400, direct: 60 }),
  batch: input({ toleranceS: 86_400, direct: 400 }),
};

describe('the rule table', () => {
  it('names each rule once, and its last rule always holds', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    expect(RULES.at(-1)!.when(situation(input({ userFacing: true })))).toBe(true);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s: decides its case, with the sentences explainDecision writes for it', (id, rule) => {
    const x = CASES[id];
    const d = decidePattern(x);
    expect(d).toMatchObject({ rule: id, pattern: rule.pattern, viaQueue: 'viaQueue' in rule && rule.viaQueue });
    expect(explainDecision(rule, x)).toEqual({ reasons: d.reasons, warnings: d.warnings, alternatives: d.alternatives });
    expect(d.reasons.length).toBeGreaterThan(0);
    // every pattern not chosen says why not
    expect(d.alternatives.map((a) => a.pattern).sort()).toEqual(['batch', 'direct', 'streaming'].filter((p) => p !== rule.pattern).sort());
    for (const a of d.alternatives) expect(a.whyNot).toMatch(/\w/);
  });

  it('tries the rules in order: a watched chain step matches watched-direct too, but chain-direct comes first', () => {
    const s = situation(CASES['chain-direct']);
    expect(RULES.filter((r) => r.when(s)).map((r) => r.id).slice(0, 3)).toEqual(['chain-direct', 'watched-stream', 'watched-direct']);
    expect(decidePattern(CASES['chain-direct']).rule).toBe('chain-direct');
  });

  it('a saving of exactly zero is not worth the machinery, even with a zero threshold', () => {
    expect(decidePattern(input({ toleranceS: 86_400, direct: 50, batch: 50, minBatchSavingUsd: 0 })).rule).toBe('batch-saving-too-small');
    expect(decidePattern(input({ toleranceS: 86_400, direct: 50, batch: 49, minBatchSavingUsd: 0 })).rule).toBe('batch');
  });
});
