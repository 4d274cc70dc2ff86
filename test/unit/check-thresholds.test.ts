import { describe, expect, it } from 'vitest';
import type { CostDiff, WorkloadDiff } from '../../src/core/check/diff.js';
import { parsePercent, parseUsd } from '../../src/core/check/policy-schema.js';
import { evaluateRules, parseCliThresholds, resolveRules, type FilePolicy } from '../../src/core/check/thresholds.js';
import { UsageError } from '../../src/core/errors.js';

describe('threshold values', () => {
  it.each([
    ['10', 10],
    ['10%', 10],
    [' 12.5 % ', 12.5],
    ['0', 0],
    ['.5', 0.5],
    ['-1', undefined],
    ['ten', undefined],
    ['10%%', undefined],
    ['', undefined],
  ])('percent %j → %j', (text, value) => expect(parsePercent(text)).toBe(value));

  it.each([
    ['500', 500],
    ['$1,200', 1200],
    ['$1,200.50', 1200.5],
    ['0.5', 0.5],
    ['1,20', undefined],
    ['-5', undefined],
    ['5k', undefined],
  ])('usd %j → %j', (text, value) => expect(parseUsd(text)).toBe(value));

  it('a bad option value is a usage error naming the option', () => {
    const err = (() => {
      try {
        parseCliThresholds({ maxIncreaseUsd: 'lots' });
      } catch (e) {
        return e;
      }
    })() as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.where.option).toBe('--max-increase-usd');
    expect(err.expected).toMatch(/US dollars/);
  });
});

function wd(name: string, beforeUsd: number, afterUsd: number, status: WorkloadDiff['status'] = 'changed'): WorkloadDiff {
  return { name, status, before: null, after: null, beforeUsd, afterUsd, deltaUsd: afterUsd - beforeUsd, deltaPct: beforeUsd > 0 ? ((afterUsd - beforeUsd) / beforeUsd) * 100 : null, drivers: [] };
}

function diffOf(ws: WorkloadDiff[]): CostDiff {
  const beforeUsd = ws.reduce((s, w) => s + w.beforeUsd, 0);
  const afterUsd = ws.reduce((s, w) => s + w.afterUsd, 0);
  return { workloads: ws, beforeUsd, afterUsd, deltaUsd: afterUsd - beforeUsd, deltaPct: ((afterUsd - beforeUsd) / beforeUsd) * 100 };
}

describe('evaluating thresholds', () => {
  // Total: $1,000 → $1,100 (+$100, +10%). a: $800 → $820 (+2.5%); b: $200 → $280 (+40%).
  const diff = diffOf([wd('a', 800, 820), wd('b', 200, 280)]);
  const judge = (opts: Parameters<typeof parseCliThresholds>[0], perWorkload = false) =>
    evaluateRules(resolveRules(parseCliThresholds(opts), perWorkload, []), diff, () => 'w.yaml');

  it.each([
    [{ maxIncrease: '10' }, false], // exactly at the limit passes
    [{ maxIncrease: '9.99' }, true],
    [{ maxIncrease: '10.01' }, false],
    [{ maxIncreaseUsd: '100' }, false],
    [{ maxIncreaseUsd: '99.99' }, true],
    [{ budget: '1100' }, false],
    [{ budget: '1099.99' }, true],
  ])('total %j crossed: %s', (opts, crossed) => {
    expect(judge(opts).failed).toBe(crossed);
  });

  it('--per-workload judges each workload as well as the total', () => {
    const v = judge({ maxIncrease: '20' }, true);
    expect(v.outcomes.map((o) => [o.subject, o.crossed])).toEqual([
      ['total', false],
      ['a', false],
      ['b', true],
    ]);
    expect(v.outcomes[2]!.value).toBeCloseTo(40, 9);
  });

  it('percent does not apply to a workload that had no cost before; dollars and budget do', () => {
    const d = diffOf([wd('old', 100, 100), wd('new', 0, 50, 'added'), wd('gone', 30, 0, 'removed')]);
    const rules = resolveRules({ max_increase_pct: 5, max_increase_usd: 40 }, true, []);
    const v = evaluateRules(rules, d, () => undefined);
    const of = (kind: string, subject: string) => v.outcomes.find((o) => o.rule.kind === kind && o.subject === subject);
    expect(of('max_increase_pct', 'new')!.value).toBeNull();
    expect(of('max_increase_pct', 'new')!.crossed).toBe(false);
    expect(of('max_increase_usd', 'new')!.crossed).toBe(true); // +$50 > $40
    expect(of('max_increase_usd', 'gone')).toBeUndefined(); // removed workloads are not judged alone
  });

  it('file policy: totals, per_workload and named workloads; the command line overrides a total of the same kind', () => {
    const file: FilePolicy = {
      file: 'w.yaml',
      policy: { max_increase: '50%', budget: 900, per_workload: true, workloads: { b: { max_increase: 45 } } },
      locate: (path) => ({ line: 10 + path.length, col: 3 }),
      workloadNames: ['a', 'b'],
    };
    const rules = resolveRules({ budget_usd: 2000 }, false, [file]);
    // budget comes from the command line only (file's 900 is overridden), total and not per workload;
    // max_increase 50% from the file: total, each (a only: b has its own 45%), and b's own.
    expect(rules.map((r) => [r.kind, r.limit, r.scope.kind, r.source.option ?? `${r.source.file}:${r.source.line}`])).toEqual([
      ['budget_usd', 2000, 'total', '--budget'],
      ['max_increase_pct', 50, 'total', 'w.yaml:11'],
      ['max_increase_pct', 50, 'each', 'w.yaml:11'],
      ['max_increase_pct', 45, 'workload', 'w.yaml:13'],
    ]);
    const v = evaluateRules(rules, diff, () => 'w.yaml');
    expect(v.outcomes.map((o) => [o.rule.kind, o.subject, o.crossed])).toEqual([
      ['budget_usd', 'total', false],
      ['max_increase_pct', 'total', false],
      ['max_increase_pct', 'a', false],
      ['max_increase_pct', 'b', false], // +40% ≤ 45%
    ]);
  });

  it('a named threshold for a workload the file does not have is an error with a suggestion', () => {
    const file: FilePolicy = { file: 'w.yaml', policy: { workloads: { bb: { budget: 1 } } }, locate: () => ({ line: 4, col: 5 }), workloadNames: ['a', 'b'] };
    expect(() => resolveRules({}, false, [file])).toThrow(/no workload named "bb"/);
  });

  it('with several files, a file\'s own thresholds judge the total of its workloads only', () => {
    const d = diffOf([wd('a', 100, 150), wd('b', 100, 101)]);
    const policy = (file: string): FilePolicy => ({ file, policy: { max_increase: 10 }, locate: () => ({ line: 2, col: 17 }), workloadNames: [file === 'a.yaml' ? 'a' : 'b'] });
    const rules = resolveRules({}, false, [policy('a.yaml'), policy('b.yaml')]);
    const v = evaluateRules(rules, d, (w) => (w.name === 'a' ? 'a.yaml' : 'b.yaml'));
    // a.yaml: $100 → $150 (+50%) crosses 10%; b.yaml: $100 → $101 (+1%) does not.
    expect(v.outcomes.map((o) => [o.subject, o.value, o.crossed])).toEqual([
      ['total of a.yaml', 50, true],
      ['total of b.yaml', 1, false],
    ]);
  });
});
