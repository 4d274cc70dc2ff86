// The figures, reproduced by `aip recommend --json` from workload files (hand-worked in the comments).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

function workspace(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aip-figures-'));
  writeFileSync(join(dir, 'w.yaml'), yaml);
  return dir;
}

async function recommend(yaml: string, ...args: string[]) {
  const r = await runAip(['recommend', 'w.yaml', '--json', ...args], { cwd: workspace(yaml) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('aip recommend --json reproduces the catalog issue\'s figures', () => {
  it('gpt-5: batch cached input at $0.0625 per 1M', async () => {
    // A 2,000-token cached prefix (over OpenAI's 1,024-token minimum, so the discount applies).
    const doc = await recommend('version: 1\nworkloads:\n  - name: nightly\n    model: gpt-5\n    volume: 10k/month\n    latency: overnight\n    input: { tokens: 4000, cached: 0.5 }\n    output: { tokens: 200 }\n');
    expect(doc.workloads[0].prices).toMatchObject({ batch_input: 0.625, batch_cached_input: 0.0625, batch_output: 5 });
    // 10,000 × (2,000 × 0.625 + 2,000 × 0.0625 + 200 × 5) / 1e6 = 10,000 × 2,375 / 1e6 = $23.75.
    expect(doc.workloads[0].cost_usd_per_month.batch).toBeCloseTo(23.75, 4);
  });

  it('the 400k-token gpt-5.4 workload: $20,450 a month at the >272k tier (not $10,300)', async () => {
    // 10,000 requests × (400,000 × $5.00 + 2,000 × $22.50) / 1e6 = 10,000 × $2.045 = $20,450.
    const doc = await recommend('version: 1\nworkloads:\n  - name: long-docs\n    model: gpt-5.4\n    volume: 10k/month\n    latency: 2m\n    input: { tokens: 400000 }\n    output: { tokens: 2000 }\n');
    const w = doc.workloads[0];
    expect(w.cost_usd_per_month.direct).toBe(20450);
    expect(w.prices).toMatchObject({ input: 5, cached_input: 0.5, output: 22.5, long_context: true, long_context_above_input_tokens: 271999 });
    expect(w.warnings.join('\n')).toMatch(/above gpt-5\.4's long-context threshold of 272K input tokens/);
  });

  it('gemini-2.5-pro above 200k: batch cached at $0.25 (not $0.125)', async () => {
    // 1,000 × (125,000 × $1.25 + 125,000 × $0.25 + 1,000 × $7.50) / 1e6 = 1,000 × 0.195 = $195.
    const doc = await recommend('version: 1\nworkloads:\n  - name: archive\n    model: gemini-2.5-pro\n    volume: 1000/month\n    latency: overnight\n    input: { tokens: 250000, cached: 0.5 }\n    output: { tokens: 1000 }\n');
    expect(doc.workloads[0].prices.batch_cached_input).toBe(0.25);
    expect(doc.workloads[0].cost_usd_per_month.batch).toBe(195);
  });

  it('the gpt-5.4-mini overnight job with 80% cached input: batch $1,755 against direct $3,510, so batch wins at --min-batch-saving 200', async () => {
    // Batch: 1M × (1,200 × $0.375 + 4,800 × $0.0375 + 500 × $2.25) / 1e6 = 450 + 180 + 1,125 = $1,755. The old
    // rule (cached at the full batch input price) gave 1M × (6,000 × 0.375 + 500 × 2.25) / 1e6 = $3,375, a saving
    // of $135 against direct ($3,510), under the $200 bar: aip picked direct.
    const doc = await recommend('version: 1\nworkloads:\n  - name: overnight\n    model: gpt-5.4-mini\n    volume: 1M/month\n    latency: overnight\n    input: { tokens: 6000, cached: 0.8 }\n    output: { tokens: 500 }\n', '--min-batch-saving', '200');
    const w = doc.workloads[0];
    expect(w.cost_usd_per_month.batch).toBe(1755);
    expect(w.cost_usd_per_month.direct).toBe(3510);
    expect(w.pattern).toBe('batch');
  });

  it('a pricing override derives batch and batch cached by the provider\'s rules, and says so', async () => {
    // claude-haiku-4-5 with a negotiated cached price of $0.04: batch cached follows it (Anthropic halves it) → $0.02.
    const doc = await recommend('version: 1\nworkloads:\n  - name: n\n    model: claude-haiku-4-5\n    volume: 10k/month\n    latency: overnight\n    input: { tokens: 5000, cached: 0.8 }\n    output: { tokens: 100 }\n    pricing: { cached_input: 0.04 }\n');
    const w = doc.workloads[0];
    expect(w.prices).toMatchObject({ cached_input: 0.04, batch_cached_input: 0.02, overridden: ['cached_input'], derived: ['batch_cached_input'] });
    expect(w.warnings.join('\n')).toMatch(/prices overridden in the file \(cached_input\)[^\n]*batch_cached_input derived from them by anthropic's own ratios/);
  });

  it('Anthropic\'s cache TTL is a workload choice priced with its write price (1 h: $2.00 on Haiku 4.5)', async () => {
    // 100,000 requests of 10,000 tokens, 50% cached: a 5,000-token prefix written at most once an hour (720 a
    // month): 720 × (2.00 − 0.10) × 5,000 / 1e6 = $6.84; with the 5-minute TTL 8,640 writes × 1.15 × 5,000 / 1e6 = $49.68.
    const file = (ttl: string) => `version: 1\nworkloads:\n  - name: rag\n    model: claude-haiku-4-5\n    volume: 100k/month\n    latency: 5s\n    input: { tokens: 10000, cached: 0.5${ttl} }\n    output: { tokens: 100 }\n`;
    const hour = await recommend(file(', cache_ttl: 1h'));
    const five = await recommend(file(''));
    expect(hour.workloads[0].cache_write_usd_per_month.direct).toBe(6.84);
    expect(hour.workloads[0].prices).toMatchObject({ cache_write: 2, cache_ttl: '1h' });
    expect(five.workloads[0].cache_write_usd_per_month.direct).toBe(49.68);
  });

  it('a cache_ttl on a provider without the choice is an error naming the field', async () => {
    const r = await runAip(['recommend', 'w.yaml'], { cwd: workspace('version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    volume: 10/day\n    latency: 2h\n    input: { tokens: 10, cache_ttl: 1h }\n    output: { tokens: 5 }\n') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/w\.yaml:7:\d+: workloads\[0\]\.input\.cache_ttl: gpt-4o-mini \(openai\) offers no choice of cache lifetime/);
  });

  it('max_input is checked: a 350k prompt on gpt-5.4-mini (272k max input) is refused by the API', async () => {
    const doc = await recommend('version: 1\nworkloads:\n  - name: a\n    model: gpt-5.4-mini\n    volume: 10/day\n    latency: 2h\n    input: { tokens: 350000 }\n    output: { tokens: 500 }\n');
    expect(doc.workloads[0].warnings.join('\n')).toMatch(/exceeds gpt-5\.4-mini's maximum input of 272K tokens: the API will refuse it/);
  });

  it('the footer date is the data\'s own (the base snapshot), and an old catalog warns once for the run', async () => {
    const yaml = 'version: 1\nworkloads:\n  - { name: a, model: gpt-4o-mini, volume: 10/day, latency: 2h, input: { tokens: 10 }, output: { tokens: 5 } }\n  - { name: b, model: gpt-4o, volume: 10/day, latency: 2h, input: { tokens: 10 }, output: { tokens: 5 } }\n';
    const dir = workspace(yaml);
    const fresh = JSON.parse((await runAip(['recommend', 'w.yaml', '--json'], { cwd: dir })).stdout);
    expect(fresh.catalog_as_of).toBe('2026-09-23');
    expect(fresh.catalog_warnings).toEqual([]);
    const late = await runAip(['recommend', 'w.yaml', '--json'], { cwd: dir, now: new Date('2027-02-01T00:00:00Z') });
    const doc = JSON.parse(late.stdout);
    expect(doc.catalog_warnings).toHaveLength(1);
    expect(doc.catalog_warnings[0]).toMatch(/131 days old \(as of 2026-09-23/);
    for (const w of doc.workloads) expect(w.warnings.join('\n')).not.toMatch(/days old/);
  });
});
