// Service tiers and capacity (issue 13): every option a workload's model offers, priced by hand here
// (flex with its shed share sent again at standard, priority, provisioned capacity with minimum units and
// increments, 1-hour vs 5-minute cache writes, reasoning tokens), the choice among them, spend caps, and
// a cached prefix under the provider minimum priced uncached.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog, Model } from '../../src/core/catalog/schema.js';
import { buildRecommendation } from '../../src/core/recommend/build.js';
import { recommendJson } from '../../src/core/recommend/document.js';
import { sizeProvisioned } from '../../src/core/recommend/options.js';
import { backendJobYaml, fileFromYaml, steadyProvisionedYaml } from '../helpers/workloads.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const NOW = new Date('2026-11-25T12:00:00Z');

async function recommend(yaml: string, cat: Catalog = catalog) {
  return recommendJson(buildRecommendation([await fileFromYaml(yaml, cat)], cat, { now: NOW, version: 't' }));
}

type Json = ReturnType<typeof recommendJson>['workloads'][number];
const option = (w: Json, pattern: string, tier: string, ttl: string | null = null) => w.options.find((o) => o.pattern === pattern && o.service_tier === tier && o.cache_ttl === ttl)!;

const BACKEND_JOB = backendJobYaml();

describe('flex: batch prices, synchronous, with the shed share sent again at standard', () => {
  it('gives the 15-minute gpt-5-mini job flex at about $2,012.50 instead of $4,025 from a queue', async () => {
    const w = (await recommend(BACKEND_JOB)).workloads[0]!;
    // direct = 1,000,000 × (4,100 × 0.25 + 1,500 × 2.00) / 1e6 = 1,025 + 3,000 = $4,025.00 (the standard tier)
    expect(w.cost_usd_per_month).toEqual({ direct: 4025, streaming: 4025, batch: 2012.5 });
    // flex list = 1,000,000 × (4,100 × 0.125 + 1,500 × 1.00) / 1e6 = 512.50 + 1,500 = $2,012.50;
    // 1% shed (data/providers.yaml, an estimate) sent again at standard: 0.99 × 2,012.50 + 0.01 × 4,025 = $2,032.625
    expect(w).toMatchObject({ pattern: 'direct', service_tier: 'flex', recommended_cost_usd_per_month: 2032.625, via_queue: true });
    expect(option(w, 'direct', 'flex')).toMatchObject({ cost_usd_per_month: 2032.625, standard_share: 0.01, available: true, fits: true, why_not: null });
    // batch is cheaper still, but a request waits for the next submission and ~1 h: ~2.8% make 15 minutes
    // (the one model of time: the 15-minute cadence's wait, then the turnaround's lognormal around 1 h)
    expect(option(w, 'batch', 'standard').within_tolerance).toBeLessThan(0.05);
    expect(option(w, 'batch', 'standard').why_not).toMatch(/within the 15 min tolerance/);
    // the standard tier lost on price alone: $4,025 − $2,032.625 = $1,992.375 more
    expect(option(w, 'direct', 'standard').why_not).toBe('$1,992.38/month more than direct · flex');
    expect(w.reasons.join('\n')).toMatch(/flex processing gives the same synchronous calls at about the batch price: \$2,032\.63\/month instead of \$4,025\.00/);
    // the portfolio counts the recommended option: saving 4,025 − 2,032.625
    expect(w.within_tolerance).toMatchObject({ direct: expect.closeTo(0.999, 2), streaming: expect.closeTo(1, 2) });
    // flex: twice the time to first token, 0.75× the speed, 1% refused and sent again at standard: still within 15 minutes
    expect(option(w, 'direct', 'flex').within_tolerance).toBeGreaterThan(0.99);
  });

  it('prices a larger shed share as more traffic at standard', async () => {
    // shed share 20%: 0.8 × 2,012.50 + 0.2 × 4,025 = 1,610 + 805 = $2,415
    const shedding = withModel(catalog, 'gpt-5-mini', (m) => ({ ...m, service_tiers: m.service_tiers!.map((t) => (t.tier === 'flex' ? { ...t, shed_share: 0.2 } : t)) }));
    const w = (await recommend(BACKEND_JOB, shedding)).workloads[0]!;
    expect(option(w, 'direct', 'flex').cost_usd_per_month).toBe(2415);
    expect(w.recommended_cost_usd_per_month).toBe(2415);
  });

  it('is not offered to a person watching the output', async () => {
    const yaml = BACKEND_JOB.replace('latency: 15m', 'latency: 30s\n    user_facing: true');
    const w = (await recommend(yaml)).workloads[0]!;
    expect(w.service_tier).toBe('standard');
    expect(option(w, 'streaming', 'flex').why_not).toMatch(/a person watches: flex is best effort/);
  });
});

