// The shipped catalog (data/) read fresh: valid, sourced, and consistent with the reference's rules.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { checkCatalogRules } from '../../src/core/catalog/rules.js';
import { findModel } from '../../src/core/catalog/models.js';
import type { Catalog, Model } from '../../src/core/catalog/schema.js';

const catalog: Catalog = await loadCatalog({ fresh: true });
const model = (id: string): Model => {
  const m = catalog.models.find((x) => x.id === id);
  if (!m) throw new Error(`${id} missing from the catalog`);
  return m;
};

const REQUIRED = [
  'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'o3', 'o4-mini',
  'text-embedding-3-small', 'text-embedding-3-large', 'claude-opus-4-5', 'claude-opus-4-1', 'claude-opus-4', 'claude-sonnet-4-5',
  'claude-sonnet-4', 'claude-haiku-4-5', 'claude-3-5-haiku', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite',
  'claude-opus-5', 'claude-sonnet-5',
];

describe('the shipped catalog', () => {
  it('loads from data/ and holds every cross-entry rule', () => {
    expect(checkCatalogRules(catalog)).toEqual([]);
    expect(catalog.models.length).toBeGreaterThanOrEqual(500);
  });

  it.each(REQUIRED)('has %s', (id) => {
    expect(model(id).id).toBe(id);
  });

  it('gives every model, limit class and provider a source and an as_of date', () => {
    for (const m of catalog.models) {
      expect(m.source.length, m.id).toBeGreaterThan(10);
      expect(m.as_of, m.id).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(m.speed.source, m.id).toMatch(/estimate/);
    }
    for (const p of catalog.rateLimits) {
      expect(p.source.length).toBeGreaterThan(10);
      for (const c of p.classes) expect(c.source.length, `${p.provider}/${c.class}`).toBeGreaterThan(10);
    }
  });

  it('derives batch prices as exactly the provider\'s stated discount of list where it says batch_derived', () => {
    const derived = catalog.models.filter((m) => m.prices.batch_derived);
    expect(derived.map((m) => m.id)).toEqual(expect.arrayContaining(['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'o3', 'o4-mini']));
    for (const m of derived) {
      const discount = catalog.providers.find((p) => p.id === m.provider)!.batch.discount!;
      expect(m.prices.batch_input, m.id).toBeCloseTo(Number((m.prices.input * discount).toPrecision(6)), 10);
      expect(m.prices.batch_output, m.id).toBeCloseTo(Number((m.prices.output * discount).toPrecision(6)), 10);
    }
  });

  it('stacks the cache with batch as each provider says: Anthropic and OpenAI\'s GPT-5 family halve it, Gemini keeps it, older OpenAI models do not stack', () => {
    for (const m of catalog.models.filter((x) => x.caching && x.batch_api)) {
      const { cached_input, batch_cached_input } = m.prices;
      if (m.provider === 'anthropic') expect(batch_cached_input, m.id).toBeCloseTo(cached_input! / 2, 10);
      if (m.provider === 'google') expect(batch_cached_input, m.id).toBe(cached_input);
      if (m.provider === 'openai' && /^(gpt-5|gpt-6)/.test(m.id)) expect(batch_cached_input, m.id).toBeCloseTo(cached_input! / 2, 10);
      else if (m.provider === 'openai') expect(batch_cached_input, m.id).toBeNull();
    }
    // OpenAI's Batch column for gpt-5: $0.625 input, $0.0625 cached, $5.00 output.
    expect(model('gpt-5').prices).toMatchObject({ batch_input: 0.625, batch_cached_input: 0.0625, batch_output: 5 });
  });

  it('prices embeddings for input only and counts them with cl100k_base', () => {
    for (const id of ['text-embedding-3-small', 'text-embedding-3-large']) {
      expect(model(id).kind).toBe('embedding');
      expect(model(id).prices.output).toBe(0);
      expect(model(id).tokenizer.encoding).toBe('cl100k_base');
    }
  });

  it('flags Claude and Gemini counts as approximate with the likely error, and OpenAI as exact', () => {
    for (const m of catalog.models) {
      if (m.provider === 'openai' || /^(gpt-|o\d|text-embedding-|chatgpt-|codex-)/.test(m.id.split('/').pop()!.replace(/^((global|regional)\.)?openai\./, ''))) {
        expect(m.tokenizer.approximate, m.id).toBe(false);
        expect(m.tokenizer.factor, m.id).toBe(1);
      } else {
        expect(m.tokenizer.approximate, m.id).toBe(true);
        expect(m.tokenizer.error_note, m.id).toMatch(/%/);
      }
    }
    expect(model('claude-haiku-4-5').tokenizer).toMatchObject({ encoding: 'o200k_base', factor: 1.16 });
    expect(model('gemini-2.5-flash').tokenizer.error_note).toMatch(/4 characters/);
  });

  it('records the lifecycle as the world stands on 2026-12-01', () => {
    expect(model('claude-sonnet-4-5').lifecycle).toMatchObject({ status: 'retired', retires_on: '2026-11-30', successor: 'claude-sonnet-5-5' });
    expect(model('claude-sonnet-4').lifecycle).toMatchObject({ status: 'retired', retires_on: '2026-06-15', successor: 'claude-sonnet-5-5' });
    for (const id of ['claude-opus-5', 'claude-sonnet-5']) expect(model(id).lifecycle, id).toMatchObject({ status: 'legacy', successor: `${id}-5` });
    for (const id of ['claude-opus-4', 'claude-opus-4-1', 'claude-3-5-haiku']) expect(model(id).lifecycle.status, id).toBe('retired');
    for (const id of ['gpt-5', 'gpt-5-mini', 'o3']) expect(model(id).lifecycle).toMatchObject({ status: 'legacy', retires_on: '2026-12-11' });
    expect(model('gpt-5-nano').lifecycle.status).toBe('deprecated');
  });

  it('has the long-context tier of Gemini 2.5 Pro above 200k input tokens', () => {
    expect(model('gemini-2.5-pro').prices.long_context).toMatchObject({ above_input_tokens: 200000, input: 2.5, output: 15, batch_input: 1.25, batch_output: 7.5 });
  });

  it('caps GPT-5 input at 272k tokens of its 400k window', () => {
    expect(model('gpt-5')).toMatchObject({ context_window: 400000, max_input: 272000, max_output: 128000 });
  });

  it('leaves the limits of gpt-5 and o3 unset rather than inventing them', () => {
    expect(model('gpt-5').rate_limit_class).toBeNull();
    expect(model('o3').rate_limit_class).toBeNull();
  });

  it('has rate limits per provider and tier as the reference gives them', () => {
    const provider = (id: string) => catalog.rateLimits.find((p) => p.provider === id)!;
    const cls = (p: string, c: string) => provider(p).classes.find((x) => x.class === c)!;
    expect(cls('openai', 'gpt-4o').limits['5']).toMatchObject({ rpm: 10000, tpm: 30000000, batch_queue_tokens: 5000000000 });
    expect(cls('openai', 'gpt-4o-mini').limits['1']).toMatchObject({ rpm: 500, tpm: 200000, rpd: 10000 });
    expect(provider('openai').batch).toMatchObject({ max_requests: 50000, max_bytes: 200 * 1024 * 1024 });
    expect(provider('anthropic').batch).toMatchObject({ max_requests: 100000, max_bytes: 256 * 1024 * 1024 });
    expect(cls('anthropic', 'sonnet-4').limits.scale).toMatchObject({ rpm: 10000, itpm: 10000000, otpm: 2000000 });
    expect(cls('anthropic', 'sonnet-4').limits['4']).toMatchObject({ rpm: 4000, itpm: 2000000, otpm: 400000, batch_queue_requests: 500000 });
    for (const c of provider('anthropic').classes) expect(c.cache_reads_count, c.class).toBe(c.class === 'haiku-3-5');
    for (const c of provider('google').classes) expect(c.tpm_counts, c.class).toBe('input');
    expect(cls('google', 'gemini-2.5-flash').limits['1']).toMatchObject({ rpm: 1000, tpm: 1000000, batch_queue_tokens: 3000000 });
    // The seed's outdated 10,000 requests per Anthropic batch is called out where the figure lives.
    expect(provider('anthropic').batch.note).toMatch(/10,000.*outdated/);
  });

  it('has gpt-5.4-mini and nano at a 400k window with 272k max input', () => {
    for (const id of ['gpt-5.4-mini', 'gpt-5.4-nano']) expect(model(id), id).toMatchObject({ context_window: 400000, max_input: 272000 });
  });

  it('finds models by alias and by provider-prefixed name', () => {
    expect(findModel(catalog, 'claude-haiku-4-5-20251001')?.id).toBe('claude-haiku-4-5');
    expect(findModel(catalog, 'gemini/gemini-2.5-flash')?.id).toBe('gemini-2.5-flash');
    expect(findModel(catalog, 'openai/gpt-4o-mini')?.id).toBe('gpt-4o-mini');
  });
});
