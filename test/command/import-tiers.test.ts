// aip import writes the account's tier per provider: stated with --tier PROVIDER=TIER, or inferred as the
// lowest tier whose monthly spend cap the traffic's spend (as sent, at list prices) allows, commented as
// inferred. Cache hits the traffic recorded are written as measured, so recommend prices the discount the
// provider gave. On the OTLP fixture: gpt-4o streamed at $260.49/month as sent + gpt-4o-mini $0.54 = $261.03.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

const FIX = 'test/fixtures/import';
const TRACES = `${FIX}/otlp-openinference.json`;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aip-import-tiers-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('the tier inferred from the spend', () => {
  it('writes the lowest tier whose cap the spend allows, commented as inferred, and notes it on stderr', async () => {
    const out = join(dir, 'inferred.yaml');
    const r = await runAip(['import', TRACES, '-o', out, '--latency', '24h']);
    expect(r.code, r.stderr).toBe(0);
    const yaml = await readFile(out, 'utf8');
    // $261.03/month as sent > tier 1's $100 cap; ≤ tier 2's $500.
    expect(yaml).toMatch(/^tiers:\n {2}openai: 2 +# inferred from the spend \(see above\)\nworkloads:/m);
    const comment = flat(yaml.split('\ntiers:')[0]!.split('version: 1')[1]!.replace(/^#\s*/gm, ''));
    expect(comment).toContain("openai tier 2 is inferred, not stated: this traffic spends $261.03/month as sent, over tier 1's $100 monthly spend cap, so the account is at tier 2 ($500 cap) or higher.");
    expect(comment).toContain('State yours here, or import with --tier openai=TIER.');
    expect(flat(r.stderr)).toContain('note: openai tier 2 is inferred, not stated');
    expect(flat(r.stderr)).toContain('state yours with --tier openai=TIER');
    // recommend reads it: the limits are tier 2's (batch fits its 1.35M-token queue), no spend-cap warning.
    const rec = await runAip(['recommend', out, '--json']);
    expect(rec.code, rec.stderr).toBe(0);
    const doc = JSON.parse(rec.stdout);
    const gpt4o = doc.workloads.find((w: { name: string }) => w.name === 'rag-api-gpt-4o-streaming');
    expect(String(gpt4o.limits.tier)).toBe('2');
    expect(gpt4o.pattern).toBe('batch');
    expect(gpt4o.spend_cap.usd_per_month).toBe(500);
  });

  it('says why in --json: the spend, the cap, the tier ruled out', async () => {
    const r = await runAip(['import', TRACES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [t] = JSON.parse(r.stdout).tiers;
    expect(t).toMatchObject({ provider: 'openai', tier: '2', from: 'inferred', spend_cap_usd_per_month: 500, ruled_out: { tier: '1', spend_cap_usd_per_month: 100 }, above_cap: false, default_tier: '1' });
    expect(t.observed_usd_per_month).toBeCloseTo(261.03, 2);
  });

  it('keeps the default where the spend is within its cap, and says a higher tier is possible', async () => {
    // OpenAI usage buckets: completions $24.30 + embeddings $1.50 = $25.80/month, within tier 1's $100.
    const r = await runAip(['import', `${FIX}/openai-usage-completions.json`, `${FIX}/openai-usage-embeddings.jsonl`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [t] = JSON.parse(r.stdout).tiers;
    expect(t).toMatchObject({ provider: 'openai', tier: '1', from: 'inferred', observed_usd_per_month: 25.8, ruled_out: null });
    expect(t.reason).toContain("the provider's default; this traffic's $25.80/month as sent is within its $100 monthly spend cap, so a higher tier is possible too");
  });

  it("climbs Anthropic's current tier system (Start, Build, Scale), not its older numbered one", async () => {
    const r = await runAip(['import', `${FIX}/anthropic-usage-report.json`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [t] = JSON.parse(r.stdout).tiers;
    // $12,144/month as sent: over Build's $1,000, within Scale's $200,000.
    expect(t).toMatchObject({ provider: 'anthropic', tier: 'scale', from: 'inferred', observed_usd_per_month: 12144, ruled_out: { tier: 'build', spend_cap_usd_per_month: 1000 } });
  });
});

describe('--tier PROVIDER=TIER', () => {
  it('is written as stated, and --recommend uses it', async () => {
    const out = join(dir, 'stated.yaml');
    const r = await runAip(['import', TRACES, '-o', out, '--latency', '24h', '--tier', 'openai=4', '--recommend']);
    expect(r.code, r.stderr).toBe(0);
    const yaml = await readFile(out, 'utf8');
    expect(yaml).toMatch(/^tiers:\n {2}openai: 4 +# from --tier$/m);
    expect(yaml).toContain('# openai tier 4 from --tier.');
    expect(r.stderr).not.toMatch(/inferred/);
    expect(flat(r.stdout)).toContain('saves $106.12/month (41%)');
    expect(flat(r.stdout)).toContain('Recommended at openai tier 4.');
  });

  it('takes "tier 3", PROVIDER:TIER and a provider alias', async () => {
    const r = await runAip(['import', TRACES, '--tier', 'OpenAI:Tier 3', '--tier', 'gemini=2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const tiers = JSON.parse(r.stdout).tiers.map((t: { provider: string; tier: string; from: string }) => [t.provider, t.tier, t.from]);
    expect(tiers).toEqual([
      ['google', '2', 'option'],
      ['openai', '3', 'option'],
    ]);
  });

  it('below the spend: kept (the user knows the account), flagged, and recommend finds the cap passed', async () => {
    const r = await runAip(['import', TRACES, '--latency', '24h', '--tier', 'openai=1', '--recommend']);
    expect(r.code, r.stderr).toBe(0);
    expect(flat(r.stderr)).toContain('note: openai tier 1 from --tier; its $100 monthly spend cap is below the $261.03/month this traffic spends as sent: check the tier');
    // At tier 1 the batch queue (90k tokens) cannot hold a window's batch and the $100 cap is passed: no saving.
    expect(flat(r.stdout)).toContain('the recommended patterns cost the same or more');
  });

  it.each([
    ['openai=9', /unknown openai tier "9" in "openai=9"/, /expected: one of: 1, 2, 3, 4, 5/],
    ['opnai=2', /unknown provider "opnai"/, /did you mean "openai"\?/],
    ['anthropic=biuld', /unknown anthropic tier "biuld"/, /did you mean "build"\?/],
    ['4', /"4" names no provider/, /e\.g\. --tier openai=4 or --tier anthropic=build/],
    ['azure=1', /the catalog has no account tiers for azure/, /expected: tiers for openai, anthropic, google/],
  ])('refuses --tier %s: exit 2, names the option, suggests, writes nothing', async (value, message, help) => {
    const out = join(dir, `bad-${value.replace(/\W/g, '_')}.yaml`);
    const r = await runAip(['import', TRACES, '-o', out, '--latency', '24h', '--tier', value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tier/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(help);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('refuses two tiers for one provider', async () => {
    const r = await runAip(['import', TRACES, '--tier', 'openai=2', '--tier', 'openai=4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tier names two tiers for openai \(2 and 4\)/);
  });
});

describe('cache hits measured from the traffic', () => {
  it('are priced as the provider billed them: no sub-minimum prefix estimate, now and direct agree', async () => {
    const out = join(dir, 'cached.yaml');
    const r = await runAip(['import', TRACES, '-o', out, '--latency', '24h', '--tier', 'openai=2']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/ {6}cached: 0\.5 +# 50% of input tokens were read from the prompt cache\n {6}cached_measured: true +# billed as cache reads/);
    const rec = await runAip(['recommend', out, '--json']);
    const w = JSON.parse(rec.stdout).workloads.find((x: { name: string }) => x.name === 'rag-api-gpt-4o-streaming');
    expect(w.tokens.cached_fraction_priced).toBe(0.5);
    expect(w.warnings.join(' ')).not.toMatch(/cached prefix/);
    // 38,591 × (1,000 × $2.50 + 1,000 × $1.25 + 300 × $10) / 1e6 = $260.49: the price the traffic paid as sent.
    expect(w.cost_usd_per_month.direct).toBeCloseTo(260.49, 2);
  });

  it('without cached_measured, an estimated prefix under the minimum is still priced uncached', async () => {
    const file = join(dir, 'estimated.yaml');
    await writeFile(file, 'version: 1\ntiers: { openai: 2 }\nworkloads:\n  - { name: rag, model: gpt-4o, volume: 38591, latency: 3s, input: { tokens: 2000, cached: 0.5 }, output: { tokens: 300 } }\n');
    const rec = await runAip(['recommend', file, '--json']);
    expect(rec.code, rec.stderr).toBe(0);
    const w = JSON.parse(rec.stdout).workloads[0];
    expect(w.tokens.cached_fraction_priced).toBe(0);
    expect(w.warnings.join(' ')).toMatch(/cached prefix \(~1,000 tokens\) is below gpt-4o's minimum of 1,024/);
  });

  it('cached_measured needs cached: exit 2 naming the key', async () => {
    const file = join(dir, 'measured-alone.yaml');
    await writeFile(file, 'version: 1\nworkloads:\n  - { name: rag, model: gpt-4o, volume: 1000, latency: 3s, input: { tokens: 2000, cached_measured: true }, output: { tokens: 300 } }\n');
    const rec = await runAip(['recommend', file]);
    expect(rec.code).toBe(2);
    expect(rec.stderr).toMatch(/cached_measured without cached/);
  });
});
