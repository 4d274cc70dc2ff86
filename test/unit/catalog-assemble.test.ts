// Assembling the catalog from a base snapshot and the curated layer (pure): what is kept, renamed, derived,
// dated and cleaned. A tiny base stands in for the real one.
import { describe, expect, it } from 'vitest';
import type { BaseSnapshot } from '../../src/core/catalog/base-data.js';
import { activePrices, matchNames, matchesPattern } from '../../src/core/catalog/match.js';
import { assembleModels, pricedAs } from '../../src/core/catalog/assemble.js';
import { ProviderTerms, type Model } from '../../src/core/catalog/schema.js';

const term = ProviderTerms.parse({
  id: 'acme',
  name: 'Acme',
  kind: 'first-party',
  bare_names: true,
  base: [{ provider: 'acme-base' }],
  batch: { available: true, discount: 0.5, cache_stacking: [{ models: '^new', rule: 'half' }, { rule: 'none' }], source: 'acme batch doc', as_of: '2026-12-01' },
  service_tiers: [{ tier: 'flex', models: '^new', at_batch_prices: true, source: 'acme flex doc', as_of: '2026-12-01' }],
  source: 'acme',
  as_of: '2026-12-01',
});
const cloud = ProviderTerms.parse({ id: 'cloudy', name: 'Cloudy', kind: 'cloud', batch: { available: true, discount: 0.5, source: 'cloudy batch doc', as_of: '2026-12-01' }, source: 'cloudy', as_of: '2026-12-01' });

const base: BaseSnapshot = {
  format: 'aip-base/1',
  name: 'test-base',
  version: '1',
  as_of: '2026-10-01',
  url: 'https://example.invalid/data.json',
  providers: [
    {
      id: 'acme-base',
      name: 'Acme',
      pricing_urls: ['https://acme.invalid/pricing'],
      models: [
        { id: 'new-1', name: 'New \u001b[31mOne\u001b[0m', match: { or: [{ equals: 'new-1' }, { regex: '^new-1-\\d{8}$' }] }, context_window: 100000, prices: { input_mtok: 2, cache_read_mtok: 0.2, output_mtok: { base: 8, tiers: [{ start: 200000, price: 12 }] } } },
        { id: 'old-1', match: { starts_with: 'old-1' }, prices: [{ prices: { input_mtok: 4, output_mtok: 16 } }, { constraint: { start_date: '2026-09-01' }, prices: { input_mtok: 3, output_mtok: 12 } }, { constraint: { start_date: '2027-01-01' }, prices: { input_mtok: 1, output_mtok: 4 } }] },
        { id: 'free-1', match: { equals: 'free-1' }, prices: { input_mtok: 0, output_mtok: 0 } },
        { id: 'voice-tts', match: { equals: 'voice-tts' }, prices: { input_mtok: 1, output_mtok: 1 } },
      ],
    },
  ],
};

describe('assembling the catalog', () => {
  const r = assembleModels(base, [term], { as_of: '2026-12-01', models: [{ id: 'old', from_base: 'old-1', max_output: 4096, source: 'acme model page', as_of: '2026-12-01' }] });
  const byId = (id: string) => r.models.find((m) => m.id === id) as unknown as Model;

  it('keeps chat models, leaves out $0 entries and non-text models with the reason', () => {
    expect(r.models.map((m) => m.id).sort()).toEqual(['new-1', 'old']);
    expect(r.skipped).toEqual(expect.arrayContaining([
      { provider: 'acme-base', id: 'free-1', reason: expect.stringMatching(/\$0 .*unknown, not free/) },
      { provider: 'acme-base', id: 'voice-tts', reason: expect.stringMatching(/not a chat or embedding model/) },
    ]));
  });

  it('derives batch by the discount, batch cached by the family\'s stacking rule, the tier\'s batch prices and flex at batch prices', () => {
    expect(byId('new-1').prices).toMatchObject({ input: 2, output: 8, batch_input: 1, batch_output: 4, batch_cached_input: 0.1, batch_derived: true });
    expect(byId('new-1').prices.long_context).toMatchObject({ above_input_tokens: 200000, input: 2, output: 12, batch_output: 6, batch_cached_input: 0.1 });
    expect(byId('new-1').service_tiers).toEqual([expect.objectContaining({ tier: 'flex', input: 1, output: 4, cached_input: 0.1 })]);
  });

  it('takes the price in force on the data\'s date and records the next announced change', () => {
    expect(byId('old').prices).toMatchObject({ input: 3, output: 12 });
    expect((byId('old') as Model & { price_change: unknown }).price_change).toEqual({ from: '2027-01-01', input: 1, output: 4 });
  });

  it('renames a base model to aip\'s id (from_base) and keeps the base id as an alias; curated fields win', () => {
    expect(byId('old')).toMatchObject({ aliases: ['old-1'], max_output: 4096 });
    expect(byId('old').source).toMatch(/^acme model page; list prices: test-base 1 \(2026-10-01\)/);
  });

  it('drops control characters from the dataset\'s text (it reaches terminals)', () => {
    expect(byId('new-1').name).toBe('New [31mOne[0m');
  });

  it('turns match rules into names and patterns, dated snapshots included', () => {
    expect(matchNames({ or: [{ equals: 'A' }, { starts_with: 'b-' }, { contains: 'c' }, { regex: '^d$' }] })).toEqual({ names: ['a'], patterns: ['b-*', '*c*', '/^d$/'] });
    expect(byId('new-1').patterns).toEqual(['/^new-1-\\d{8}$/']);
    expect(matchesPattern('new-1-20261201', '/^new-1-\\d{8}$/')).toBe(true);
    expect(activePrices(base.providers[0]!.models[1]!, '2026-08-01').prices).toMatchObject({ input_mtok: 4 });
  });

  it('prices a model another provider sells at the maker\'s list price under that provider\'s terms, without its limits', () => {
    const m = pricedAs({ ...byId('new-1'), rate_limit_class: 'x' } as Model, cloud);
    expect(m).toMatchObject({ id: 'cloudy/new-1', provider: 'cloudy', rate_limit_class: null, prices: { input: 2, batch_input: 1, batch_cached_input: null } });
    expect(m.source).toMatch(/^priced as acme's new-1/);
  });
});