describe('priority', () => {
  // 100,000 requests of 1,000 in / 300 out (p95 400), tolerance 7.5 s, no one watching. gpt-5-mini: TTFT 2 s,
  // 80 tok/s; priority 0.8× the TTFT and 1.2× the speed (estimates, data/providers.yaml). By the one model of
  // time (the spread of TTFT and speed around those figures, retries): standard p95 ~8.4 s, ~87% within 7.5 s;
  // priority p95 ~6.9 s, ~98% within it.
  const yaml = `version: 1
tiers: { openai: 4 }
workloads:
  - name: fast-path
    model: gpt-5-mini
    volume: 100k/month
    latency: 7.5s
    input: { tokens: 1000 }
    output: { tokens: 300, p95: 400, reasoning_tokens: 0 }
`;
  it('is chosen only where it alone meets the tolerance, at its own prices', async () => {
    const w = (await recommend(yaml)).workloads[0]!;
    // standard 100,000 × (1,000 × 0.25 + 300 × 2.00)/1e6 = $85; priority 100,000 × (1,000 × 0.45 + 300 × 3.60)/1e6 = $153
    const std = option(w, 'direct', 'standard');
    const prio = option(w, 'direct', 'priority');
    expect(std).toMatchObject({ cost_usd_per_month: 85, latency_s: { ttft: 2, total: 5.75 } });
    expect(prio).toMatchObject({ cost_usd_per_month: 153, latency_s: { ttft: 1.6 } });
    expect(std.within_tolerance!).toBeLessThan(0.95);
    expect(prio.within_tolerance!).toBeGreaterThanOrEqual(0.95);
    expect(prio.latency_s!.p95).toBeLessThan(7.5);
    expect(std.latency_s!.p95).toBeGreaterThan(7.5);
    expect(w).toMatchObject({ pattern: 'direct', service_tier: 'priority', recommended_cost_usd_per_month: 153 });
    expect(std.why_not).toMatch(/^p95 ~8\.\d s: ~8\d% of requests within the 7\.5 s tolerance \(needs 95%\)/);
  });

  it('is dropped when it passes the spend cap of the tier (priced like a rate limit)', async () => {
    // the backend job at priority: 1,000,000 × (4,100 × 0.45 + 1,500 × 3.60)/1e6 = 1,845 + 5,400 = $7,245 > $5,000 (tier 4)
    const w = (await recommend(BACKEND_JOB)).workloads[0]!;
    expect(option(w, 'direct', 'priority')).toMatchObject({ cost_usd_per_month: 7245, fits: false, fits_at_some_tier: true });
    expect(option(w, 'direct', 'priority').why_not).toBe('$7,245.00/month passes the $5,000 monthly spend cap of tier 4');
    expect(w.spend_cap).toEqual({ tier: '4', usd_per_month: 5000 });
  });
});

describe('tiers only where offered', () => {
  const yaml = (model: string, extra = '') => `version: 1
workloads:
  - name: a
    model: ${model}
    volume: 100k/month
    latency: 15m
    input: { tokens: 1000 }
    output: { tokens: 100 }
${extra}`;
  it('considers Anthropic\'s unsold priority tier only when the workload says it has it', async () => {
    const plain = (await recommend(yaml('claude-haiku-4-5'))).workloads[0]!;
    expect(plain.options.some((o) => o.service_tier === 'priority')).toBe(false);
    const named = (await recommend(yaml('claude-haiku-4-5', '    service_tiers: [standard, priority]\n'))).workloads[0]!;
    expect(option(named, 'direct', 'priority')).toMatchObject({ available: false, cost_usd_per_month: null });
    expect(option(named, 'direct', 'priority').why_not).toMatch(/anthropic no longer sells its priority tier and publishes no price for it/);
  });

  it('gives Azure flex only to the models Azure supports it for', async () => {
    const supported = (await recommend(yaml('azure/gpt-5-mini'))).workloads[0]!;
    expect(supported.options.some((o) => o.service_tier === 'flex' && o.available)).toBe(true);
    const unsupported = (await recommend(yaml('azure/gpt-4o'))).workloads[0]!;
    expect(unsupported.options.some((o) => o.service_tier === 'flex')).toBe(false);
  });
});

