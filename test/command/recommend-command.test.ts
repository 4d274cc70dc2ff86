// aip recommend in-process: the table, markdown, JSON and charts it prints, thresholds as data, bad options
// and bad files (exit 2 naming file:line and field; never a stack trace), (the walk-through of docs/commands/recommend.md is checked in docs-pages.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearLimitYaml as near, steadyProvisionedYaml } from '../helpers/workloads.js';
import { runAip } from '../helpers/run.js';

function tempFile(text: string, name = 'w.yaml'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aip-rec-'));
  writeFileSync(join(dir, name), text);
  return { dir, file: name };
}

describe('near the rate limit', () => {
  it('shows it in the table and in markdown', async () => {
    const { dir } = tempFile(near(648_000));
    const table = await runAip(['recommend', 'w.yaml', '--details'], { cwd: dir, columns: 200 });
    expect(table.stdout).toMatch(/7\.5K of 10K output tok\/min, concurrency [\d.]+ → fits, near the limit: tier 2 leaves headroom/);
    expect(table.stdout).toMatch(/warning: peak \(1× average\) uses 75% of the output-token limit/);
    expect(table.stdout).toMatch(/ near +/);
    expect(table.stdout).toMatch(/"near": fits, but the peak uses most of a limit/);
    const md = await runAip(['recommend', 'w.yaml', '--format', 'markdown'], { cwd: dir });
    expect(md.stdout).toMatch(/fits, near the limit: tier 2 leaves headroom/);
    expect(md.stdout).toMatch(/- ⚠️ peak \(1× average\) uses 75% of the output-token limit/);
  });
});

