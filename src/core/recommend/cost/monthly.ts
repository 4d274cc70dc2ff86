// The list-price cost of a workload's requests per pattern (docs/spec.md "Arithmetic"), and the cache writes
// billed on top of it where the provider bills them (reported separately, never folded in).
import type { EffectivePrices } from './prices.js';
import { PATTERNS, type Pattern, type PerPattern } from '../pattern.js';

export interface Usage {
  requestsPerMonth: number;
  /** Mean input tokens per request (I). */
  inputTokens: number;
  /** Fraction of input read from the prompt cache (c). */
  cachedFraction: number;
  /** Mean output tokens per request (O). */
  outputTokens: number;
}

export interface RequestCost {
  /** Input part: I×(1−c)×input + I×c×cached_input, per 1M. */
  input: number;
  /** Output part: O×output, per 1M. */
  output: number;
  total: number;
}

/** One request's cost at a pattern's prices; null where the pattern is unavailable (no batch API). */
export function requestCost(u: Usage, p: EffectivePrices, pattern: Pattern): RequestCost | null {
  if (pattern === 'streaming' && !p.streaming) return null;
  const batch = pattern === 'batch';
  const input = batch ? p.batchInput : p.input;
  const cached = batch ? p.batchCachedInput : p.cachedInput;
  const output = batch ? p.batchOutput : p.output;
  if (input === null || cached === null || output === null) return null;
  const inputCost = (u.inputTokens * (1 - u.cachedFraction) * input + u.inputTokens * u.cachedFraction * cached) / 1e6;
  const outputCost = (u.outputTokens * output) / 1e6;
  return { input: inputCost, output: outputCost, total: inputCost + outputCost };
}

/** direct = streaming = R × (I×(1−c)×input + I×c×cached_input + O×output) / 1e6; batch at batch prices. */
export function monthlyCost(u: Usage, p: EffectivePrices): PerPattern<number | null> {
  const out = {} as PerPattern<number | null>;
  for (const pattern of PATTERNS) {
    const r = requestCost(u, p, pattern);
    out[pattern] = r === null ? null : u.requestsPerMonth * r.total;
  }
  return out;
}

/**
 * Cache writes (Anthropic bills writing the cached prefix above the input price). The prefix is written
 * again whenever it expired: at most once per cache lifetime while traffic keeps it warm, so writes per
 * month ≈ min(R, seconds per month ÷ TTL). The formula above already charged those tokens at the cached
 * price, so a write adds (cache_write − cached_input). Batch writes take the batch discount too.
 */
export function cacheWriteCost(u: Usage, p: EffectivePrices, cacheTtlS: number): PerPattern<number | null> {
  const zero = { direct: 0, streaming: p.streaming ? 0 : null, batch: p.batchInput === null ? null : 0 };
  if (p.cacheWrite === null || u.cachedFraction === 0 || !p.caching) return zero;
  const writes = Math.min(u.requestsPerMonth, (30 * 24 * 3600) / cacheTtlS);
  const cachedTokens = u.inputTokens * u.cachedFraction;
  const direct = (writes * cachedTokens * (p.cacheWrite - p.cachedInput)) / 1e6;
  let batch: number | null = null;
  if (p.batchInput !== null && p.batchCachedInput !== null) {
    const batchWrite = p.cacheWrite * (p.batchInput / p.input);
    batch = (writes * cachedTokens * (batchWrite - p.batchCachedInput)) / 1e6;
  }
  return { direct, streaming: p.streaming ? direct : null, batch };
}

export function per1kRequests(monthly: PerPattern<number | null>, requestsPerMonth: number): PerPattern<number | null> {
  const f = (v: number | null) => (v === null || requestsPerMonth === 0 ? null : (v / requestsPerMonth) * 1000);
  return { direct: f(monthly.direct), streaming: f(monthly.streaming), batch: f(monthly.batch) };
}
