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