describe('aip recommend (in-process)', () => {
  it('prints a block per workload and the portfolio summary', async () => {
    const r = await runAip(['recommend', 'examples/workloads.yaml', '--details'], { columns: 200 });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/support-chat {2}examples\/workloads\.yaml:11/);
    expect(r.stdout).toMatch(/→ STREAMING/);
    expect(r.stdout).toMatch(/^Portfolio of 12 workloads: 4 batch, 3 direct, 2 streaming, 2 queued direct, 1 direct priority/);
    // research-chain-step fails over rarely: a tiny figure, not "$0.0000"
    expect(r.stdout).toMatch(/fallback claude-haiku-4-5: \$180\.00\/month if it carried all traffic; expected failover spend under \$0\.0001\/month/);
    expect(r.stdout).toMatch(/failures below zero: requests refused for good/);
    expect(r.stdout).toMatch(/Recommended \$[\d,.]+\/month against \$[\d,.]+ with every workload direct: saves \$[\d,.]+\/month \(\d+%\)/);
    // comment-moderation is recommended at the priority tier: its heading says so, and the per-pattern costs
    // (standard tier) do not call direct's $622.08 the recommendation without naming the tier.
    expect(r.stdout).toMatch(/→ DIRECT, PRIORITY TIER/);
    expect(r.stdout).toMatch(/^ {2}direct ◀ +\$622\.08 .* recommended: priority tier$/m);
    expect(r.stdout).toMatch(/^ {2}streaming ◀ +\$130\.94 .* recommended$/m);
  });

  it('--json prints one JSON document and nothing else; --format json is the same', async () => {
    const a = await runAip(['--json', 'recommend', 'examples/workloads.yaml']);
    const b = await runAip(['recommend', 'examples/workloads.yaml', '--format', 'json']);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).workloads).toHaveLength(12);
    expect(a.stdout).toBe(b.stdout);
  });

  it('--format markdown and --chart', async () => {
    const md = await runAip(['recommend', 'examples/workloads.yaml', '--format', 'markdown', '--chart']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# LLM call patterns: recommendation/);
    expect(md.stdout).toMatch(/\| \*\*total\*\* \|/);
    expect(md.stdout).toMatch(/```text\n {0,2}support-chat: monthly cost by volume/);
    const chart = await runAip(['recommend', 'examples/workloads.yaml', '--chart'], { columns: 200 });
    // nightly-digest: saves (2,121×1.00 + 350×5.00 − half)/1e6 = $0.0019355 per request → $50 from 25.8K requests/month
    expect(chart.stdout).toMatch(/¦ batch saves \$50\.00\/month from 25\.8K requests\/month/);
    expect(chart.stdout).toMatch(/1K +10K +100K +1M +10M {2}requests\/month/);
    const json = JSON.parse((await runAip(['--json', 'recommend', 'examples/workloads.yaml', '--chart'])).stdout);
    expect(json.charts[0].points.map((p: { requests_per_month: number }) => p.requests_per_month)).toEqual([1e3, 1e4, 1e5, 1e6, 1e7]);
  });

  it('--chart marks where flex and provisioned capacity break even across volume', async () => {
    // azure/gpt-5-mini, 1,010 in / 100 out: standard (1,010 × 0.25 + 100 × 2.00)/1e6 = $0.0004525 per request; flex
    // at batch prices $0.00022625 with 1% at standard saves 0.99 × $0.00022625 = $0.000224 per request: $50 from
    // ~223K requests/month. Provisioned: 105 units × $0.01 × 720 h = $756/month ÷ $0.0004525 = 1.67M requests/month.
    const { dir } = tempFile(steadyProvisionedYaml(0.01));
    const chart = await runAip(['recommend', 'w.yaml', '--chart'], { cwd: dir, columns: 200 });
    expect(chart.stdout).toMatch(/F flex +⁝ flex saves \$50\.00\/month from 223K requests\/month/);
    expect(chart.stdout).toMatch(/│ provisioned \(105 units, \$756\.00\/month\) pays from 1\.7M requests\/month/);
    const json = JSON.parse((await runAip(['--json', 'recommend', 'w.yaml', '--chart'], { cwd: dir })).stdout);
    expect(json.charts[0].provisioned).toEqual({ units: 105, fee_usd_per_month: 756, break_even_requests_per_month: 1_670_718 });
    expect(json.charts[0].flex.break_even_requests_per_month).toBeCloseTo(223_236, -3);
  });

  it('the thresholds are data: a --catalog overlay moves the streaming threshold', async () => {
    const { dir } = tempFile(`thresholds:\n  source: "team policy"\n  as_of: 2026-11-20\n  values:\n    stream_total_time_s: { value: 10, source: "our UX research" }\n`, 'policy.yaml');
    const r = await runAip(['--json', '--catalog', join(dir, 'policy.yaml'), 'recommend', 'examples/workloads.yaml']);
    expect(r.code).toBe(0);
    const chat = JSON.parse(r.stdout).workloads[0];
    // 5.7 s total is now under 10 s and 450 tokens ≤ 500: direct, and the 3 s tolerance is flagged
    expect(chat.pattern).toBe('direct');
    expect(chat.reasons[0]).toMatch(/arrives in 5\.7 s .*under 10 s/);
    expect(chat.warnings[0]).toMatch(/the answer takes 5\.7 s, beyond the 3 s tolerance/);
  });

  it('bad options exit 2 naming the option', async () => {
    const f = await runAip(['recommend', 'examples/workloads.yaml', '--format', 'yaml']);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/error: --format: unknown format "yaml"/);
    const m = await runAip(['recommend', 'examples/workloads.yaml', '--min-batch-saving', 'lots']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--min-batch-saving/);
  });

  it('reports the problems of several files together, each with file:line:col and field', async () => {
    const { dir } = tempFile(`version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    volume: -5\n    latency: 3 fortnights\n    input: { tokens: 10, cached: 2 }\n    output: { tokens: 5 }\n    peak_facter: 2\n`, 'bad.yaml');
    writeFileSync(join(dir, 'empty.yaml'), '');
    const r = await runAip(['recommend', 'bad.yaml', 'empty.yaml', 'missing.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error: bad\.yaml:5:13: workloads\[0\]\.volume: -5 is not a positive number of requests/);
    expect(r.stderr).toMatch(/error: bad\.yaml:6:14: workloads\[0\]\.latency: unknown unit/);
    expect(r.stderr).toMatch(/error: bad\.yaml:7:\d+: workloads\[0\]\.input\.cached: /);
    expect(r.stderr).toMatch(/error: bad\.yaml:9:5: workloads\[0\]: unknown key "peak_facter"[\s\S]*did you mean "peak_factor"/);
    expect(r.stderr).toMatch(/error: empty\.yaml:1:1: \(top level\): the file is empty/);
    expect(r.stderr).toMatch(/error: missing\.yaml: no such file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
