// The tier bound from observed spend (src/core/import/tiers.ts), hand-worked against the catalog's spend caps
// (data/providers.yaml): OpenAI $100 / $500 / $1,000 / $5,000 / $200,000 at tiers 1–5; Anthropic Start $500,
// Build $1,000, Scale $200,000.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { importTiers, tierWhy } from '../../src/core/import/tiers.js';
import { matchAccountTier, tierLadder } from '../../src/core/catalog/account-tiers.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const spent = (provider: string, usd: number | null, writes = 0) => ({ modelKnown: true, provider, observed: { costUsdPerMonth: usd, cacheWriteUsdPerMonth: writes } });

describe('importTiers', () => {
  it.each([
    [99.99, '1', null],
    [100, '1', null], // at the cap is within it
    [100.01, '2', '1'],
    [4_999, '4', '3'],
    [5_001, '5', '4'],
  ])('openai at $%s/month as sent: tier %s (ruled out: %s)', (usd, tier, ruledOut) => {
    const [t] = importTiers([spent('openai', usd)], catalog, {});
    expect(t).toMatchObject({ provider: 'openai', tier, from: 'inferred', aboveCap: false });
    expect(t!.ruledOut?.tier ?? null).toBe(ruledOut);
  });

  it('sums a provider\'s workloads, cache writes included, and skips the unpriced and unknown', () => {
    const ws = [spent('openai', 60), spent('openai', 30, 15), spent('openai', null), { ...spent('openai', 1_000), modelKnown: false }];
    const [t] = importTiers(ws, catalog, {});
    expect(t).toMatchObject({ tier: '2', observedUsdPerMonth: 105 });
  });

  it('above every published cap: the highest tier, said so', () => {
    const [t] = importTiers([spent('openai', 250_000)], catalog, {});
    expect(t).toMatchObject({ tier: '5', aboveCap: true });
    expect(tierWhy(t!)).toMatch(/over every published monthly spend cap \(tier 5: \$200,000\); an invoiced or custom account has none/);
  });

  it('climbs Anthropic from its default (Start), in its current tier system', () => {
    expect(tierLadder(catalog, 'anthropic').map((s) => s.tier)).toEqual(['start', 'build', 'scale']);
    expect(importTiers([spent('anthropic', 400)], catalog, {})[0]).toMatchObject({ tier: 'start', ruledOut: null });
    expect(importTiers([spent('anthropic', 800)], catalog, {})[0]).toMatchObject({ tier: 'build', ruledOut: { tier: 'start', capUsdPerMonth: 500 } });
  });

  it('a stated tier wins, and is flagged when its cap is below the spend', () => {
    const [t] = importTiers([spent('openai', 261.03)], catalog, { openai: '1' });
    expect(t).toMatchObject({ tier: '1', from: 'option', capUsdPerMonth: 100, aboveCap: true });
    expect(tierWhy(t!)).toBe('openai tier 1 from --tier; its $100 monthly spend cap is below the $261.03/month this traffic spends as sent: check the tier');
  });

  it('writes nothing for a provider the catalog has no tiers for', () => {
    expect(importTiers([spent('azure', 5_000)], catalog, {})).toEqual([]);
  });
});

describe('matchAccountTier', () => {
  it('reads "Tier 4", an alias and a named tier; suggests for a typo', () => {
    expect(matchAccountTier(catalog, 'openai', 'Tier 4')).toEqual({ ok: true, provider: 'openai', tier: '4' });
    expect(matchAccountTier(catalog, 'gemini', '2')).toEqual({ ok: true, provider: 'google', tier: '2' });
    expect(matchAccountTier(catalog, 'anthropic', 'Build')).toEqual({ ok: true, provider: 'anthropic', tier: 'build' });
    expect(matchAccountTier(catalog, 'anthropic', 'biuld')).toMatchObject({ ok: false, kind: 'tier', code: 'E_TIER', hint: 'did you mean "build"?' });
  });
});
