// aip recommend: the core report, the JSON exactly as docs/spec.md, the renderers, and the command in-process
// and end to end (bad input exits 2 naming file:line and field; never a stack trace).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/io/catalog/load.js';
import type { Catalog } from '../src/core/catalog/schema.js';
import { buildRecommendation } from '../src/core/recommend/build.js';
import { recommendJson } from '../src/core/recommend/document.js';
import { wrapProse } from '../src/render/recommend/table.js';
import { fileFromYaml } from './helpers/workloads.js';
import { ROOT, runAip, runBin } from './helpers/run.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const NOW = new Date('2026-11-25T12:00:00Z');
const SPEC_EXAMPLE = `version: 1
tiers: { openai: 4, anthropic: build }
workloads:
  - name: support-chat
    model: gpt-4o-mini
    volume: 300k/month
    latency: 3s
    user_facing: true
    task: chat
    input: { tokens: 1200, cached: 0.6 }
    output: { tokens: 450, p95: 1500 }
    peak_factor: 3
    fallback: claude-haiku-4-5
  - name: nightly-digest
    model: claude-haiku-4-5
    volume: 12k/day
    latency: overnight
    input: { tokens: 2000 }
    output: { tokens: 600 }
`;

function tempFile(text: string, name = 'w.yaml'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aip-rec-'));
  writeFileSync(join(dir, name), text);
  return { dir, file: name };
}

describe('the JSON of aip recommend (docs/spec.md)', () => {
  it('has exactly the docs/spec.md fields with the hand-worked numbers', async () => {
    const report = buildRecommendation([await fileFromYaml(SPEC_EXAMPLE, catalog)], catalog, { now: NOW, version: '0.1.0' });
    const json = recommendJson(report);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['aip_version', 'catalog_as_of', 'workloads', 'total_usd_per_month']));
    expect(json.aip_version).toBe('0.1.0');
    expect(json.catalog_as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const chat = json.workloads[0]!;
    for (const key of ['name', 'model', 'pattern', 'requests_per_month', 'tokens', 'cost_usd_per_month', 'overhead_usd_per_month', 'latency_s', 'limits', 'reasons', 'warnings']) expect(chat).toHaveProperty(key);
    for (const key of ['tier', 'peak_rpm', 'rpm_limit', 'peak_tpm', 'tpm_limit', 'concurrency', 'fits']) expect(chat.limits).toHaveProperty(key);
    expect(chat).toMatchObject({
      name: 'support-chat',
      model: 'gpt-4o-mini',
      pattern: 'streaming',
      requests_per_month: 300_000,
      tokens: { input: 1200, output: 450, cached_fraction: 0.6 },
      // 300,000 × (1200×0.4×0.15 + 1200×0.6×0.075 + 450×0.60)/1e6 = 300,000 × 396e-6 = $118.80
      // batch: 300,000 × (1200×0.075 + 450×0.30)/1e6 = 300,000 × 225e-6 = $67.50
      cost_usd_per_month: { direct: 118.8, streaming: 118.8, batch: 67.5 },
      // TTFT 0.45 s + 450 / 85 tok/s = 5.744 s
      latency_s: { ttft: 0.45, total: 5.74 },
      // peak RPM 300,000/43,200×3 = 20.83; TPM 20.83 × 1,650 = 34,375; concurrency 20.83/60 × 5.744 = 1.99
      limits: { tier: 4, peak_rpm: 20.83, rpm_limit: 10_000, peak_tpm: 34_375, tpm_limit: 10_000_000, concurrency: 1.99, fits: true },
    });
    expect(typeof chat.overhead_usd_per_month.streaming).toBe('number');
    expect(chat.reasons[0]).toMatch(/^a person watches the output and it takes 5\.7 s in total/);
    const digest = json.workloads[1]!;
    // 360,000 × (2000×1.00 + 600×5.00)/1e6 = 360,000 × 0.005 = $1,800; batch half: $900
    expect(digest).toMatchObject({ pattern: 'batch', cost_usd_per_month: { direct: 1800, streaming: 1800, batch: 900 }, limits: { tier: 'build' } });
    // recommended: 118.8 (streaming) + 900 (batch) = 1,018.8; all direct: 118.8 + 1,800 = 1,918.8
    expect(json.total_usd_per_month).toMatchObject({ recommended: 1018.8, all_direct: 1918.8, saving: 900 });
    expect(json.mix).toBe('streaming for support-chat, batch for nightly-digest');
    // plain numbers, not formatted strings
    for (const w of json.workloads) for (const v of [...Object.values(w.cost_usd_per_month), ...Object.values(w.overhead_usd_per_month)]) expect(typeof v).toBe('number');
  });

  it('gives null cost to a pattern the model cannot use', async () => {
    const noBatch: Catalog = { ...catalog, models: catalog.models.map((m) => (m.id === 'gpt-4o-mini' ? { ...m, batch_api: false, prices: { ...m.prices, batch_input: null, batch_output: null } } : m)) };
    const file = await fileFromYaml(`version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    volume: 1M/month\n    latency: overnight\n    input: { tokens: 1000 }\n    output: { tokens: 100 }\n`, noBatch);
    const w = recommendJson(buildRecommendation([file], noBatch, { now: NOW, version: 't' })).workloads[0]!;
    expect(w.cost_usd_per_month.batch).toBeNull();
    expect(w.overhead_usd_per_month.batch).toBeNull();
    expect(w.pattern).toBe('direct');
    expect(w.reasons[0]).toMatch(/gpt-4o-mini has no batch API/);
  });

  it('warns about an exceeded rate limit, naming the tier that fits', async () => {
    const file = await fileFromYaml(`version: 1\ntiers: { openai: 1 }\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    volume: 20/s\n    latency: 2s\n    input: { tokens: 1000 }\n    output: { tokens: 50 }\n`, catalog);
    const w = recommendJson(buildRecommendation([file], catalog, { now: NOW, version: 't' })).workloads[0]!;
    // 20/s = 1,200 RPM > 500 at tier 1; 1,200 × 1,050 = 1.26M TPM > 200K; tier 2 (5,000 RPM, 2M TPM) fits
    expect(w.limits.fits).toBe(false);
    expect(w.warnings.join('\n')).toMatch(/rate limit exceeded at openai tier 1: at peak \(1× average\) 1,200 requests\/min against 500, 1,260,000 tokens\/min against 200,000, .*tier 2 would fit/);
  });

  it('warns that a reasoning model bills its reasoning as output', async () => {
    const file = await fileFromYaml(`version: 1\nworkloads:\n  - name: a\n    model: o4-mini\n    volume: 1000\n    latency: 30s\n    input: { tokens: 500 }\n    output: { tokens: 300 }\n`, catalog);
    const w = recommendJson(buildRecommendation([file], catalog, { now: NOW, version: 't' })).workloads[0]!;
    expect(w.warnings.join('\n')).toMatch(/o4-mini is a reasoning model: its hidden reasoning tokens are billed as output/);
  });

  it('--min-batch-saving and settings.min_batch_saving_usd move the batch threshold', async () => {
    const file = await fileFromYaml(SPEC_EXAMPLE.replace('version: 1', 'version: 1\nsettings: { min_batch_saving_usd: 1000 }'), catalog);
    // the digest saves $900 < $1,000 from the file's settings → direct from a queue
    expect(buildRecommendation([file], catalog, { now: NOW, version: 't' }).workloads[1]!.decision.rule).toBe('batch-saving-too-small');
    // the option beats the file: $900 ≥ $100
    expect(buildRecommendation([file], catalog, { now: NOW, version: 't', minBatchSavingUsd: 100 }).workloads[1]!.decision.pattern).toBe('batch');
  });
});

