// Which rate limits apply to a model in the simulator: the catalog's published limits for the chosen tier
// (the provider's default tier unless --tier says otherwise), as token buckets of each provider's kind.
import type { Catalog, Model, ProviderId } from '../core/catalog/schema.js';
import type { RateLimitConfig } from './rate-limit.js';

export type TierChoice = Partial<Record<ProviderId, string>>;

export interface ModelLimits {
  /** The bucket key: models of one Anthropic class share a bucket; OpenAI and Gemini limits are per model. */
  key: string;
  tier: string;
  config: RateLimitConfig;
  /** How a request's tokens count: input + max output (OpenAI), input and output apart (Anthropic), input only (Gemini). */
  counts: 'input+output' | 'split' | 'input';
}

/** The catalog's limits of `model` at the chosen (or default) tier; undefined when the catalog has none. */
export function limitsOf(catalog: Catalog, model: Model, tiers: TierChoice, inputTokens = 0): ModelLimits | undefined {
  const provider = catalog.rateLimits.find((p) => p.provider === model.provider);
  if (!provider || !model.rate_limit_class) return undefined;
  const tier = tiers[model.provider] ?? provider.default_tier;
  // A long-context class (OpenAI's gpt-4.1 above 128k input) takes over for requests above its threshold.
  const cls =
    provider.classes.find((c) => c.above_input_tokens !== undefined && inputTokens > c.above_input_tokens && c.models.includes(model.id)) ??
    provider.classes.find((c) => c.class === model.rate_limit_class && c.above_input_tokens === undefined);
  const t = cls?.limits[tier];
  if (!cls || !t) return undefined;
  if (model.provider === 'anthropic') return { key: `anthropic:${cls.class}`, tier, config: { rpm: t.rpm, itpm: t.itpm ?? t.tpm, otpm: t.otpm }, counts: 'split' };
  if (cls.tpm_counts === 'input') return { key: `${model.provider}:${model.id}:${cls.class}`, tier, config: { rpm: t.rpm, itpm: t.tpm }, counts: 'input' };
  return { key: `${model.provider}:${model.id}:${cls.class}`, tier, config: { rpm: t.rpm, tpm: t.tpm }, counts: 'input+output' };
}

/** The tiers a provider publishes, for --tier's error message. */
export function tiersOf(catalog: Catalog): Array<{ provider: ProviderId; tiers: string[]; defaultTier: string }> {
  return catalog.rateLimits.map((p) => ({ provider: p.provider, tiers: [...new Set(p.tier_systems.flatMap((s) => s.tiers))], defaultTier: p.default_tier }));
}

/**
 * Reads --tier values: "T" (every provider that has a tier T) or "PROVIDER:T". Throws an Error with a
 * user-facing message for an unknown provider or tier.
 */
export function parseTiers(catalog: Catalog, specs: readonly string[]): TierChoice {
  const known = tiersOf(catalog);
  const out: TierChoice = {};
  for (const raw of specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const colon = raw.indexOf(':');
    const providerName = colon < 0 ? undefined : raw.slice(0, colon).toLowerCase();
    const tier = (colon < 0 ? raw : raw.slice(colon + 1)).toLowerCase();
    const list = (p: (typeof known)[number]) => `${p.provider}: ${p.tiers.join(', ')}`;
    if (providerName !== undefined) {
      const p = known.find((k) => k.provider === providerName || (providerName === 'gemini' && k.provider === 'google'));
      if (!p) throw new Error(`unknown provider "${providerName}" in --tier ${raw}; expected one of ${known.map((k) => k.provider).join(', ')}`);
      if (!p.tiers.includes(tier)) throw new Error(`${p.provider} has no tier "${tier}"; its tiers are ${p.tiers.join(', ')}`);
      out[p.provider] = tier;
      continue;
    }
    const matching = known.filter((k) => k.tiers.includes(tier));
    if (matching.length === 0) throw new Error(`no provider has a tier "${tier}"; the tiers are ${known.map(list).join('; ')}`);
    for (const p of matching) out[p.provider] = tier;
  }
  return out;
}

/** An answer's length cap where neither the request nor the catalog gives one (the catalog may not know a model's max output). */
export const DEFAULT_MAX_OUTPUT = 4096;
