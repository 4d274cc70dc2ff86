// The wizard's question flow driven by scripted answers (no terminal): every situation, its defaults,
// validation as typed, prompt files, several workloads, and the file it leads to loaded by the real loader.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import { makeWizardEnv, workloadFileText } from '../../src/wizard/env.js';
import { schemaRefFor } from '../../src/io/paths.js';
import { freeName, runWizard } from '../../src/wizard/flow.js';
import { situations, type SituationId } from '../../src/wizard/situations.js';
import { renderPreview } from '../../src/wizard/preview.js';
import { buildRecommendation } from '../../src/core/recommend/build.js';
import { palette } from '../../src/render/kit/color.js';
import { scriptedAsk, type Script } from '../helpers/scripted-ask.js';

let catalog: Catalog;
let cwd: string;

beforeAll(async () => {
  catalog = await loadCatalog();
  cwd = mkdtempSync(join(tmpdir(), 'aip-wizard-'));
  mkdirSync(join(cwd, 'prompts'));
  // 9 words of plain English; o200k_base gives one token per word and one for the full stop.
  writeFileSync(join(cwd, 'prompts', 'system.md'), 'You are a helpful support agent for our shop.');
  writeFileSync(join(cwd, 'existing.yaml'), 'keep me\n');
});

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const opts = () => ({ catalog, cwd, writtenOn: '2026-11-25' });
const recommendOptions = { now: new Date('2026-11-25T12:00:00Z'), version: '0.0.0-test' };
const env = () => makeWizardEnv({ ...opts(), preview: (f) => renderPreview(f, catalog, recommendOptions, palette(false)) });

/** The recommendation `aip recommend` makes for the file the wizard writes. */
async function recommendationFor(doc: Parameters<typeof workloadFileText>[0]) {
  const file = await loadDocumentFile(doc);
  return buildRecommendation([file], catalog, recommendOptions).workloads;
}

async function converse(script: Script, outputPath = 'aip.yaml') {
  const ask = scriptedAsk(script);
  const result = await runWizard(ask, env(), { outputPath });
  return { ask, result };
}