describe('near the rate limit', () => {
  // claude-haiku-4-5 at Anthropic tier 1 (10,000 OTPM), 500 output tokens, flat peak (peak factor 1).
  const near = (volume: number) => `version: 1
tiers: { anthropic: 1 }
workloads:
  - name: tickets
    model: claude-haiku-4-5
    volume: ${volume}
    latency: 30s
    input: { tokens: 1000 }
    output: { tokens: 500 }
    peak_factor: 1
`;

  it('warns at 75% of the output-token limit while still fitting, and names the tier with headroom', async () => {
    // 648,000 / 43,200 = 15 RPM × 500 = 7,500 OTPM of 10,000 = 75%
    const report = buildRecommendation([await fileFromYaml(near(648_000), catalog)], catalog, { now: NOW, version: 'test' });
    const r = report.workloads[0]!;
    expect(r.fits).toBe(true);
    expect(r.warnings).toContain(
      'peak (1× average) uses 75% of the output-token limit (7,500 of 10,000) at anthropic tier 1: it fits, but minute-to-minute bursts will queue; `aip simulate` shows how long; tier 2 leaves headroom',
    );
    const json = JSON.parse(JSON.stringify(recommendJson(report)));
    expect(json.workloads[0].limits.fits).toBe(true);
    expect(json.workloads[0].limits.near_limits).toEqual([{ limit: 'otpm', peak: 7500, allowed: 10000, used: 0.75 }]);
    expect(json.workloads[0].limits.headroom_tier).toBe('2');
  });

  it('shows it in the table and in markdown', async () => {
    const { dir } = tempFile(near(648_000));
    const table = await runAip(['recommend', 'w.yaml'], { cwd: dir });
    expect(table.stdout).toMatch(/7\.5K of 10K output tok\/min, concurrency [\d.]+ → fits, near the limit: tier 2 leaves headroom/);
    expect(table.stdout).toMatch(/warning: peak \(1× average\) uses 75% of the output-token limit/);
    expect(table.stdout).toMatch(/│ near │/);
    expect(table.stdout).toMatch(/"near": fits, but the peak uses most of a limit/);
    const md = await runAip(['recommend', 'w.yaml', '--format', 'markdown'], { cwd: dir });
    expect(md.stdout).toMatch(/fits, \*\*near the limit\*\* \(tier 2 leaves headroom\)/);
    expect(md.stdout).toMatch(/- ⚠️ peak \(1× average\) uses 75% of the output-token limit/);
  });

  it('says nothing below 70%, and over 100% takes the "exceeded" path', async () => {
    // 600,000 / 43,200 = 13.89 RPM × 500 = 6,944 OTPM = 69.4%
    const below = buildRecommendation([await fileFromYaml(near(600_000), catalog)], catalog, { now: NOW, version: 'test' }).workloads[0]!;
    expect(below.warnings.join('\n')).not.toMatch(/bursts will queue|rate limit exceeded/);
    // 1,296,000 / 43,200 = 30 RPM × 500 = 15,000 OTPM > 10,000
    const over = buildRecommendation([await fileFromYaml(near(1_296_000), catalog)], catalog, { now: NOW, version: 'test' }).workloads[0]!;
    expect(over.fits).toBe(false);
    expect(over.warnings.join('\n')).toMatch(/rate limit exceeded at anthropic tier 1: at peak \(1× average\) 15,000 output tokens\/min against 10,000; tier 2 would fit/);
    expect(over.warnings.join('\n')).not.toMatch(/bursts will queue/);
  });
});

