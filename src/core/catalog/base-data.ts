// The base price dataset aip builds on: @pydantic/genai-prices (MIT). Its public feed (v2 data.json) is an
// array of providers, each with models, a match rule per model, and prices per 1M tokens, optionally tiered
// by prompt length or dated. This module checks that shape (a changed schema is refused, not half-read) and
// picks a model's prices as of a date. Pure.
import { z } from 'zod';

/** The feed `aip catalog update` fetches by default (the dataset's own auto-update URL). */
export const BASE_DATA_URL = 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json';
export const BASE_DATA_NAME = '@pydantic/genai-prices';

const Tiered = z.object({ base: z.number().nonnegative(), tiers: z.array(z.object({ start: z.number().nonnegative(), price: z.number().nonnegative() }).passthrough()).min(1) }).passthrough();
const PriceValue = z.union([z.number().nonnegative(), Tiered]);
const ModelPrice = z.record(z.string(), PriceValue.optional());
const Conditional = z
  .object({
    constraint: z.object({ start_date: z.string().optional(), start_time: z.string().optional(), end_time: z.string().optional(), type: z.string().optional() }).passthrough().optional(),
    prices: ModelPrice,
  })
  .passthrough();

const MatchLogic: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.object({ equals: z.string() }).strict(),
    z.object({ starts_with: z.string() }).strict(),
    z.object({ ends_with: z.string() }).strict(),
    z.object({ contains: z.string() }).strict(),
    z.object({ regex: z.string() }).strict(),
    z.object({ or: z.array(MatchLogic) }).strict(),
    z.object({ and: z.array(MatchLogic) }).strict(),
  ]),
);

export const BaseModel = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    match: MatchLogic,
    context_window: z.number().int().positive().optional(),
    deprecated: z.boolean().optional(),
    price_comments: z.string().optional(),
    prices: z.union([ModelPrice, z.array(Conditional).min(1)]),
  })
  .passthrough();

export const BaseProvider = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    pricing_urls: z.array(z.string()).optional(),
    price_comments: z.string().optional(),
    fallback_model_providers: z.array(z.string()).optional(),
    models: z.array(BaseModel),
  })
  .passthrough();

/** The raw feed: what genai-prices publishes. */
export const BaseFeed = z.array(BaseProvider).min(1);

/** The snapshot aip ships (data/base/genai-prices.json) and caches: the feed with its own date and origin. */
export const BaseSnapshot = z
  .object({
    format: z.literal('aip-base/1'),
    name: z.string(),
    version: z.string(),
    /** The data's own date (the release's publication date, or the download's Last-Modified). */
    as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    url: z.string(),
    providers: BaseFeed,
  })
  .strict();

export type BaseModel = z.infer<typeof BaseModel>;
export type BaseProvider = z.infer<typeof BaseProvider>;
export type BaseSnapshot = z.infer<typeof BaseSnapshot>;
export type Tiered = z.infer<typeof Tiered>;

/** The prices in force on `date`: the last dated variant that has started, else the undated one. */
export function activePrices(m: BaseModel, date: string): { prices: Record<string, number | Tiered | undefined>; changes: Array<{ from: string; prices: Record<string, number | Tiered | undefined> }> } {
  if (!Array.isArray(m.prices)) return { prices: m.prices, changes: [] };
  let current = m.prices.find((c) => !c.constraint)?.prices ?? m.prices[0]!.prices;
  let currentStart = '';
  const changes: Array<{ from: string; prices: Record<string, number | Tiered | undefined> }> = [];
  for (const c of m.prices) {
    const start = c.constraint?.start_date;
    if (!start) continue;
    if (start <= date && start >= currentStart) {
      current = c.prices;
      currentStart = start;
    } else if (start > date) changes.push({ from: start, prices: c.prices });
  }
  return { prices: current, changes };
}

/** The match rule as names (equals) and patterns ("prefix*", "*part*", "*suffix", "/regex/"). */
export function matchNames(match: unknown): { names: string[]; patterns: string[] } {
  const names: string[] = [];
  const patterns: string[] = [];
  const walk = (m: unknown): void => {
    if (!m || typeof m !== 'object') return;
    const o = m as Record<string, unknown>;
    if (typeof o.equals === 'string') names.push(o.equals.toLowerCase());
    else if (typeof o.starts_with === 'string') patterns.push(`${o.starts_with.toLowerCase()}*`);
    else if (typeof o.contains === 'string') patterns.push(`*${o.contains.toLowerCase()}*`);
    else if (typeof o.ends_with === 'string') patterns.push(`*${o.ends_with.toLowerCase()}`);
    else if (typeof o.regex === 'string') patterns.push(`/${o.regex}/`);
    else if (Array.isArray(o.or)) o.or.forEach(walk);
    // An "and" narrows a pattern (e.g. "starts with gemini-2.5-pro and is not a TTS model"): keep its first
    // positive part, so the name still resolves; the exclusions guard against other models of the same stem.
    else if (Array.isArray(o.and)) walk(o.and[0]);
  };
  walk(match);
  return { names, patterns };
}

/** Does a name match one of the patterns made by matchNames? */
export function matchesPattern(name: string, pattern: string): boolean {
  if (pattern.startsWith('/') && pattern.endsWith('/')) {
    try {
      return new RegExp(pattern.slice(1, -1), 'i').test(name);
    } catch {
      return false;
    }
  }
  const starts = pattern.startsWith('*');
  const ends = pattern.endsWith('*');
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return name.includes(core);
  if (ends) return name.startsWith(core);
  if (starts) return name.endsWith(core);
  return name === core;
}