describe('each situation with the defaults it offers', () => {
  // What pressing Enter after choosing the situation gives; the sizes are the seed matrix's typical ones.
  const expected: Record<SituationId, { user_facing: boolean; latency: string; output: number; model: string }> = {
    chat: { user_facing: true, latency: 'interactive', output: 500, model: 'gpt-4o-mini' },
    classification: { user_facing: false, latency: 'interactive', output: 10, model: 'gpt-4o-mini' },
    embedding: { user_facing: false, latency: 'seconds', output: 0, model: 'text-embedding-3-small' },
    generation: { user_facing: false, latency: 'hours', output: 1500, model: 'gpt-4o-mini' },
    summarization: { user_facing: false, latency: 'minutes', output: 300, model: 'gpt-4o-mini' },
    extraction: { user_facing: false, latency: 'seconds', output: 200, model: 'gpt-4o-mini' },
    moderation: { user_facing: false, latency: 'interactive', output: 20, model: 'gpt-4o-mini' },
    evaluation: { user_facing: false, latency: 'overnight', output: 300, model: 'gpt-4o-mini' },
    labeling: { user_facing: false, latency: 'overnight', output: 50, model: 'gpt-4o-mini' },
    chain: { user_facing: false, latency: 'seconds', output: 300, model: 'gpt-4o-mini' },
    other: { user_facing: false, latency: 'seconds', output: 500, model: 'gpt-4o-mini' },
  };

  it('covers every situation the wizard offers', () => {
    expect(situations.map((s) => s.id).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [id, want] of Object.entries(expected) as Array<[SituationId, (typeof expected)[SituationId]]>) {
    it(`${id}: defaults, and the file loads with the real loader`, async () => {
      const { ask, result } = await converse({ situation: id });
      const w = result.document.workloads[0]!;
      expect(w).toMatchObject({ task: id, user_facing: want.user_facing, latency: want.latency, model: want.model, output: { tokens: want.output } });
      // Embedding models have no output to ask about.
      expect(ask.ids().includes('output')).toBe(id !== 'embedding');
      const loaded = await loadDocumentFile(result.document);
      expect(loaded.workloads[0]).toMatchObject({ name: w.name, task: id, userFacing: want.user_facing, latencyText: want.latency });
      expect(loaded.workloads[0]!.model.id).toBe(want.model);
    });
  }
});

async function loadDocumentFile(doc: Parameters<typeof workloadFileText>[0], outputPath = 'aip.yaml') {
  const text = workloadFileText(doc, outputPath, opts());
  const path = join(cwd, `loaded-${Math.abs(hash(text))}.yaml`);
  writeFileSync(path, text);
  return loadWorkloadFile(path, { catalog, cwd });
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

describe('a typical chat feature', () => {
  it('asks the questions in order and only those that apply', async () => {
    const { ask } = await converse({ situation: 'chat', volume: '300k' });
    expect(ask.ids()).toEqual(['situation', 'name', 'user_facing', 'latency', 'volume', 'model', 'input', 'output', 'cached', 'tier', 'next']);
  });

  it('writes what was typed: 300k requests a month → 300,000 in the loaded file', async () => {
    const { result, ask } = await converse({ situation: 'chat', name: 'support-chat', volume: '300k', input: '1200', output: '450', cached: '0.6', tier: '4' });
    expect(result.document).toEqual({
      tiers: { openai: 4 },
      workloads: [{ name: 'support-chat', task: 'chat', model: 'gpt-4o-mini', volume: '300k', latency: 'interactive', user_facing: true, input: { tokens: 1200, cached: 0.6 }, output: { tokens: 450 } }],
    });
    expect(ask.notes).toContain('  = 300,000 requests a month (10,000 a day)');
    const loaded = await loadDocumentFile(result.document);
    expect(loaded.tiers).toEqual({ openai: '4' });
    expect(loaded.workloads[0]).toMatchObject({ requestsPerMonth: 300_000, input: { tokens: 1200, cachedFraction: 0.6 }, output: { tokens: 450 } });
  });

  it('shows the recommendation and monthly cost before asking what next; the file is chosen last', async () => {
    const { ask, result } = await converse({ situation: 'chat', volume: '300k', input: '2000', output: '450', cached: '0.6' });
    // The cached prefix is 2000×0.6 = 1,200 tokens, over gpt-4o-mini's 1,024 minimum: the discount applies.
    // direct: 300,000 × (2000×0.4×$0.15 + 2000×0.6×$0.075 + 450×$0.60) / 1e6 = 300,000 × 480 / 1e6 = $144.00.
    // batch: gpt-4o-mini's cache discount does not stack with batch, so all 2000 input tokens at $0.075:
    // 300,000 × (2000×$0.075 + 450×$0.30) / 1e6 = 300,000 × 285 / 1e6 = $85.50.
    const preview = ask.notes.find((n) => n.includes('support-chat →'))!;
    expect(preview).toContain('support-chat → streaming  $144.00/month');
    expect(preview).toContain('direct $144.00 · streaming $144.00 · batch $85.50 per month');
    expect(ask.ids().indexOf('next')).toBeGreaterThan(ask.ids().indexOf('tier'));
    expect(result.outputPath).toBe('aip.yaml');
  });
});

describe('reasoning models (issue 13)', () => {
  it('asks how much a reasoning model reasons and writes the effort or the count', async () => {
    const effort = await converse({ situation: 'extraction', model: 'gpt-5-mini', output: '200', reasoning: 'medium' });
    expect(effort.ask.ids()).toContain('reasoning');
    expect(effort.result.document.workloads[0]!.output).toEqual({ tokens: 200, reasoning: 'medium' });
    // medium: 3 × 200 = 600 hidden tokens, billed as output
    expect((await loadDocumentFile(effort.result.document)).workloads[0]!.output).toMatchObject({ tokens: 200, reasoningTokens: 600, reasoningFrom: 'medium' });
    const counted = await converse({ situation: 'extraction', model: 'gpt-5-mini', output: '200', reasoning: 'count', reasoning_tokens: '1500' });
    expect(counted.result.document.workloads[0]!.output).toEqual({ tokens: 200, reasoning_tokens: 1500 });
    // not sure: nothing written (recommend warns); a model that does not reason is not asked
    const unsure = await converse({ situation: 'extraction', model: 'gpt-5-mini', output: '200' });
    expect(unsure.result.document.workloads[0]!.output).toEqual({ tokens: 200 });
    expect((await converse({ situation: 'extraction' })).ask.ids()).not.toContain('reasoning');
  });
});

describe('answers are checked as typed, with the workload schema\'s rules', () => {
  it('a volume of "lots" is refused with the schema\'s message; "2k/day" is 60,000 a month', async () => {
    const { ask, result } = await converse({ situation: 'labeling', volume: ['lots', '2k/week', '2k/day'] });
    expect(ask.rejected.map((r) => r.text)).toEqual(['lots', '2k/week']);
    expect(ask.rejected[0]!.message).toMatch(/not a volume/);
    // The schema's own hint: a week is 7 days.
    expect(ask.rejected[1]!.message).toMatch(/285\.7\/day/);
    const loaded = await loadDocumentFile(result.document);
    expect(loaded.workloads[0]!.requestsPerMonth).toBe(60_000); // 2,000 × 30 days
  });

  it('token counts must be whole numbers ≥ 0; "1,500" is 1500', async () => {
    const { ask, result } = await converse({ situation: 'classification', output: ['-5', '2.5', 'ten', '1,500'] });
    expect(ask.rejected.map((r) => r.message)).toEqual(['-5 is below the minimum 0; expected a whole number of tokens, e.g. 1200, "15k" or "1.5M"', '2.5 is not a whole number; expected a whole number of tokens, e.g. 1200, "15k" or "1.5M"; did you mean 3?', '"ten" is not a number; expected a whole number of tokens, e.g. 500']);
    expect(result.document.workloads[0]!.output.tokens).toBe(1500);
  });

  it('a cached share must be a fraction from 0 to 1', async () => {
    const { ask, result } = await converse({ situation: 'chat', input: '3000', cached: ['60', '0.6'] });
    expect(ask.rejected.map((r) => r.message)).toEqual(['60 is above 1; expected a fraction from 0 to 1, e.g. 0.65 or "65%"; did you mean 0.6 (or "60%")?']);
    expect(result.document.workloads[0]!.input).toEqual({ tokens: 3000, cached: 0.6 });
  });

  it('takes counts and shares as the file does: "3k" input tokens, "1.5k" output, "60%" cached', async () => {
    const { ask, result } = await converse({ situation: 'chat', input: '3k', output: '1.5k', cached: '60%' });
    expect(ask.rejected).toEqual([]);
    expect(result.document.workloads[0]!.input).toEqual({ tokens: 3000, cached: 0.6 });
    expect(result.document.workloads[0]!.output.tokens).toBe(1500);
  });

  it('a custom tolerance takes a duration such as 90s and refuses "soon"', async () => {
    const { ask, result } = await converse({ situation: 'extraction', latency: 'custom', latency_custom: ['soon', '15', '90s'] });
    expect(ask.rejected.map((r) => r.text)).toEqual(['soon', '15']);
    expect(ask.rejected[1]!.message).toMatch(/without a unit/);
    const loaded = await loadDocumentFile(result.document);
    expect(loaded.workloads[0]!.toleranceSeconds).toBe(90);
  });

  it('skips the caching question below the model\'s cacheable prompt size', async () => {
    // gpt-4o-mini caches prompts of 1,024 tokens or more (catalog cache_min_tokens).
    const { ask } = await converse({ situation: 'classification', input: '400' });
    expect(ask.ids()).not.toContain('cached');
    expect(ask.notes.some((n) => /caches prompts of 1,024 tokens or more/.test(n))).toBe(true);
  });
});

describe('input size from a sample prompt file', () => {
  it('counts the file on the spot, shows the count, and the file refers to it relative to itself', async () => {
    const { ask, result } = await converse({ situation: 'chat', input: ['prompts/missing.md', 'prompts/system.md'], extra_tokens: '150' }, 'out/aip.yaml');
    expect(ask.rejected[0]!.message).toMatch(/matches no file/);
    // "You are a helpful support agent for our shop." → 10 tokens in o200k_base (9 words + the full stop).
    expect(ask.notes).toContain('  prompts/system.md: 10 tokens with tiktoken:o200k_base');
    expect(result.document.workloads[0]!.input).toEqual({ prompt: 'prompts/system.md', extra_tokens: 150 });
    const text = workloadFileText(result.document, 'out/aip.yaml', opts());
    expect(text).toMatch(/prompt: \.\.\/prompts\/system\.md/);
    // The comment states what aip plans for: latency_interactive_s in data/thresholds.yaml is 3 s.
    expect(text).toMatch(/latency: interactive +# latency tolerance: a person is waiting; aip plans for 3 s/);
    mkdirSync(join(cwd, 'out'), { recursive: true });
    writeFileSync(join(cwd, 'out', 'aip.yaml'), text);
    const loaded = await loadWorkloadFile('out/aip.yaml', { catalog, cwd });
    expect(loaded.workloads[0]!.input.tokens).toBe(10 + 150);
  });
});

describe('several workloads in one run', () => {
  it('adds a second workload, asks each provider\'s tier once, and keeps names unique', async () => {
    const { ask, result } = await converse({
      situation: ['chat', 'chat', 'labeling'],
      next: ['add', 'add', 'write'],
      name: ['support-chat', 'support-chat', 'support-chat-2', 'nightly-labels'],
      model: ['gpt-4o-mini', { type: 'haiku-4-5' }, 'gpt-4o-mini'],
      tier: ['3', 'build'],
    });
    expect(ask.rejected.map((r) => r.message)).toEqual(['"support-chat" is already a workload in this file; names are unique']);
    expect(result.document.workloads.map((w) => [w.name, w.model])).toEqual([
      ['support-chat', 'gpt-4o-mini'],
      ['support-chat-2', 'claude-haiku-4-5'],
      ['nightly-labels', 'gpt-4o-mini'],
    ]);
    expect(result.document.tiers).toEqual({ openai: 3, anthropic: 'build' });
    expect(ask.ids().filter((id) => id === 'tier')).toHaveLength(2);
    const loaded = await loadDocumentFile(result.document);
    expect(loaded.workloads.map((w) => w.name)).toEqual(['support-chat', 'support-chat-2', 'nightly-labels']);
    expect(loaded.tiers).toEqual({ openai: '3', anthropic: 'build' });
  });

  it('"change" asks the workload again with the previous answers as defaults', async () => {
    const { ask, result } = await converse({ situation: 'chat', next: ['change', 'write'], volume: ['50k'], output: ['800'] });
    expect(result.document.workloads).toHaveLength(1);
    const volumes = ask.asked.filter((a) => a.id === 'volume');
    expect(volumes.map((a) => [a.default, a.answer])).toEqual([['100k', '50k'], ['50k', '50k']]);
    expect(result.document.workloads[0]!.output.tokens).toBe(800);
  });

  it('a workload changed to another provider leaves no tier behind for the first', async () => {
    const { result } = await converse({ situation: 'chat', next: ['change', 'write'], model: ['gpt-4o-mini', { type: 'haiku-4-5' }], tier: ['2', 'scale'] });
    expect(result.document.workloads[0]!.model).toBe('claude-haiku-4-5');
    expect(result.document.tiers).toEqual({ anthropic: 'scale' });
  });
});

describe('the output file', () => {
  it('an existing file is not replaced unless the user says so; a free name is offered', async () => {
    const { ask, result } = await converse({ situation: 'chat' }, 'existing.yaml');
    expect(ask.asked.find((a) => a.id === 'overwrite')).toMatchObject({ default: false, answer: false });
    expect(ask.asked.find((a) => a.id === 'output_path')!.default).toBe('existing-2.yaml');
    expect(result).toMatchObject({ outputPath: 'existing-2.yaml', replace: false });
  });

  it('refuses a directory as the file to write instead', async () => {
    const { ask, result } = await converse({ situation: 'chat', output_path: ['prompts', 'new.yaml'] }, 'existing.yaml');
    expect(ask.rejected.map((r) => r.message)).toEqual(['prompts is a directory; expected a file name, e.g. prompts/aip.yaml']);
    expect(result).toMatchObject({ outputPath: 'new.yaml', replace: false });
  });

  it('replaces it when the user agrees', async () => {
    const { result } = await converse({ situation: 'chat', overwrite: true }, 'existing.yaml');
    expect(result).toMatchObject({ outputPath: 'existing.yaml', replace: true });
  });

  it('freeName skips names already taken', () => {
    const taken = new Set(['aip.yaml', 'aip-2.yaml']);
    expect(freeName('aip.yaml', (p) => taken.has(p))).toBe('aip-3.yaml');
    expect(freeName('dir.v1/workloads', () => false)).toBe('dir.v1/workloads-2');
  });
});

describe('the written file', () => {
  it('quotes what YAML would misread, so names come back exactly as typed', async () => {
    const name = 'chat: "v2" #1';
    const { result } = await converse({ situation: 'chat', name });
    const loaded = await loadDocumentFile(result.document);
    expect(loaded.workloads[0]!.name).toBe(name);
  });

  it('opens with the schema line and says what each value means', async () => {
    const { result } = await converse({ situation: 'chat', volume: '2k/day', tier: '2' });
    const text = workloadFileText(result.document, 'aip.yaml', opts());
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.?\/)\S+\/workload\.schema\.json$/);
    expect(text).toMatch(/volume: 2k\/day +# 60,000 requests a month \(30 days\)/);
    expect(text).toMatch(/model: gpt-4o-mini +# GPT-4o mini: \$0\.15 in, \$0\.60 out per 1M tokens/);
    expect(text).toMatch(/tiers: +# your account's rate-limit tier per provider/);
  });

  it('points the schema line at the shipped schema, always relative to the file (it is committed and cloned elsewhere)', () => {
    expect(schemaRefFor('/home/me/app', 'config/aip.yaml', '/home/me/app/node_modules/aip')).toBe('../node_modules/aip/schema/workload.schema.json');
    // aip run from elsewhere (npx, a global install): where "npm i -D aip" puts the schema in the project.
    expect(schemaRefFor('/home/me/app', 'aip.yaml', '/usr/lib/node_modules/aip')).toBe('./node_modules/aip/schema/workload.schema.json');
    expect(schemaRefFor('/home/me/app', 'ops/llm/aip.yaml', '/usr/lib/node_modules/aip')).toBe('../../node_modules/aip/schema/workload.schema.json');
  });
});

describe('the file recommends what the decision matrix says', () => {
  // With each situation's defaults (gpt-4o-mini, the typical sizes and volumes): the pattern and the rule.
  const expected: Record<SituationId, [pattern: string, rule: string]> = {
    chat: ['streaming', 'watched-stream'],
    classification: ['direct', 'realtime-direct'],
    embedding: ['direct', 'realtime-direct'],
    // Not watched, hours allowed, but 10k × 2,500 tokens saves only $5.25/month in batch (< $50 threshold).
    generation: ['direct', 'batch-saving-too-small'],
    summarization: ['direct', 'queue-direct'],
    extraction: ['direct', 'realtime-direct'],
    moderation: ['direct', 'realtime-direct'],
    evaluation: ['direct', 'batch-saving-too-small'],
    labeling: ['direct', 'batch-saving-too-small'],
    chain: ['direct', 'chain-direct'],
    other: ['direct', 'realtime-direct'],
  };
  for (const [id, [pattern, rule]] of Object.entries(expected)) {
    it(`${id} → ${pattern} (${rule})`, async () => {
      const { result } = await converse({ situation: id });
      const [r] = await recommendationFor(result.document);
      expect([r!.decision.pattern, r!.decision.rule]).toEqual([pattern, rule]);
    });
  }

  it('labeling 2M items a month overnight: batch saves half, but not at the default tier, whose batch queue overflows', async () => {
    const { result } = await converse({ situation: 'labeling', volume: '2M' });
    const [r] = await recommendationFor(result.document);
    // direct: 2,000,000 × (600×$0.15 + 50×$0.60) / 1e6 = 2,000,000 × 120 / 1e6 = $240; batch half: $120.
    expect(r!.cost.monthly.direct).toBeCloseTo(240, 6);
    expect(r!.cost.monthly.batch).toBeCloseTo(120, 6);
    expect(r!.decision.rule).toBe('batch');
    // OpenAI tier 1 (the default) queues 2M input tokens of batches; a 12-hour window enqueues 33,333 × 600 = 20M:
    // the backlog grows all month and almost no request is answered overnight, so the options choose direct.
    expect(r!.decision.pattern).toBe('direct');
    expect(r!.decision.reasons.join('\n')).toMatch(/batch at the standard tier loses: .*wait in the batch queue/);
  });
});
