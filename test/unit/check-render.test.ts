// The check's renderers on a hand-built report: escaping, new/removed rows, quiet mode, JSON shape.
import { describe, expect, it } from 'vitest';
import { diffCosts, type CostOf, type WorkloadPoint } from '../../src/core/check/diff.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/render/check/github.js';
import { checkJson } from '../../src/render/check/json.js';
import { renderMarkdown } from '../../src/render/check/markdown.js';
import { renderCheckTable } from '../../src/render/check/table.js';
import type { CheckReport } from '../../src/core/check/report.js';
import { evaluateRules, resolveRules } from '../../src/core/check/thresholds.js';

// $2 per 1M input tokens, nothing for output: cost = requests × input tokens × 2 / 1e6.
const costOf: CostOf = (p) => (p.requestsPerMonth * p.inputTokens * 2) / 1e6;
const point = (over: Partial<WorkloadPoint>): WorkloadPoint => {
  const p: WorkloadPoint = { name: 'w', model: 'm', pattern: 'direct', requestsPerMonth: 1000, inputTokens: 1000, outputTokens: 0, cachedFraction: 0, costUsdPerMonth: 0, file: 'w.yaml', line: 3, ...over };
  return { ...p, costUsdPerMonth: costOf(p)! };
};

function report(): CheckReport {
  // a|b: 1,000 × 1,000 × 2 / 1e6 = $2.00 → 1,000 × 1,500 × 2 / 1e6 = $3.00 (+$1.00, +50%)
  // gone: $4.00 removed; fresh: 500 × 1,000 × 2 / 1e6 = $1.00 new. Total $6.00 → $4.00 (−$2.00, −33%).
  const before = [point({ name: 'a|b' }), point({ name: 'gone', requestsPerMonth: 2000 })];
  const after = [point({ name: 'a|b', inputTokens: 1500, lines: { input: 7 } }), point({ name: 'fresh', requestsPerMonth: 500, line: 12 })];
  const diff = diffCosts(before, after, costOf);
  const rules = resolveRules({ max_increase_usd: 0.5 }, true, []);
  return { aipVersion: '0.1.0', catalogAsOf: '2026-11-01', baseline: { kind: 'file', label: 'base.json' }, diff, rules, verdict: evaluateRules(rules, diff, () => 'w.yaml'), notes: [] };
}

describe('check renderers', () => {
  it('markdown escapes table cells and marks new and removed workloads', () => {
    const md = renderMarkdown(report());
    expect(md).toContain('### aip check: projected LLM spend -$2.00/month (-33%) — ❌ 2 thresholds crossed');
    expect(md).toContain('| `a\\|b` | `m` | `direct` | $2.00 | $3.00 | +$1.00 | +50% |');
    expect(md).toContain('| `fresh` (new) | `m` | `direct` | - | $1.00 | +$1.00 | new |');
    expect(md).toContain('| `gone` (removed) | `m` | `direct` | $4.00 | - | -$4.00 | removed |');
    expect(md).toContain('| **total** | | | **$6.00** | **$4.00** | **-$2.00** | **-33%** |');
    expect(md).toContain('- **`a|b`** +$1.00/month: input 1,000 → 1,500 tokens/request (+$1.00)');
    expect(md).toContain('| max increase (USD) | `a\\|b` (per workload) | $0.50/month | +$1.00 | --max-increase-usd | ❌ crossed |');
  });

  it('markdown folds unchanged workloads away, still counted in the total', () => {
    // same: 2,000 × 1,000 × 2 / 1e6 = $4.00 both sides; grow: $2.00 → $3.00. Total $6.00 → $7.00.
    const before = [point({ name: 'same', requestsPerMonth: 2000 }), point({ name: 'grow' })];
    const after = [point({ name: 'same', requestsPerMonth: 2000 }), point({ name: 'grow', inputTokens: 1500 })];
    const diff = diffCosts(before, after, costOf);
    const md = renderMarkdown({ ...report(), diff, rules: [], verdict: evaluateRules([], diff, () => 'w.yaml') });
    const [main, folded] = md.split('<details>');
    expect(main).toContain('| `grow` | `m` | `direct` | $2.00 | $3.00 | +$1.00 | +50% |');
    expect(main).not.toContain('| `same` |');
    expect(main).toContain('| **total** | | | **$6.00** | **$7.00** | **+$1.00** |');
    expect(folded).toContain('<summary>1 unchanged workload ($4.00/month, included in the total)</summary>');
    expect(folded).toContain('| `same` | `m` | `direct` | $4.00 |');
  });

  it('the table shows the same figures; --quiet keeps the summary, thresholds and verdict', () => {
    const full = renderCheckTable(report(), { color: false });
    expect(full).toMatch(/│ gone \(removed\) │ m +│ direct +│ +\$4\.00 │ +- │ +-\$4\.00 │ +removed │/);
    expect(full).toContain('FAIL a|b: monthly increase +$1.00 is above the max increase (USD) of $0.50/month (set by --max-increase-usd)');
    const quiet = renderCheckTable(report(), { color: false, quiet: true });
    expect(quiet).not.toContain('┌');
    expect(quiet).toContain('Projected LLM spend: $6.00 → $4.00 per month, -$2.00/month (-33%) against base.json');
    expect(quiet).toContain('FAIL fresh: monthly increase +$1.00');
  });

  it('github annotations escape their data and point at the line that drove the change', () => {
    expect(escapeData('50% of a\nb')).toBe('50%25 of a%0Ab');
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc');
    const gh = renderGithub(report(), (f) => `repo/${f}`).split('\n');
    expect(gh).toContain('::error file=repo/w.yaml,line=7,title=aip check%3A cost threshold crossed::a|b: monthly increase +$1.00 is above the max increase (USD) of $0.50/month (set by --max-increase-usd)');
    expect(gh).toContain('::notice file=repo/w.yaml,title=aip check%3A gone -$4.00/month (-100%25)::gone: -$4.00/month (-100%25). removed workload');
  });

  it('JSON carries plain numbers, statuses and every judged threshold', () => {
    const doc = checkJson(report());
    expect(doc.total).toEqual({ before_usd_per_month: 6, after_usd_per_month: 4, delta_usd_per_month: -2, delta_pct: -33.3333 });
    expect(doc.workloads.map((w) => [w.name, w.status, w.delta_usd_per_month])).toEqual([
      ['a|b', 'changed', 1],
      ['fresh', 'added', 1],
      ['gone', 'removed', -4],
    ]);
    expect(doc.thresholds.map((t) => [t.scope, t.subject, t.crossed])).toEqual([
      ['total', 'total', false],
      ['each', 'a|b', true],
      ['each', 'fresh', true],
    ]);
    expect(doc.verdict).toBe('fail');
  });

  it('a long diff gets plain aligned columns instead of a frame', () => {
    // 150 workloads of $2.00 each, unchanged: total $300.00
    const ws = Array.from({ length: 150 }, (_, i) => point({ name: `w${i}` }));
    const diff = diffCosts(ws, ws, costOf);
    const text = renderCheckTable({ ...report(), diff, rules: [], verdict: { outcomes: [], failed: false } }, { color: false });
    expect(text).not.toContain('┌');
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('workload'))!;
    const total = lines.find((l) => l.startsWith('total'))!;
    expect(header).toMatch(/^workload +model +choice +before +after +delta +change$/);
    expect(total).toMatch(/^total +\$300\.00 +\$300\.00 +\$0\.00 +0%$/);
    expect(total.length).toBe(header.length); // right-aligned numbers end where the headers end
  });
});
