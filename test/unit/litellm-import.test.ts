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
const TODAY = '2026-11-25';

type Entry = { id: string; prices: Record<string, unknown>; source: string; as_of: string; [k: string]: unknown };
const byId = (models: Array<Record<string, unknown>>, id: string) => models.find((m) => m.id === id) as Entry | undefined;

describe('importLitellm (pure mapping) on the shipped LiteLLM file', () => {
  const result = importLitellm(litellm, catalog, { providers: [], all: false, today: TODAY });

  it('refreshes every catalog model LiteLLM has, and lists the one it lacks', () => {
    const inCatalog = catalog.models.map((m) => m.id).filter((id) => id !== 'claude-3-5-haiku');
    expect(result.mapped.map((m) => m.id).sort()).toEqual(inCatalog.sort());
    expect(result.unmapped).toContainEqual({ key: 'claude-3-5-haiku', reason: expect.stringMatching(/no entry in this LiteLLM file/) });
  });

  it('matches Gemini Developer API keys (gemini/…) and dated Claude ids to catalog ids', () => {
    expect(result.mapped).toContainEqual({ key: 'gemini/gemini-2.5-flash', id: 'gemini-2.5-flash', new: false });
    expect(result.mapped.find((m) => m.id === 'claude-opus-4')?.key).toBe('claude-opus-4-20250514');
    // The undated key wins over its dated twin when LiteLLM has both.
    expect(result.mapped.find((m) => m.id === 'claude-haiku-4-5')?.key).toBe('claude-haiku-4-5');
  });

  it('converts per-token prices to per-1M: gpt-4o-mini, claude-haiku-4-5, gemini-2.5-flash', () => {
    // 1.5e-07 $/token × 1e6 = $0.15 per 1M, and so on.
    expect(byId(result.models, 'gpt-4o-mini')!.prices).toEqual({ input: 0.15, output: 0.6, cached_input: 0.075, batch_input: 0.075, batch_output: 0.3, batch_derived: false, batch_cached_input: null });
    expect(byId(result.models, 'claude-haiku-4-5')!.prices).toMatchObject({ input: 1, output: 5, cached_input: 0.1, cache_write: 1.25, batch_cached_input: 0.05 });
    expect(byId(result.models, 'gemini-2.5-flash')!.prices).toMatchObject({ input: 0.3, output: 2.5, cached_input: 0.03, batch_cached_input: 0.03 });
  });

  it('keeps batch prices LiteLLM lacks (gpt-5) from the catalog and says so', () => {
    expect(byId(result.models, 'gpt-5')!.prices).not.toHaveProperty('batch_input');
    expect(result.kept).toContainEqual({ id: 'gpt-5', fields: ['batch prices'], reason: expect.stringMatching(/has no such field/) });
    expect(byId(result.models, 'gpt-5')!.source).toMatch(/batch prices kept from aip's catalog/);
  });

  it('stamps every entry with the LiteLLM source and today', () => {
    for (const m of result.models as Entry[]) {
      expect(m.source).toMatch(/^LiteLLM model_prices_and_context_window\.json, key "/);
      expect(m.as_of).toBe(TODAY);
    }
  });

  it('imports no priority prices (LiteLLM has a known-bad gpt-5-nano priority price)', () => {
    expect(JSON.stringify(result.models)).not.toMatch(/priority/);
    expect(byId(result.models, 'gpt-5-nano')!.prices.input).toBe(0.05);
  });

  it('lists the other models of the three providers as not in the catalog, and counts the other providers', () => {
    expect(result.unmapped).toContainEqual({ key: 'gpt-5.6', reason: 'not in the catalog (add it with --all)' });
    expect(result.otherProviders).toBeGreaterThan(2000);
  });

  it('with --all, adds chat and embedding models and says why it skips the rest', () => {
    const all = importLitellm(litellm, catalog, { providers: ['anthropic'], all: true, today: TODAY });
    const opus46 = byId(all.models, 'claude-opus-4-6')!;
    // Anthropic batch is 50% of list: $5 / $25 → $2.50 / $12.50, derived.
    expect(opus46.prices).toMatchObject({ input: 5, output: 25, batch_input: 2.5, batch_output: 12.5, batch_derived: true, batch_cached_input: 0.25 });
    expect(opus46.aliases).toContain('claude-opus-4-6-20260205');
    expect(all.mapped.every((m) => !m.id.startsWith('gpt-'))).toBe(true);
    const images = importLitellm(litellm, catalog, { providers: ['openai'], all: true, today: TODAY });
    expect(images.unmapped).toContainEqual({ key: 'dall-e-3', reason: expect.stringMatching(/mode "image_generation"/) });
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