describe('Gemini priority past its limits', () => {
  it('prices the share past 0.3× the standard limits at standard (served there without an error)', async () => {
    // gemini-3.8-flash ($0.75 / $3.75; priority 1.8×) given gemini-2.5-flash's published limits (tier 3: 10,000 RPM).
    const limited = withModel(catalog, 'gemini-3.8-flash', (m) => ({ ...m, rate_limit_class: 'gemini-2.5-flash' }));
    const w = (
      await recommend(
        `version: 1
tiers: { google: 3 }
workloads:
  - name: busy
    model: gemini-3.8-flash
    volume: 259.2M/month
    latency: 30s
    input: { tokens: 10 }
    output: { tokens: 2 }
`,
        limited,
      )
    ).workloads[0]!;
    // peak 259,200,000 / 43,200 = 6,000 RPM = 60% of 10,000 (input TPM 60,000 of 8M is less): priority holds
    // 0.3 ÷ 0.6 = half of it; the other half is served at standard.
    // standard = 259,200,000 × (10 × 0.75 + 2 × 3.75)/1e6 = $3,888; priority 1.8× = $6,998.40;
    // 0.5 × 6,998.40 + 0.5 × 3,888 = $5,443.20
    expect(option(w, 'direct', 'standard').cost_usd_per_month).toBe(3888);
    expect(option(w, 'direct', 'priority')).toMatchObject({ cost_usd_per_month: 5443.2, standard_share: 0.5 });
    expect(option(w, 'direct', 'priority').notes.join('\n')).toMatch(/priority limits are 30% of the standard limits; past them requests are served at standard without an error \(~50% of the peak here, priced at standard\)/);
  });
});

