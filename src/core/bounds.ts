// The documented upper bounds of the numbers aip reads (docs/spec.md, docs/security.md): far above any real
// workload or price, low enough that every cost computed from them stays a finite number a person can read
// (1e12 requests × 1e8 tokens × $1e5 per 1M tokens = $1e19 per month at the very most).

/** Requests per month (about 385,000 requests a second). */
export const MAX_REQUESTS_PER_MONTH = 1e12;
/** Tokens of one request's input or output (ten times the largest context window). */
export const MAX_TOKENS = 1e8;
/** US dollars per 1M tokens (the dearest list price is under $1,000). */
export const MAX_USD_PER_MILLION = 1e5;
/** US dollars per month, for thresholds and recorded costs (above any bound-respecting workload's cost). */
export const MAX_USD_PER_MONTH = 1e21;
/** Peak rate over the average rate. */
export const MAX_PEAK_FACTOR = 1000;
