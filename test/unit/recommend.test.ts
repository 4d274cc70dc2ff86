// aip recommend's core: the report and the JSON exactly as docs/spec.md, from workload text (no files, no
// command; the command in-process: test/command/recommend-command.test.ts; end to end: test/e2e/).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { buildRecommendation } from '../../src/core/recommend/build.js';
import { recommendJson } from '../../src/core/recommend/document.js';
import { wrapProse } from '../../src/render/recommend/table.js';
import { fileFromYaml, nearLimitYaml as near } from '../helpers/workloads.js';

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
      // The cached prefix (1,200 × 0.6 = 720 tokens) is under gpt-4o-mini's 1,024-token minimum: OpenAI will not
      // cache it, so it is priced uncached (issue 13: no cost includes a discount known not to apply).
      // 300,000 × (1200×0.15 + 450×0.60)/1e6 = 300,000 × 450e-6 = $135.00 (with the discount it would be $118.80)
      // batch: 300,000 × (1200×0.075 + 450×0.30)/1e6 = 300,000 × 225e-6 = $67.50
      cost_usd_per_month: { direct: 135, streaming: 135, batch: 67.5 },
      tokens: { input: 1200, output: 450, cached_fraction: 0.6, cached_fraction_priced: 0 },
      service_tier: 'standard',
      recommended_cost_usd_per_month: 135,
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
    expect(chat.warnings.join('\n')).toMatch(/the cached prefix \(~720 tokens\) is below gpt-4o-mini's minimum of 1,024 tokens for caching: the provider will not cache it, so it is priced uncached/);
    // recommended: 135 (streaming) + 900 (batch) = 1,035; all direct: 135 + 1,800 = 1,935
    expect(json.total_usd_per_month).toMatchObject({ recommended: 1035, all_direct: 1935, saving: 900 });
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
    expect(w.warnings.join('\n')).toMatch(/o4-mini is a reasoning model and the workload states no reasoning tokens: its hidden reasoning tokens are billed as output/);
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