describe('provisioned capacity, sized for the peak', () => {
  it('rounds the units up to the minimum and the increment (hand-worked)', () => {
    // peak 303,000 input TPM ÷ 3,000 per unit = 101 units; 15 minimum + ceil(86 ÷ 5) × 5 = 15 + 90 = 105 units
    const s = sizeProvisioned({ usdPerUnitHour: 1, inputTpmPerUnit: 3000, minUnits: 15, unitIncrement: 5 }, 303_000, 101_000);
    expect(s).toMatchObject({ unitsForPeak: 101, units: 105, capacityInputTpm: 315_000 });
    // 105 units × $1 × 720 h = $75,600; utilisation = 101,000 average ÷ 315,000 = 0.3206
    expect(s.feeUsdPerMonth).toBe(75_600);
    expect(s.utilisation).toBeCloseTo(0.320635, 5);
    // a small workload still buys the minimum
    expect(sizeProvisioned({ usdPerUnitHour: 1, inputTpmPerUnit: 3000, minUnits: 15, unitIncrement: 5 }, 1_000, 500).units).toBe(15);
  });

  it('prices the offer of the file, with its break-even volume, and recommends it where it is cheapest', async () => {
    // azure/gpt-5-mini (priced as OpenAI's). 4.32M requests/month = 100/min, peak ×3 = 300/min × 1,010 = 303,000 input TPM
    const yaml = steadyProvisionedYaml;
    const dear = (await recommend(yaml(1))).workloads[0]!;
    // standard: 4,320,000 × (1,010 × 0.25 + 100 × 2.00)/1e6 = 4,320,000 × 452.5e-6 = $1,954.80
    expect(dear.cost_usd_per_month.direct).toBe(1954.8);
    const p = option(dear, 'direct', 'provisioned');
    // 105 units × $1 × 720 = $75,600; break-even = 75,600 ÷ (1,954.80 ÷ 4,320,000) = 167,071,823 requests/month
    expect(p).toMatchObject({ cost_usd_per_month: 75600, units: 105, utilisation: 0.3206, provisioned: { units_for_peak: 101, break_even_requests_per_month: 167_071_823, from: 'file' } });
    expect(dear.service_tier).toBe('flex'); // Azure flex: 0.99 × 977.40 + 0.01 × 1,954.80 = $987.174
    expect(option(dear, 'direct', 'flex').cost_usd_per_month).toBe(987.174);
    // at $0.01 a unit-hour: 105 × 0.01 × 720 = $756 < $987.17: provisioned wins
    const cheap = (await recommend(yaml(0.01))).workloads[0]!;
    expect(cheap).toMatchObject({ service_tier: 'provisioned', recommended_cost_usd_per_month: 756 });
    expect(option(cheap, 'direct', 'flex').why_not).toBe('$231.17/month more than direct · provisioned');
    // no batch × provisioned option: capacity is for synchronous calls
    expect(cheap.options.some((o) => o.pattern === 'batch' && o.service_tier !== 'standard')).toBe(false);
  });

  it('sizes for the average with the overflow at standard where the provider spills over (Bedrock) and that is cheaper', async () => {
    // bedrock llama 3.1 8B: $0.22 in and out. 4.32M requests/month of 1,000 in / 100 out, peak ×4:
    // standard = 4,320,000 × (1,000 × 0.22 + 100 × 0.22)/1e6 = 4,320,000 × 242e-6 = $1,045.44.
    // average 100,000 input TPM, peak 400,000; a unit serves 10,000.
    const yaml = (usd: number) => `version: 1
workloads:
  - name: spiky
    model: bedrock/meta.llama3-1-8b-instruct-v1:0
    volume: 4.32M/month
    latency: 30s
    input: { tokens: 1000 }
    output: { tokens: 100 }
    peak_factor: 4
    provisioned: { usd_per_unit_hour: ${usd}, input_tpm_per_unit: 10000 }
`;
    const w = (await recommend(yaml(0.5))).workloads[0]!;
    expect(w.cost_usd_per_month.direct).toBe(1045.44);
    // for the peak: 40 units × $0.50 × 720 = $14,400; for the average: 10 units = $3,600, and at most
    // (400,000 − 100,000)/400,000 = 75% of requests spill to standard: 3,600 + 0.75 × 1,045.44 = $4,384.08
    expect(option(w, 'direct', 'provisioned')).toMatchObject({ cost_usd_per_month: 4384.08, units: 10, standard_share: 0.75, provisioned: { units_for_peak: 10, spillover: true, spillover_share: 0.75, fee_usd_per_month: 3600 } });
    expect(w.service_tier).toBe('standard');
    // at $0.03 a unit-hour the peak size is cheaper (40 × 0.03 × 720 = $864 < 216 + 784.08) and beats standard
    const cheap = (await recommend(yaml(0.03))).workloads[0]!;
    expect(option(cheap, 'direct', 'provisioned')).toMatchObject({ cost_usd_per_month: 864, units: 40, standard_share: 0, provisioned: { spillover_share: 0 } });
    expect(cheap).toMatchObject({ service_tier: 'provisioned', recommended_cost_usd_per_month: 864 });
  });

  it('says where no price is published and no offer is stated', async () => {
    const w = (await recommend(BACKEND_JOB)).workloads[0]!;
    expect(option(w, 'direct', 'provisioned')).toMatchObject({ available: false, cost_usd_per_month: null });
    expect(option(w, 'direct', 'provisioned').why_not).toMatch(/publishes no price for provisioned capacity: state your offer in provisioned:/);
  });
});

