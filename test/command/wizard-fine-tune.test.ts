// The wizard's optional fine-tuning step driven by scripted answers: peak factor, output p95, fallback and
// a pricing override, written to the file, loaded by the real loader and used by the recommendation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { buildRecommendation } from '../../src/core/recommend/build.js';
import { palette } from '../../src/render/kit/color.js';
import { makeWizardEnv, workloadFileText, type FileOptions } from '../../src/wizard/env.js';
import { defaultOutputP95, defaultPeakFactor, suggestedFallback } from '../../src/wizard/fine-tune.js';
import { runWizard, type WizardDocument } from '../../src/wizard/flow.js';
import { renderPreview } from '../../src/wizard/preview.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import { scriptedAsk, type Script } from '../helpers/scripted-ask.js';

let catalog: Catalog;
let cwd: string;

beforeAll(async () => {
  catalog = await loadCatalog();
  cwd = mkdtempSync(join(tmpdir(), 'aip-wizard-tune-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const opts = (): FileOptions => ({ catalog, cwd, writtenOn: '2026-11-25' });
const recommendOptions = { now: new Date('2026-11-25T12:00:00Z'), version: '0.0.0-test' };

async function converse(script: Script) {
  const ask = scriptedAsk(script);
  const env = makeWizardEnv({ ...opts(), preview: (f) => renderPreview(f, catalog, recommendOptions, palette(false)) });
  const result = await runWizard(ask, env, { outputPath: 'aip.yaml' });
  return { ask, result };
}

let written = 0;
/** The file the wizard writes, on disk, loaded as `aip recommend` loads it; and its recommendation. */
async function recommend(doc: WizardDocument) {
  const text = workloadFileText(doc, 'aip.yaml', opts());
  const path = join(cwd, `tuned-${written++}.yaml`);
  writeFileSync(path, text);
  const file = await loadWorkloadFile(path, { catalog, cwd });
  return { text, file, rec: buildRecommendation([file], catalog, recommendOptions).workloads[0]! };
}

// A chat feature at 300k requests a month, 1200 in / 450 out, no caching, openai tier 4.
const chat: Script = { situation: 'chat', volume: '300k', input: '1200', output: '450', cached: '0', tier: '4' };

describe('the default path', () => {
  it('asks no fine-tuning question and writes none of its keys', async () => {
    const { ask, result } = await converse(chat);
    expect(ask.ids()).not.toContain('peak_factor');
    const w = result.document.workloads[0]!;
    expect(w).not.toHaveProperty('peak_factor');
    expect(w).not.toHaveProperty('fallback');
    expect(w).not.toHaveProperty('pricing');
    expect(w.output).toEqual({ tokens: 450 });
    const { text } = await recommend(result.document);
    expect(text).not.toMatch(/p95|peak_factor|fallback|pricing/);
  });
});

describe('fine-tuning a chat feature, taking the defaults', () => {
  it('is offered after the preview, asks its questions once, then shows the preview again', async () => {
    const { ask } = await converse({ ...chat, next: ['tune', 'write'] });
    const ids = ask.ids();
    expect(ids.slice(ids.indexOf('next'))).toEqual(['next', 'peak_factor', 'output_p95', 'fallback', 'pricing_override', 'next']);
    const previews = ask.notes.filter((n) => n.includes('support-chat →'));
    expect(previews).toHaveLength(2);
    expect(previews[0]).not.toContain('timeout');
  });

  it('defaults: peak 3 for a watched feature, p95 3× the mean, another provider\'s model as fallback, list prices', async () => {
    const { ask, result } = await converse({ ...chat, next: ['tune', 'write'] });
    const w = result.document.workloads[0]!;
    const suggested = suggestedFallback(catalog, { ...w }, 1200)!;
    expect(suggested.provider).not.toBe('openai');
    expect(w).toMatchObject({ peak_factor: 3, fallback: suggested.id, output: { tokens: 450, p95: 1350 } });
    expect(w).not.toHaveProperty('pricing');
    expect(ask.asked.find((a) => a.id === 'pricing_override')!.answer).toBe(false);

    const { file, rec, text } = await recommend(result.document);
    expect(text).toMatch(/\n {6}p95: 1350 +# 95th percentile of output tokens/);
    expect(text).toMatch(/\n {4}peak_factor: 3 +# busiest rate/);
    expect(text).toContain(`    fallback: ${suggested.id}`);
    const loaded = file.workloads[0]!;
    expect(loaded).toMatchObject({ peakFactor: 3, output: { tokens: 450, p95: 1350 } });
    expect(loaded.fallback!.id).toBe(suggested.id);
    // The fallback is the plan's, not a suggestion.
    expect(rec.resilience.fallback).toMatchObject({ model: suggested.id, suggested: false });
    // peak RPM = 300,000 / 43,200 × 3 = 20.83…
    expect(rec.limits.peakRpm).toBeCloseTo((300_000 / 43_200) * 3, 6);
    // gpt-4o-mini: TTFT 0.45 s, 85 tok/s (catalog). p95 latency = 0.45 + 1350/85 = 16.33 s;
    // timeout = ceil(16.33 × safety factor 2) = 33 s (the assumed p95 of 2 × 450 would give ceil(22.08) = 23 s).
    expect(rec.latency.p95Given).toBe(true);
    expect(rec.latency.slowRequestS).toBeCloseTo(0.45 + 1350 / 85, 6);
    expect(rec.resilience.timeoutS).toBe(33);
  });

  it('the preview shows the peak, the p95 timeout and what the fallback would cost', async () => {
    const { ask, result } = await converse({ ...chat, next: ['tune', 'write'] });
    const fb = result.document.workloads[0]!.fallback!;
    const { rec } = await recommend({ ...result.document, workloads: [{ ...result.document.workloads[0]!, model: fb, pricing: undefined, fallback: undefined }] });
    const preview = ask.notes.filter((n) => n.includes('support-chat →'))[1]!;
    expect(preview).toContain('peak 3× average: 20.8 requests/min');
    expect(preview).toContain('timeout 33 s per request, from the p95 output of 1,350 tokens');
    // The fallback's monthly cost is the one `aip recommend` computes for a file that names it as the model.
    const moved = rec.cost.monthly.streaming!;
    expect(preview).toContain(`fallback ${fb}: $${moved.toFixed(2)}/month if all traffic moved to it`);
  });
});

describe('fine-tuning with typed answers', () => {
  it('a negotiated price is written (only the fields that differ) and used in the cost', async () => {
    const { result } = await converse({
      ...chat,
      next: ['tune', 'write'],
      peak_factor: '1.5',
      output_p95: '1200',
      fallback: { type: 'haiku-4-5' },
      pricing_override: true,
      price_input: '0.10',
      price_output: '0.40',
    });
    const w = result.document.workloads[0]!;
    expect(w).toMatchObject({ peak_factor: 1.5, fallback: 'claude-haiku-4-5', output: { p95: 1200 }, pricing: { input: 0.1, output: 0.4 } });
    expect(Object.keys(w.pricing!)).toEqual(['input', 'output']);
    const { rec, text } = await recommend(result.document);
    expect(text).toMatch(/\n {6}input: 0\.1 +# list price \$0\.15/);
    // direct = 300,000 × (1200 × $0.10 + 450 × $0.40) / 1e6 = 300,000 × 300 / 1e6 = $90.00 (list prices: $135.00).
    expect(rec.cost.monthly.direct).toBeCloseTo(90, 9);
    // batch is derived from the negotiated prices by OpenAI's 50% batch rule (not left at the catalog's):
    // 300,000 × (1200 × $0.05 + 450 × $0.20) / 1e6 = $45.00.
    expect(rec.cost.monthly.batch).toBeCloseTo(45, 9);
    expect(rec.resilience.fallback.model).toBe('claude-haiku-4-5');
    expect(rec.warnings.some((x) => x.includes('prices overridden in the file (input, output)') && x.includes('batch_input, batch_output derived'))).toBe(true);
  });

  it('answers are checked with the schema\'s rules as typed', async () => {
    const { ask, result } = await converse({ ...chat, next: ['tune', 'write'], peak_factor: ['0.5', 'lots', '2'], output_p95: ['300', 'none'], pricing_override: true, price_input: ['-1', '0.12'] });
    expect(ask.rejected.map((r) => [r.id, r.text])).toEqual([
      ['peak_factor', '0.5'],
      ['peak_factor', 'lots'],
      ['output_p95', '300'],
      ['price_input', '-1'],
    ]);
    expect(ask.rejected[0]!.message).toContain('below 1');
    expect(ask.rejected[2]!.message).toContain('below the mean (450)');
    const w = result.document.workloads[0]!;
    expect(w.peak_factor).toBe(2);
    expect(w.output).toEqual({ tokens: 450 });
    expect(w.pricing).toEqual({ input: 0.12 });
  });

  it('"none" as the fallback writes no fallback, and the next pass offers none first', async () => {
    const { ask, result } = await converse({ ...chat, next: ['tune', 'tune', 'write'], fallback: [{ type: 'none' }] });
    expect(result.document.workloads[0]).not.toHaveProperty('fallback');
    const asked = ask.asked.filter((a) => a.id === 'fallback');
    expect(asked.map((a) => a.default)).toEqual([suggestedFallback(catalog, result.document.workloads[0]!, 1200)!.id, '(none)']);
    expect(asked[1]!.answer).toBe('(none)');
  });

  it('an embedding workload has no output tail to ask about; its fallback is an embedding model', async () => {
    const { ask, result } = await converse({ situation: 'embedding', next: ['tune', 'write'] });
    expect(ask.ids()).not.toContain('output_p95');
    const w = result.document.workloads[0]!;
    expect(w.peak_factor).toBe(1);
    const fb = catalog.models.find((m) => m.id === w.fallback)!;
    expect(fb.kind).toBe('embedding');
    const { rec } = await recommend(result.document);
    expect(rec.resilience.fallback.model).toBe(fb.id);
  });
});

describe('"Change" keeps the fine-tuning answers', () => {
  it('as the file\'s values and as the defaults of the next fine-tuning pass', async () => {
    const { ask, result } = await converse({
      ...chat,
      next: ['tune', 'change', 'tune', 'write'],
      volume: ['300k', '50k'],
      peak_factor: ['5'],
      output_p95: ['2000'],
      fallback: [{ type: 'haiku-4-5' }],
      pricing_override: [true],
      price_input: ['0.10'],
    });
    const w = result.document.workloads[0]!;
    expect(w).toMatchObject({ volume: '50k', peak_factor: 5, fallback: 'claude-haiku-4-5', output: { tokens: 450, p95: 2000 }, pricing: { input: 0.1 } });
    const second = (id: string) => ask.asked.filter((a) => a.id === id)[1]!.default;
    expect(second('peak_factor')).toBe('5');
    expect(second('output_p95')).toBe('2000');
    expect(second('fallback')).toBe('claude-haiku-4-5');
    expect(second('pricing_override')).toBe(true);
    expect(second('price_input')).toBe('0.1');
    const { file } = await recommend(result.document);
    expect(file.workloads[0]).toMatchObject({ peakFactor: 5, requestsPerMonth: 50_000, pricing: { input: 0.1 } });
  });

  it('drops what no longer fits the changed answers: a p95 below the new mean, a price for another model', async () => {
    const { result } = await converse({ ...chat, next: ['tune', 'change', 'write'], output: ['450', '3000'], output_p95: ['900'], fallback: [{ type: 'haiku-4-5' }], model: ['gpt-4o-mini', 'gpt-4.1-mini'], pricing_override: [true], price_input: ['0.1'] });
    const w = result.document.workloads[0]!;
    expect(w.model).toBe('gpt-4.1-mini');
    expect(w.output).toEqual({ tokens: 3000 });
    expect(w).not.toHaveProperty('pricing');
    // What still fits is kept.
    expect(w).toMatchObject({ peak_factor: 3, fallback: 'claude-haiku-4-5' });
    const { file } = await recommend(result.document);
    expect(file.workloads[0]).toMatchObject({ pricing: undefined, output: { tokens: 3000, p95: undefined } });
  });
});

describe('defaults by situation', () => {
  it.each([
    [{ user_facing: true, latency: 'interactive' }, 3],
    [{ user_facing: false, latency: 'interactive' }, 3],
    [{ user_facing: false, latency: 'overnight' }, 1],
    [{ user_facing: false, latency: 'hours' }, 1],
  ])('peak factor for %o is %d', (w, want) => expect(defaultPeakFactor(w)).toBe(want));

  it.each([
    [500, 1500],
    [100, 300],
    [99, undefined],
    [10, undefined],
  ])('output p95 for a mean of %d is %s', (mean, want) => expect(defaultOutputP95(mean)).toBe(want));
});
