// The LiteLLM import mapping on the shipped reference file: what maps, the prices, what is kept, what cannot
// be mapped and why (the command that writes the overlay: test/command/catalog-import-litellm.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { importLitellm } from '../../src/core/catalog/litellm.js';
import { findJsonSyntaxError } from '../../src/core/parse/json-position.js';

// The reference copy of LiteLLM's map (see test/fixtures/README.md), inside the repo so a fresh clone can test.
const FILE = join(import.meta.dirname, '..', 'fixtures', 'litellm_model_prices.json');
const litellm = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
const catalog = await loadCatalog({ fresh: true });
// The file's own date (its upstream commit), not the day of the import.
const AS_OF = '2026-07-24';

type Entry = { id: string; prices: Record<string, unknown>; source: string; as_of: string; [k: string]: unknown };
const byId = (models: Array<Record<string, unknown>>, id: string) => models.find((m) => m.id === id) as Entry | undefined;

describe('importLitellm (pure mapping) on the shipped LiteLLM file', () => {
  const result = importLitellm(litellm, catalog, { providers: [], all: false, asOf: AS_OF });

  it('refreshes every catalog model of the three providers LiteLLM has, and lists those it lacks', () => {
    const three = catalog.models.filter((m) => ['openai', 'anthropic', 'google'].includes(m.provider)).map((m) => m.id);
    const lacking = result.unmapped.filter((u) => /no entry in this LiteLLM file/.test(u.reason)).map((u) => u.key);
    expect([...result.mapped.map((m) => m.id), ...lacking].sort()).toEqual([...three].sort());
    // LiteLLM dropped Haiku 3.5 on 2026-03-11 and has nothing newer than its 2026-07-24 copy (Opus 5.5, GPT-6).
    expect(lacking).toEqual(expect.arrayContaining(['claude-3-5-haiku', 'claude-opus-5-5', 'gpt-6-sol']));
  });

  it('matches Gemini Developer API keys (gemini/…) and dated Claude ids to catalog ids', () => {
    expect(result.mapped).toContainEqual({ key: 'gemini/gemini-2.5-flash', id: 'gemini-2.5-flash', new: false });
    expect(result.mapped.find((m) => m.id === 'claude-opus-4')?.key).toMatch(/^claude-(opus-4|4-opus)-20250514$/);
    // The undated key wins over its dated twin when LiteLLM has both.
    expect(result.mapped.find((m) => m.id === 'claude-haiku-4-5')?.key).toBe('claude-haiku-4-5');
  });

  it('converts per-token prices to per-1M: gpt-4o-mini, claude-haiku-4-5, gemini-2.5-flash', () => {
    // 1.5e-07 $/token × 1e6 = $0.15 per 1M, and so on.
    expect(byId(result.models, 'gpt-4o-mini')!.prices).toEqual({ input: 0.15, output: 0.6, cached_input: 0.075, batch_input: 0.075, batch_output: 0.3, batch_derived: false, batch_cached_input: null });
    expect(byId(result.models, 'claude-haiku-4-5')!.prices).toMatchObject({ input: 1, output: 5, cached_input: 0.1, cache_write: 1.25, batch_cached_input: 0.05 });
    expect(byId(result.models, 'gemini-2.5-flash')!.prices).toMatchObject({ input: 0.3, output: 2.5, cached_input: 0.03, batch_cached_input: 0.03 });
  });

  it('keeps batch prices LiteLLM lacks (gpt-5) from the catalog and says so, with OpenAI\'s GPT-5 stacking rule', () => {
    expect(byId(result.models, 'gpt-5')!.prices).not.toHaveProperty('batch_input');
    expect(result.kept).toContainEqual({ id: 'gpt-5', fields: ['batch prices'], reason: expect.stringMatching(/has no such field/) });
    expect(byId(result.models, 'gpt-5')!.source).toMatch(/batch prices kept from aip's catalog/);
    expect(byId(result.models, 'gpt-5')!.prices.batch_cached_input).toBe(0.0625);
  });

  it('stamps every entry with the LiteLLM source and the file\'s own date, not today', () => {
    for (const m of result.models as Entry[]) {
      expect(m.source).toMatch(/^LiteLLM model_prices_and_context_window\.json, key "/);
      expect(m.as_of).toBe(AS_OF);
    }
  });

  it('corrects LiteLLM\'s known data errors by the provider\'s rule and lists them (claude-3-haiku 1-hour write $6 → $0.50)', () => {
    expect(result.corrected).toContainEqual({ id: 'claude-3-haiku', key: 'claude-3-haiku-20240307', field: 'cache_write_1h', litellm: 6, used: 0.5, reason: expect.stringMatching(/2× input/) });
    expect(byId(result.models, 'claude-3-haiku')!.prices.cache_write_1h).toBe(0.5);
    // Haiku 3's own 5-minute write ($0.30, 1.2× input) is Anthropic's figure, not an error.
    expect(result.corrected.some((c) => c.id === 'claude-3-haiku' && c.field === 'cache_write')).toBe(false);
  });

  it('imports no priority prices (LiteLLM has a known-bad gpt-5-nano priority price)', () => {
    expect(JSON.stringify(result.models)).not.toMatch(/priority/);
    expect(byId(result.models, 'gpt-5-nano')!.prices.input).toBe(0.05);
  });

  it('lists the other models of the three providers as not in the catalog, and counts the other providers', () => {
    expect(result.unmapped).toContainEqual({ key: 'chatgpt-4o-latest', reason: 'not in the catalog (add it with --all)' });
    expect(result.otherProviders).toBeGreaterThan(2000);
  });

  it('with --all, adds chat and embedding models and says why it skips the rest', () => {
    const all = importLitellm(litellm, catalog, { providers: ['anthropic'], all: true, asOf: AS_OF });
    // Opus 4.6 is in the catalog now (from the base data): refreshed, with Anthropic's stacked batch cache price.
    expect(byId(all.models, 'claude-opus-4-6')!.prices).toMatchObject({ input: 5, output: 25, batch_cached_input: 0.25 });
    expect(all.mapped.every((m) => !m.id.startsWith('gpt-'))).toBe(true);
    const openai = importLitellm(litellm, catalog, { providers: ['openai'], all: true, asOf: AS_OF });
    expect(byId(openai.models, 'chatgpt-4o-latest')).toMatchObject({ provider: 'openai', kind: 'chat', as_of: AS_OF });
    const images = importLitellm(litellm, catalog, { providers: ['openai'], all: true, asOf: AS_OF });
    expect(images.unmapped).toContainEqual({ key: 'dall-e-3', reason: expect.stringMatching(/mode "image_generation"/) });
  });
});

describe('importLitellm: the defects of the first importer, on a small map', () => {
  const entry = (input: number, output: number, extra: Record<string, unknown> = {}) => ({ litellm_provider: 'openai', mode: 'chat', input_cost_per_token: input / 1e6, output_cost_per_token: output / 1e6, max_input_tokens: 128000, ...extra });
  const run = (json: Record<string, unknown>) => importLitellm(json, catalog, { providers: ['openai'], all: true, asOf: AS_OF });

  it('keeps one entry for duplicate ids and names the other with both prices (no silent last-wins)', () => {
    const r = run({ 'gpt-9-test': entry(1, 4), 'openai/gpt-9-test': entry(2, 8) });
    expect((r.models as Entry[]).filter((m) => m.id === 'gpt-9-test')).toHaveLength(1);
    expect(byId(r.models, 'gpt-9-test')!.prices).toMatchObject({ input: 1, output: 4 });
    expect(r.unmapped).toContainEqual({ key: 'openai/gpt-9-test', reason: expect.stringMatching(/duplicate of "gpt-9-test" with different prices \(\$2 \/ \$8 against \$1 \/ \$4 per 1M\)/) });
  });

  it('never imports a $0 entry as a free model', () => {
    const r = run({ 'gpt-9-free': entry(0, 0) });
    expect(byId(r.models, 'gpt-9-free')).toBeUndefined();
    expect(r.unmapped).toContainEqual({ key: 'gpt-9-free', reason: expect.stringMatching(/\$0.*not a free model/) });
  });

  it('imports "responses"-mode models (o3-pro, gpt-5-pro, gpt-5-codex) as chat models', () => {
    const r = run({ 'o9-pro': entry(15, 120, { mode: 'responses' }) });
    expect(byId(r.models, 'o9-pro')).toMatchObject({ kind: 'reasoning', prices: { input: 15, output: 120 } });
  });

  it('gives a new model without batch fields the provider\'s batch terms, not "no batch API"', () => {
    const r = run({ 'gpt-9-test': entry(1, 4, { cache_read_input_token_cost: 0.1e-6 }) });
    // OpenAI: batch 50% of list (derived), and the GPT-5-and-later stacking rule halves the cached price.
    expect(byId(r.models, 'gpt-9-test')).toMatchObject({ batch_api: true, prices: { batch_input: 0.5, batch_output: 2, batch_derived: true } });
    expect(byId(r.models, 'gpt-9-test')!.source).toMatch(/batch = 50% of standard/);
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": 1}', undefined],
    ['{"a": 1,}', { line: 1, col: 9, message: 'trailing comma before }' }],
    ['{\n"a" 1}', { line: 2, col: 5, message: `expected ':' after the property name, found "1"` }],
    ['{"a": [1, 2,]}', { line: 1, col: 13, message: 'trailing comma before ]' }],
    ['{"a": "x\ny"}', { line: 1, col: 9, message: 'control character (e.g. a raw line break) inside a string' }],
    ['{"a": tru}', { line: 1, col: 7, message: 'unexpected "t"' }],
    ['{} x', { line: 1, col: 4, message: 'unexpected "x" after the end of the JSON value' }],
  ])('%j', (text, expected) => {
    expect(findJsonSyntaxError(text)).toEqual(expected);
  });
});
