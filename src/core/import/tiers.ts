// The account tier per provider for an imported workload file. Traffic cannot reveal the tier, but it bounds
// it: a tier whose monthly spend cap is below what the traffic already spends (as sent, at list prices) is
// impossible. Without a stated tier (--tier), the lowest tier consistent with that spend, said to be
// inferred; a stated tier under the spend is kept (the user knows the account) and flagged. Pure.
import { spendCapOfTier, tierLadder } from '../catalog/account-tiers.js';
import type { Catalog, ProviderId } from '../catalog/schema.js';
import { usd } from '../format.js';

export interface ImportedTier {
  provider: ProviderId;
  tier: string;
  /** 'option': stated with --tier; 'inferred': the lowest tier the observed spend allows. */
  from: 'option' | 'inferred';
  /** The provider's traffic as sent, USD a month at list prices (cache writes included); null: none priced. */
  observedUsdPerMonth: number | null;
  /** The tier's monthly spend cap where published; null = none known. */
  capUsdPerMonth: number | null;
  /** Inferred above the default: the tier just below, ruled out by its cap. */
  ruledOut: { tier: string; capUsdPerMonth: number } | null;
  /** The observed spend passes even the highest tier's cap (inferred), or the stated tier's cap (option). */
  aboveCap: boolean;
  defaultTier: string;
}

/** What the tier bound reads of an imported workload (derive.ts's ImportedWorkload has it). */
interface SpentBy {
  modelKnown: boolean;
  provider: string | null;
  observed: { costUsdPerMonth: number | null; cacheWriteUsdPerMonth: number | null };
}

/** The provider's traffic as it was sent, at list prices, a month: what bounds the tier from below. */
function observedSpend(workloads: readonly SpentBy[]): Map<ProviderId, number> {
  const out = new Map<ProviderId, number>();
  for (const w of workloads) {
    if (!w.modelKnown || w.provider === null || w.observed.costUsdPerMonth === null) continue;
    const p = w.provider as ProviderId;
    out.set(p, (out.get(p) ?? 0) + w.observed.costUsdPerMonth + (w.observed.cacheWriteUsdPerMonth ?? 0));
  }
  return out;
}

export function importTiers(workloads: readonly SpentBy[], catalog: Catalog, stated: Partial<Record<ProviderId, string>>): ImportedTier[] {
  const spend = observedSpend(workloads);
  const providers = new Set<ProviderId>([...(Object.keys(stated) as ProviderId[]), ...workloads.filter((w) => w.modelKnown && w.provider !== null).map((w) => w.provider as ProviderId)]);
  const out: ImportedTier[] = [];
  for (const provider of providers) {
    const limits = catalog.rateLimits.find((p) => p.provider === provider);
    if (!limits) continue; // no published tiers: nothing to state or infer
    const observed = spend.get(provider) ?? null;
    const given = stated[provider];
    if (given !== undefined) {
      const cap = spendCapOfTier(catalog, provider, given);
      out.push({ provider, tier: given, from: 'option', observedUsdPerMonth: observed, capUsdPerMonth: cap, ruledOut: null, aboveCap: cap !== null && observed !== null && observed > cap, defaultTier: limits.default_tier });
      continue;
    }
    const ladder = tierLadder(catalog, provider);
    if (ladder.length === 0) continue;
    const i = ladder.findIndex((s) => s.capUsdPerMonth === null || observed === null || observed <= s.capUsdPerMonth);
    const at = i === -1 ? ladder.length - 1 : i;
    const below = at > 0 ? ladder[at - 1]! : null;
    out.push({
      provider,
      tier: ladder[at]!.tier,
      from: 'inferred',
      observedUsdPerMonth: observed,
      capUsdPerMonth: ladder[at]!.capUsdPerMonth,
      ruledOut: below && below.capUsdPerMonth !== null ? { tier: below.tier, capUsdPerMonth: below.capUsdPerMonth } : null,
      aboveCap: i === -1,
      defaultTier: limits.default_tier,
    });
  }
  return out.sort((a, b) => a.provider.localeCompare(b.provider));
}

/** "tier 2" for a numbered tier, "build tier" for a named one. */
export function tierName(tier: string): string {
  return /^\d+$/.test(tier) ? `tier ${tier}` : `${tier} tier`;
}

/** Why this tier, in one sentence (the file's comment, the stderr note, the comparison's footnote). */
export function tierWhy(t: ImportedTier): string {
  const money = usd;
  const name = `${t.provider} ${tierName(t.tier)}`;
  const spent = t.observedUsdPerMonth === null ? null : `${money(t.observedUsdPerMonth)}/month`;
  if (t.from === 'option') {
    const warn = t.aboveCap && spent ? `; its ${money(t.capUsdPerMonth!, { cents: false })} monthly spend cap is below the ${spent} this traffic spends as sent: check the tier` : '';
    return `${name} from --tier${warn}`;
  }
  const head = `${name} is inferred, not stated:`;
  if (spent === null) return `${head} the provider's default; no traffic of it could be priced to bound it`;
  if (t.aboveCap) return `${head} this traffic spends ${spent} as sent, over every published monthly spend cap (${tierName(t.tier)}: ${money(t.capUsdPerMonth!, { cents: false })}); an invoiced or custom account has none`;
  if (t.ruledOut) return `${head} this traffic spends ${spent} as sent, over ${tierName(t.ruledOut.tier)}'s ${money(t.ruledOut.capUsdPerMonth, { cents: false })} monthly spend cap, so the account is at ${tierName(t.tier)}${t.capUsdPerMonth !== null ? ` (${money(t.capUsdPerMonth, { cents: false })} cap)` : ''} or higher`;
  if (t.capUsdPerMonth === null) return `${head} the provider's default; it publishes no spend cap, so the traffic (${spent} as sent) cannot bound it`;
  return `${head} the provider's default; this traffic's ${spent} as sent is within its ${money(t.capUsdPerMonth, { cents: false })} monthly spend cap, so a higher tier is possible too`;
}