describe('aip recommend (in-process)', () => {
  it('prints a block per workload and the portfolio summary', async () => {
    const r = await runAip(['recommend', 'examples/workloads.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/support-chat {2}examples\/workloads\.yaml:11/);
    expect(r.stdout).toMatch(/→ STREAMING/);
    expect(r.stdout).toMatch(/Portfolio: streaming for support-chat and blog-drafts, batch for support-backlog/);
    // research-chain-step fails over rarely: a tiny figure, not "$0.0000"
    expect(r.stdout).toMatch(/fallback claude-haiku-4-5: \$180\.00\/month if it carried all traffic; expected failover spend under \$0\.0001\/month/);
    expect(r.stdout).toMatch(/failures below zero: requests refused for good/);
    expect(r.stdout).toMatch(/Recommended \$[\d,.]+\/month against \$[\d,.]+ with every workload direct: saves \$[\d,.]+\/month \(\d+%\)/);
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
    const chart = await runAip(['recommend', 'examples/workloads.yaml', '--chart']);
    // nightly-digest: saves (2,121×1.00 + 350×5.00 − half)/1e6 = $0.0019355 per request → $50 from 25.8K requests/month
    expect(chart.stdout).toMatch(/¦ batch saves \$50\.00\/month from 25\.8K requests\/month/);
    expect(chart.stdout).toMatch(/1K +10K +100K +1M +10M {2}requests\/month/);
    const json = JSON.parse((await runAip(['--json', 'recommend', 'examples/workloads.yaml', '--chart'])).stdout);
    expect(json.charts[0].points.map((p: { requests_per_month: number }) => p.requests_per_month)).toEqual([1e3, 1e4, 1e5, 1e6, 1e7]);
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
    expect(r.stderr).toMatch(/error: bad\.yaml:6:14: workloads\[0\]\.latency: unknown unit "fortnights"/);
    expect(r.stderr).toMatch(/error: bad\.yaml:7:\d+: workloads\[0\]\.input\.cached: /);
    expect(r.stderr).toMatch(/error: bad\.yaml:9:5: workloads\[0\]: unknown key "peak_facter"[\s\S]*did you mean "peak_factor"/);
    expect(r.stderr).toMatch(/error: empty\.yaml:1:1: \(top level\): the file is empty/);
    expect(r.stderr).toMatch(/error: missing\.yaml: no such file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('wrapping for a terminal', () => {
  it('wraps prose at spaces with a hanging indent and leaves tables alone', () => {
    const text = ['    one two three four five six', '  plan      alpha beta gamma delta', '│ a very long table row that must stay │'].join('\n');
    expect(wrapProse(text, 20).split('\n')).toEqual([
      '    one two three',
      '      four five six',
      '  plan      alpha',
      '            beta',
      '            gamma',
      '            delta',
      '│ a very long table row that must stay │',
    ]);
  });
});

describe('the README walk-through', () => {
  it('shows what aip recommend examples/workloads.yaml prints', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /as printed:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    const portfolio = /names the mix and the saving:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    const r = await runAip(['recommend', 'examples/workloads.yaml']);
    expect(block).toBeDefined();
    expect(r.stdout.startsWith(block!)).toBe(true);
    expect(r.stdout.endsWith(portfolio!)).toBe(true);
  });
});

describe('aip recommend (end to end, bin/aip.js)', () => {
  it('runs the README walk-through', async () => {
    const r = await runBin(['recommend', 'examples/workloads.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Portfolio: /);
  });

  it('--json is valid JSON on stdout', async () => {
    const r = await runBin(['recommend', 'examples/workloads.yaml', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).total_usd_per_month.recommended).toBeGreaterThan(0);
  });

  it('an unknown model exits 2 with did-you-mean and no stack trace', async () => {
    const { dir } = tempFile(`version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mnii\n    volume: 10/day\n    latency: 2h\n    input: { tokens: 10 }\n    output: { tokens: 5 }\n`);
    const r = await runBin(['recommend', 'w.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: w\.yaml:4:12: workloads\[0\]\.model: unknown model "gpt-4o-mnii"/);
    expect(r.stderr).toMatch(/did you mean/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