describe('cache lifetime: 5 minutes vs 1 hour (Anthropic)', () => {
  it('prices both and picks the cheaper writes', async () => {
    // claude-haiku-4-5: $1 input, $0.10 cached, writes $1.25 (5 m) / $2.00 (1 h). 100,000 requests of 6,000 in,
    // 80% cached (4,800 tokens, over the 4,096 minimum), 200 out.
    const w = (
      await recommend(`version: 1
tiers: { anthropic: build }
workloads:
  - name: docs-qa
    model: claude-haiku-4-5
    volume: 100k/month
    latency: 30s
    input: { tokens: 6000, cached: 0.8 }
    output: { tokens: 200 }
`)
    ).workloads[0]!;
    // requests: 100,000 × (6,000 × 0.2 × 1 + 4,800 × 0.10 + 200 × 5)/1e6 = 100,000 × 2,680e-6 = $268 either way
    expect(option(w, 'direct', 'standard', '5m').cost_usd_per_month).toBe(268);
    expect(option(w, 'direct', 'standard', '1h').cost_usd_per_month).toBe(268);
    // 5 m: min(100,000, 2,592,000 s ÷ 300 s) = 8,640 writes × 4,800 × (1.25 − 0.10)/1e6 = $47.6928
    expect(option(w, 'direct', 'standard', '5m').cache_write_usd_per_month).toBe(47.6928);
    // 1 h: 720 writes × 4,800 × (2.00 − 0.10)/1e6 = $6.5664
    expect(option(w, 'direct', 'standard', '1h').cache_write_usd_per_month).toBe(6.5664);
    expect(w).toMatchObject({ service_tier: 'standard', recommended_cost_usd_per_month: 268 });
    expect(w.options.find((o) => o.why_not === null)).toMatchObject({ pattern: 'direct', cache_ttl: '1h' });
    expect(option(w, 'direct', 'standard', '5m').why_not).toBe('$41.13/month more than direct · standard · cache 1h');
  });
});

