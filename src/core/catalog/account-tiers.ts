// The account tiers of the catalog (data/rate_limits.yaml tier systems, data/providers.yaml spend caps): which
// tier a written value names, in order, and the monthly spend cap of each. One reader for the workload file's
// `tiers:` and `aip import --tier`, so both accept and refuse the same values. Pure.
import { providerFor } from './models.js';
import type { Catalog, ProviderId } from './schema.js';
import { closest } from '../suggest.js';

export type TierMatch =
  | { ok: true; provider: ProviderId; tier: string }
  | { ok: false; kind: 'provider' | 'tier'; code: 'E_UNKNOWN_PROVIDER' | 'E_TIER'; message: string; expected: string; hint: string | undefined };

/** "openai" + "4" (or "tier 4", "Tier4") → openai's tier "4"; an unknown provider or tier with a did-you-mean. */
export function matchAccountTier(catalog: Catalog, provider: string, value: string): TierMatch {
  const tier = value.trim();
  const term = providerFor(catalog, provider);
  const id = term?.id ?? provider;
  const withTiers = catalog.rateLimits.map((p) => p.provider as string);
  if (!term && !withTiers.includes(provider)) {
    const known = [...new Set([...catalog.providers.map((p) => p.id as string), ...withTiers])];
    const guess = closest(provider, known, 1)[0];
    return { ok: false, kind: 'provider', code: 'E_UNKNOWN_PROVIDER', message: `unknown provider "${provider}"`, expected: `one of: ${known.join(', ')}`, hint: guess ? `did you mean "${guess}"?` : undefined };
  }
  const limits = catalog.rateLimits.find((p) => p.provider === id);
  if (!limits) {
    return { ok: false, kind: 'provider', code: 'E_TIER', message: `the catalog has no account tiers for ${id}: no published rate limits`, expected: `tiers for ${withTiers.join(', ')}`, hint: "remove the tier, or add the provider's limits with --catalog FILE" };
  }
  const tiers = limits.tier_systems.flatMap((s) => s.tiers);
  const found = tiers.find((t) => t.toLowerCase() === tier.toLowerCase() || t.toLowerCase() === tier.toLowerCase().replace(/^tier\s*/, ''));
  if (!found) {
    const guess = closest(tier, tiers, 1)[0];
    return { ok: false, kind: 'tier', code: 'E_TIER', message: `unknown ${provider} tier${tier ? ` "${tier}"` : ''}`, expected: `one of: ${tiers.join(', ')}`, hint: guess ? `did you mean "${guess}"?` : undefined };
  }
  return { ok: true, provider: limits.provider, tier: found };
}

export interface TierStep {
  tier: string;
  /** The monthly spend cap (USD) where the provider publishes one; null = none known. */
  capUsdPerMonth: number | null;
}

/**
 * The provider's tiers from its default upward, in the default's tier system (Anthropic's Start/Build/Scale,
 * not its older 1–4), each with its monthly spend cap. Empty where the catalog has no tiers for it.
 */
export function tierLadder(catalog: Catalog, provider: ProviderId): TierStep[] {
  const limits = catalog.rateLimits.find((p) => p.provider === provider);
  if (!limits) return [];
  const system = limits.tier_systems.find((s) => s.tiers.includes(limits.default_tier)) ?? limits.tier_systems[0]!;
  const from = Math.max(0, system.tiers.indexOf(limits.default_tier));
  const caps = catalog.providers.find((p) => p.id === provider)?.spend_caps?.caps ?? {};
  return system.tiers.slice(from).map((tier) => ({ tier, capUsdPerMonth: caps[tier] ?? null }));
}

/** The monthly spend cap of one tier, where published. */
export function spendCapOfTier(catalog: Catalog, provider: ProviderId, tier: string): number | null {
  return catalog.providers.find((p) => p.id === provider)?.spend_caps?.caps[tier] ?? null;
}
