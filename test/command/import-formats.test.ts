// aip import on realistic exports built from the providers' documented schemas (test/fixtures/import/):
// each format's fields mapped, the arithmetic checked against hand-worked figures, and bad input refused
// with file:line, exit 2 and nothing written.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAip } from '../helpers/run.js';

const FIX = 'test/fixtures/import';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aip-import-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function importJson(...args: string[]) {
  const r = await runAip(['import', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}
const byName = (doc: { workloads: Array<{ name: string }> }, name: string) => doc.workloads.find((w) => w.name === name) as any;

describe('OpenAI organization Usage API', () => {
  it('scales buckets to a month, prices as sent (batch at batch prices) and finds the peak day', async () => {
    const doc = await importJson(`${FIX}/openai-usage-completions.json`, `${FIX}/openai-usage-embeddings.jsonl`);
    expect(doc.period).toMatchObject({ start: '2026-11-01T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z', covered_s: 172800 });
    // 4,000 requests in 2 days → ×15 = 60,000 a month; 4.8M input (1.6M cached), 1.2M output.
    const support = byName(doc, 'proj-support-gpt-4o-mini');
    expect(support).toMatchObject({ model: 'gpt-4o-mini', requests: 4000, requests_per_month: 60000, input_tokens_mean: 1200, output_tokens_mean: 300, cached_fraction: 0.3333, streaming: null });
    // (3.2M × $0.15 + 1.6M × $0.075 + 1.2M × $0.60) / 1e6 × 15 = $19.80
    expect(support.observed).toMatchObject({ pattern: 'direct', pattern_known: false, cost_usd_per_month: 19.8 });
    expect(support.per_request).toBe(false);
    expect(support.output_tokens_p95).toBeNull();
    expect(support.peak).toMatchObject({ basis: 'day', busiest: 3000, mean: 2000 });
    expect(support.peak_factor).toBe(1.5);
    // Batch: (2M × $0.075 + 0.5M × $0.30) / 1e6 × 15 = $4.50
    expect(byName(doc, 'proj-reports-gpt-4o-mini-batch').observed).toMatchObject({ pattern: 'batch', service_tier: 'batch', cost_usd_per_month: 4.5 });
    // Embeddings: 5M × $0.02 / 1e6 × 15 (the empty second day still counts) = $1.50
    expect(byName(doc, 'proj-search-text-embedding-3-small-direct')).toMatchObject({ requests_per_month: 150000, input_tokens_mean: 500, output_tokens_mean: 0 });
    expect(byName(doc, 'proj-search-text-embedding-3-small-direct').observed.cost_usd_per_month).toBe(1.5);
  });

  it('writes a commented workload file recommend accepts once the latency is given', async () => {
    const out = join(dir, 'openai.yaml');
    const r = await runAip(['import', `${FIX}/openai-usage-completions.json`, '-o', out, '--latency', '*batch*=24h', '--latency', '3s']);
    expect(r.code, r.stderr).toBe(0);
    const yaml = await readFile(out, 'utf8');
    expect(yaml).toMatch(/volume: 60000 +# requests a month, scaled from 4,000 in 2 days/);
    expect(yaml).toMatch(/tokens: 1200 +# mean per request \(usage buckets give means only\)/);
    expect(yaml).toMatch(/model: gpt-4o-mini +# reported as gpt-4o-mini-2024-07-18/);
    const rec = await runAip(['recommend', out, '--json']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(JSON.parse(rec.stdout).workloads).toHaveLength(2);
    // -o never overwrites without --force.
    const again = await runAip(['import', `${FIX}/openai-usage-completions.json`, '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/openai\.yaml: -o: the file already exists/);
    expect(await readFile(out, 'utf8')).toBe(yaml);
    expect((await runAip(['import', `${FIX}/openai-usage-completions.json`, '-o', out, '--force', '--latency', '3s'])).code).toBe(0);
  });
});

describe("Anthropic's usage report", () => {
  it('counts tokens (cache reads and writes) but says it cannot count requests', async () => {
    const doc = await importJson(`${FIX}/anthropic-usage-report.json`);
    const sonnet = byName(doc, 'wrkspc-assist-claude-sonnet-4-5');
    expect(sonnet).toMatchObject({ model: 'claude-sonnet-4-5', requests: null, requests_per_month: null, input_tokens_mean: null, cached_fraction: 0.6667 });
    // 3 hours → ×240. Input 18M (4M uncached + 12M read + 2M written), output 1.6M:
    // (6M × $3 + 12M × $0.30 + 1.6M × $15) / 1e6 × 240 = $10,944; writes 2M × ($3.75 − $3) × 240 = $360.
    expect(sonnet.observed.cost_usd_per_month).toBeCloseTo(10944, 6);
    expect(sonnet.observed.cache_write_usd_per_month).toBeCloseTo(360, 6);
    expect(sonnet.tokens_per_month).toMatchObject({ input: 18e6 * 240, cached_input: 12e6 * 240, output: 1.6e6 * 240 });
    // Batch tier at batch prices: (2M × $0.50 + 1M × $2.50) / 1e6 × 240 = $840.
    expect(byName(doc, 'wrkspc-nightly-claude-haiku-4-5-batch').observed).toMatchObject({ pattern: 'batch', cost_usd_per_month: 840 });
    const yaml = (await runAip(['import', `${FIX}/anthropic-usage-report.json`])).stdout;
    expect(yaml).toMatch(/ {2}# - name: wrkspc-assist-claude-sonnet-4-5/); // written commented out
    expect(yaml).toMatch(/the source counts tokens, not requests/);
  });
});

describe('LiteLLM spend logs', () => {
  for (const file of ['litellm-spend-logs.csv', 'litellm-spend-logs.json']) {
    it(`reads ${file}: teams, streaming from completionStartTime, cache, failures, spend cross-check`, async () => {
      const doc = await importJson(`${FIX}/${file}`);
      expect(doc.skipped).toEqual({ 'proxy-cache-hit': 1, 'other-usage': 1 });
      expect(doc.period.covered_s).toBe(3600);
      const support = byName(doc, 'support-gpt-4o-mini-streaming');
      expect(support).toMatchObject({ requests: 3, requests_per_month: 2160, input_tokens_mean: 1000, output_tokens_mean: 200, cached_fraction: 0.5, streaming: true, user_facing: true });
      expect(support.speed.ttft_s.p50).toBeCloseTo(0.4, 3);
      expect(support.failures).toEqual({ failed: 1, rate: 0.25, by_class: { 429: 1 } });
      // 3 calls × $0.0002325 in an hour × 720 = $0.5022, the same as list prices.
      expect(support.observed.cost_usd_per_month).toBeCloseTo(0.5022, 4);
      expect(support.observed.reported.usd_per_month).toBeCloseTo(0.5022, 4);
      expect(Math.abs(support.observed.reported.difference_usd_per_month)).toBeLessThan(1e-4);
      expect(byName(doc, 'reports-gpt-4o-mini-direct')).toMatchObject({ requests: 3, streaming: false, input_tokens_mean: 3000 });
    });
  }

  it('groups by request tag', async () => {
    const doc = await importJson(`${FIX}/litellm-spend-logs.csv`, '--group-by', 'tag');
    expect(doc.workloads.map((w: { name: string }) => w.name).sort()).toEqual(['chat-gpt-4o-mini-streaming', 'weekly-report-gpt-4o-mini-direct']);
  });
});

describe('Langfuse observations', () => {
  it('reads GENERATION observations with usage details, first-chunk times and costs', async () => {
    const doc = await importJson(`${FIX}/langfuse-observations.json`);
    expect(doc.skipped).toEqual({ 'not-generation': 1 });
    const w = byName(doc, 'production-claude-haiku-4-5-streaming');
    expect(w).toMatchObject({ requests: 3, input_tokens_mean: 1000, output_tokens_mean: 150, cached_fraction: 0.2, streaming: true });
    expect(w.failures.by_class).toEqual({ 529: 1 });
    expect(w.speed.ttft_s.p50).toBeCloseTo(0.6, 3);
    // Per call: 800 × $1 + 200 × $0.10 + 150 × $5 = $0.00157 — what Langfuse computed.
    expect(w.observed.reported.difference_usd_per_month).toBeCloseTo(0, 6);
  });
});

describe('OTLP JSON (a whole document, streamed)', () => {
  it('reads OpenInference llm.* spans and the older gen_ai.system / prompt_tokens names', async () => {
    const doc = await importJson(`${FIX}/otlp-openinference.json`);
    expect(doc.skipped).toEqual({ 'not-genai': 1 });
    const rag = byName(doc, 'rag-api-gpt-4o-streaming');
    expect(rag).toMatchObject({ requests: 3, input_tokens_mean: 2000, output_tokens_mean: 300, cached_fraction: 0.5, streaming: true });
    expect(rag.speed.ttft_s.p50).toBeCloseTo(0.5, 3);
    // (299 tokens after the first) / 3.5 s streaming
    expect(rag.speed.output_tokens_per_s.p50).toBeCloseTo(299 / 3.5, 1);
    expect(byName(doc, 'rag-api-gpt-4o-mini-direct')).toMatchObject({ requests: 1, input_tokens_mean: 120, output_tokens_mean: 40, observed: { service_tier: 'standard' } });
  });

  it('groups by any span attribute', async () => {
    const doc = await importJson(`${FIX}/otlp-openinference.json`, '--group-by', 'llm.provider');
    expect(doc.workloads.map((w: { name: string }) => w.name).sort()).toEqual(['gpt-4o-mini-direct', 'openai-gpt-4o-streaming']);
  });
});

describe('aip bench logs', () => {
  it('reads the JSONL request log and keeps failures and batch summaries apart', async () => {
    const doc = await importJson(`${FIX}/aip-bench-log.jsonl`);
    expect(doc.skipped).toEqual({ 'batch-summary': 1 });
    expect(byName(doc, 'gpt-4o-mini-streaming')).toMatchObject({ requests: 2, streaming: true, failures: { failed: 1, by_class: { rate_limit: 1 } } });
    expect(byName(doc, 'gpt-4o-mini-direct')).toMatchObject({ requests: 2, streaming: false, input_tokens_mean: 400 });
  });

  it('writes a calibration overlay from measured first-chunk times', async () => {
    const cal = join(dir, 'cal.yaml');
    const r = await runAip(['import', `${FIX}/aip-bench-log.jsonl`, '--calibration', cal]);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(cal, 'utf8');
    expect(text).toMatch(/- id: gpt-4o-mini\n {4}speed:\n {6}ttft_s: 0\.32\n/);
    expect(text).toMatch(/source: "measured: 4 requests, 2026-11-04"/);
    expect(text).toMatch(/failure_rate: 0\.2/);
  });
});

describe('bad input', () => {
  it('an unknown format: exit 2, the formats listed and what the file looked like', async () => {
    const f = join(dir, 'other.json');
    await writeFile(f, '{"hello": "world", "items": [1, 2]}\n');
    const r = await runAip(['import', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other\.json: cannot tell what this file is: it looks like JSON lines with the keys "hello", "items"/);
    expect(r.stderr).toMatch(/expected: one of: openai-usage .*otlp .*litellm .*langfuse .*aip-log/);
    expect(r.stderr).toMatch(/--from FORMAT/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a truncated JSON line: file:line, nothing written', async () => {
    const lines = (await readFile(`${FIX}/aip-bench-log.jsonl`, 'utf8')).split('\n');
    const f = join(dir, 'cut.jsonl');
    await writeFile(f, `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 80)}`);
    const out = join(dir, 'cut.yaml');
    const r = await runAip(['import', f, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cut\.jsonl:4: this line ends in the middle of a JSON value/);
    expect(r.stderr).toMatch(/truncated/);
    expect(existsSync(out)).toBe(false);
  });

  it('a truncated JSON document: the line where it stops', async () => {
    const text = await readFile(`${FIX}/otlp-openinference.json`, 'utf8');
    const f = join(dir, 'cut.json');
    await writeFile(f, text.slice(0, Math.floor(text.length / 2)));
    const r = await runAip(['import', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cut\.json:\d+: the JSON document ends before it is complete/);
  });

  it('spans without token counts only: reported, not imported as zero-token traffic', async () => {
    const f = join(dir, 'notokens.jsonl');
    const span = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'chat', startTimeUnixNano: '1793000000000000000', endTimeUnixNano: '1793000001000000000', attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }, { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } }], status: {} };
    await writeFile(f, `${JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'x' }, spans: [span, span] }] }] })}\n`);
    const r = await runAip(['import', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/found no model calls with token counts \(skipped: 2 without token counts/);
  });

  it('a model the catalog does not know: kept, marked, priced null with the reason', async () => {
    const f = join(dir, 'unknown-model.json');
    const page = JSON.parse(await readFile(`${FIX}/openai-usage-completions.json`, 'utf8'));
    page.data[0].results[0].model = 'ft:gpt-9-turbo:acme';
    await writeFile(f, JSON.stringify(page));
    const doc = await importJson(f, '--latency', '3s');
    const w = doc.workloads.find((x: { model: string }) => x.model === 'ft:gpt-9-turbo:acme');
    expect(w).toMatchObject({ model_known: false, observed: { cost_usd_per_month: null, cost_note: '"ft:gpt-9-turbo:acme" is not in the catalog' } });
    const yaml = (await runAip(['import', f, '--latency', '3s'])).stdout;
    expect(yaml).toMatch(/written commented out: aip's catalog does not know "ft:gpt-9-turbo:acme"/);
    const out = join(dir, 'unknown.yaml');
    await runAip(['import', f, '--latency', '3s', '-o', out]);
    expect((await runAip(['recommend', out])).code).toBe(0);
  });

  it('files whose periods do not overlap: stated, gaps not counted', async () => {
    const doc = await importJson(`${FIX}/openai-usage-completions.json`, `${FIX}/aip-bench-log.jsonl`);
    expect(doc.period.disjoint).toBe(true);
    expect(doc.warnings.join('\n')).toMatch(/periods that do not overlap/);
    expect(doc.period.covered_s).toBe(172800 + 5);
  });

  it('mixed currencies in reported spend: stated, not compared', async () => {
    const rows = JSON.parse(await readFile(`${FIX}/litellm-spend-logs.json`, 'utf8'));
    rows[0].spend_currency = 'EUR';
    const f = join(dir, 'eur.json');
    await writeFile(f, JSON.stringify(rows));
    const doc = await importJson(f);
    expect(doc.warnings.join('\n')).toMatch(/several currencies \(eur, usd\)/);
    expect(byName(doc, 'support-gpt-4o-mini-streaming').observed.reported.usd_per_month).toBeNull();
  });

  it('a bad --latency names the option', async () => {
    const r = await runAip(['import', `${FIX}/aip-bench-log.jsonl`, '--latency', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--latency: "soon": not a latency tolerance/);
  });
});