describe('reasoning tokens', () => {
  const yaml = (output: string) => `version: 1
tiers: { openai: 4 }
workloads:
  - name: think
    model: gpt-5-mini
    volume: 10k/month
    latency: 30s
    input: { tokens: 1000 }
    output: ${output}
`;
  it('bills them as output, counts them in TPM and adds them before the first token', async () => {
    const w = (await recommend(yaml('{ tokens: 200, reasoning_tokens: 600 }'))).workloads[0]!;
    // 10,000 × (1,000 × 0.25 + (200 + 600) × 2.00)/1e6 = 10,000 × 1,850e-6 = $18.50
    expect(w.cost_usd_per_month.direct).toBe(18.5);
    expect(w.tokens).toMatchObject({ output: 200, reasoning: 600, reasoning_from: 'tokens' });
    // TTFT 2 s + 600/80 = 9.5 s; total 9.5 + 200/80 = 12 s
    expect(w.latency_s).toMatchObject({ ttft: 9.5, total: 12 });
    // peak TPM = 10,000/43,200 × (1,000 + 800) = 416.67 → 417
    expect(w.limits.peak_tpm).toBe(417);
    expect(w.warnings.join('\n')).not.toMatch(/states no reasoning tokens/);
  });

  it('estimates them from reasoning: low | medium | high by data', async () => {
    // medium: 3 × 200 visible = 600 reasoning tokens (data/thresholds.yaml reasoning_multiplier_medium): the same bill
    const w = (await recommend(yaml('{ tokens: 200, reasoning: medium }'))).workloads[0]!;
    expect(w.tokens).toMatchObject({ reasoning: 600, reasoning_from: 'medium' });
    expect(w.cost_usd_per_month.direct).toBe(18.5);
    expect(w.warnings.join('\n')).toMatch(/600 hidden reasoning tokens per request \(reasoning: medium, ≈ 3× the visible output/);
  });

  it('warns when a reasoning model states none', async () => {
    const w = (await recommend(yaml('{ tokens: 200 }'))).workloads[0]!;
    expect(w.warnings.join('\n')).toMatch(/gpt-5-mini is a reasoning model and the workload states no reasoning tokens/);
  });
});

describe('a headline that never contradicts itself', () => {
  it('prices a cached prefix under the provider minimum uncached (the claude-sonnet RAG chat of issue 13)', async () => {
    const w = (
      await recommend(`version: 1
tiers: { anthropic: scale }
workloads:
  - name: rag-chat
    model: claude-sonnet-4-5
    volume: 20k/day
    latency: 3s
    user_facing: true
    task: chat
    input: { tokens: 3160, cached: 0.3 }
    output: { tokens: 350 }
`)
    ).workloads[0]!;
    // the prefix is 3,160 × 0.3 = 948 tokens < 1,024: uncached. 600,000 × (3,160 × 3 + 350 × 15)/1e6 = 600,000 × 14,730e-6
    // = $8,838 (with the discount it would have been 600,000 × (3,160 × 0.7 × 3 + 948 × 0.30 + 5,250)/1e6 = $7,302.24)
    expect(w.cost_usd_per_month.streaming).toBe(8838);
    expect(w.recommended_cost_usd_per_month).toBe(8838);
    expect(w.tokens).toMatchObject({ cached_fraction: 0.3, cached_fraction_priced: 0 });
    expect(w.cache_write_usd_per_month.streaming).toBe(0);
    expect(w.warnings.join('\n')).toMatch(/~948 tokens\) is below claude-sonnet-4-5's minimum of 1,024 tokens for caching: the provider will not cache it, so it is priced uncached/);
  });

  it('checks the spend cap like a rate limit, and leaves a workload that fits at no tier out of the saving', async () => {
    // gpt-5-mini at 2 billion requests a month: no OpenAI tier's limits or cap hold it
    const json = await recommend(`version: 1
tiers: { openai: 5 }
workloads:
  - name: huge
    model: gpt-5-mini
    volume: 2B/month
    latency: 15m
    input: { tokens: 100 }
    output: { tokens: 10, reasoning_tokens: 0 }
  - name: ok
    model: gpt-5-mini
    volume: 1M/month
    latency: 15m
    input: { tokens: 4100 }
    output: { tokens: 1500, reasoning_tokens: 0 }
`);
    const huge = json.workloads[0]!;
    // 2,000,000,000 / 43,200 = 46,296 requests/min against tier 5's 30,000: no synchronous option fits at any tier
    expect(huge.options.filter((o) => o.available && o.pattern !== 'batch').every((o) => o.fits === false && !o.fits_at_some_tier)).toBe(true);
    // past the rate limit all month, the queue of synchronous calls only grows: none meets 15 minutes (the one
    // model of time), nor does batch (~2.8%, the wait for a submission and the turnaround). Said so, with what would.
    expect(huge.options.filter((o) => o.available).every((o) => (o.within_tolerance ?? 0) < 0.95)).toBe(true);
    expect(huge.reasons.join('\n')).toMatch(/no option meets the 15 min tolerance \(95% of requests within it\): .* comes closest .*a higher rate limit .* would/);
    expect(json.total_usd_per_month.not_meeting_tolerance).toEqual(['huge']);
    // saving counts only "ok": 4,025 − 2,032.625 = 1,992.375
    expect(json.total_usd_per_month.saving).toBe(1992.375);
    // recommended is the sum of recommended_cost_usd_per_month
    expect(json.total_usd_per_month.recommended).toBeCloseTo(huge.recommended_cost_usd_per_month + 2032.625, 3);
  });
});

describe('the spend cap is the account\'s', () => {
  it('warns every workload of a provider whose recommended options together pass its tier\'s cap', async () => {
    // two claude-haiku-4-5 jobs of 120,000 × (2,000 × $1 + 600 × $5)/1e6 = $600 direct each; overnight → batch $300
    // each; together $600 < $1,000 (build). At 240,000 requests each: $600 + $600 = $1,200 > $1,000.
    const yaml = (volume: string) => `version: 1
tiers: { anthropic: build }
workloads:
${['a', 'b'].map((n) => `  - name: ${n}\n    model: claude-haiku-4-5\n    volume: ${volume}\n    latency: overnight\n    input: { tokens: 2000 }\n    output: { tokens: 600 }\n`).join('')}`;
    const under = await recommend(yaml('120k/month'));
    expect(under.workloads.map((w) => w.recommended_cost_usd_per_month)).toEqual([300, 300]);
    expect(under.workloads[0]!.warnings.join('\n')).not.toMatch(/together/);
    const over = await recommend(yaml('240k/month'));
    for (const w of over.workloads) {
      expect(w.recommended_cost_usd_per_month).toBe(600);
      expect(w.warnings.join("\n")).toMatch(/the anthropic workloads of this run together are recommended at \$1,200\.00\/month, over the \$1,000 monthly spend cap of anthropic tier build \(the cap is the account's\): a and b share it/);
    }
  });
});


function withModel(cat: Catalog, id: string, change: (m: Model) => Model): Catalog {
  const changed = change(cat.lookup?.byName(id) ?? cat.models.find((m) => m.id === id)!);
  return { ...cat, lookup: undefined, models: cat.models.map((m) => (m.id === id ? changed : m)) };
}
