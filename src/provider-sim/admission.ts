// What happens to a model request before it is answered: forced or rolled HTTP faults, the timeout fault,
// and optional RPM/TPM enforcement — each answered as the provider would answer it.
import type { Exchange } from './exchange.js';
import { REQUEST_FAULTS } from './faults.js';
import { ApiError, errors } from './provider-errors.js';
import { openaiDuration, type Admission } from './rate-limit.js';

export interface Admitted {
  /** true when the request must never be answered (the timeout fault). */
  hang: boolean;
  /** Rate-limit headers for the response (when limits are enforced). */
  headers: Record<string, string> | undefined;
}

/** Admits a model request, or throws ApiError for an HTTP fault or a 429. */
export function admit(x: Exchange, model: string, inputTokens: number, maxOutput: number): Admitted {
  const fault = x.fault(REQUEST_FAULTS);
  if (fault === 'timeout') return { hang: true, headers: undefined };
  if (fault === '500') throw errors.serverError(x.surface);
  if (fault === '503') throw errors.unavailable(x.surface);
  if (fault === '529') throw errors.overloaded(x.surface);
  if (fault === '429') {
    // Retry hints are scaled like every other delay (1 s at scale 1); retry-after stays whole seconds ≥ 1.
    const retryMs = Math.max(1, Math.round(1000 * x.state.scale));
    const limits = limitsFor(x, model);
    throw rateLimited(x, model, { ok: false, retryAfterS: retryMs / 1000, limitedBy: 'requests', remainingRequests: 0, resetRequestsS: retryMs / 1000 }, limits, 'requests', limits.rpm ?? 0);
  }
  const limiter = x.state.limiter;
  if (limiter) {
    const verdict = limiter.admit(`${x.surface}:${model}`, inputTokens + maxOutput, x.state.nowMs());
    if (!verdict.ok) {
      x.state.countFault('429');
      const limit = verdict.limitedBy === 'tokens' ? limiter.config.tpm! : limiter.config.rpm!;
      throw rateLimited(x, model, verdict, limiter.config, verdict.limitedBy ?? 'requests', limit);
    }
    return { hang: false, headers: rateHeaders(x, verdict, limiter.config) };
  }
  return { hang: false, headers: undefined };
}

/** The limits to quote: the enforced ones, else the catalog's default tier for the model (when it has one). */
function limitsFor(x: Exchange, model: string): { rpm?: number; tpm?: number } {
  if (x.state.limiter) return x.state.limiter.config;
  const m = x.state.findModel(model);
  const provider = m && x.state.catalog.rateLimits.find((p) => p.provider === m.provider);
  const cls = provider?.classes.find((c) => c.class === m?.rate_limit_class);
  const tier = provider && cls?.limits[provider.default_tier];
  return tier ? { rpm: tier.rpm, tpm: tier.tpm ?? tier.itpm } : {};
}

/** Rate-limit headers for a response, in the provider's names. */
export function rateHeaders(x: Exchange, a: Admission, limits: { rpm?: number; tpm?: number }): Record<string, string> {
  const h: Record<string, string> = {};
  const nowMs = x.state.nowMs();
  const reset = (s: number | undefined) => new Date(nowMs + Math.ceil((s ?? 0) * 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (x.surface === 'openai') {
    if (limits.rpm !== undefined) h['x-ratelimit-limit-requests'] = String(limits.rpm);
    if (limits.tpm !== undefined) h['x-ratelimit-limit-tokens'] = String(limits.tpm);
    if (a.remainingRequests !== undefined) h['x-ratelimit-remaining-requests'] = String(a.remainingRequests);
    if (a.remainingTokens !== undefined) h['x-ratelimit-remaining-tokens'] = String(a.remainingTokens);
    if (a.resetRequestsS !== undefined) h['x-ratelimit-reset-requests'] = openaiDuration(a.resetRequestsS);
    if (a.resetTokensS !== undefined) h['x-ratelimit-reset-tokens'] = openaiDuration(a.resetTokensS);
  } else {
    if (limits.rpm !== undefined) h['anthropic-ratelimit-requests-limit'] = String(limits.rpm);
    if (a.remainingRequests !== undefined) h['anthropic-ratelimit-requests-remaining'] = String(a.remainingRequests);
    if (a.resetRequestsS !== undefined) h['anthropic-ratelimit-requests-reset'] = reset(a.resetRequestsS);
    if (limits.tpm !== undefined) {
      h['anthropic-ratelimit-tokens-limit'] = String(limits.tpm);
      h['anthropic-ratelimit-input-tokens-limit'] = String(limits.tpm);
    }
    if (a.remainingTokens !== undefined) {
      // Anthropic rounds remaining tokens to the nearest thousand.
      h['anthropic-ratelimit-tokens-remaining'] = String(Math.round(a.remainingTokens / 1000) * 1000);
      h['anthropic-ratelimit-input-tokens-remaining'] = String(Math.round(a.remainingTokens / 1000) * 1000);
    }
    if (a.resetTokensS !== undefined) {
      h['anthropic-ratelimit-tokens-reset'] = reset(a.resetTokensS);
      h['anthropic-ratelimit-input-tokens-reset'] = reset(a.resetTokensS);
    }
  }
  return h;
}

function rateLimited(x: Exchange, model: string, a: Admission, limits: { rpm?: number; tpm?: number }, kind: 'requests' | 'tokens', limit: number): ApiError {
  const headers = rateHeaders(x, a, limits);
  const retryMs = Math.max(1, Math.ceil(a.retryAfterS * 1000));
  headers['retry-after'] = String(Math.max(1, Math.ceil(a.retryAfterS)));
  headers['retry-after-ms'] = String(retryMs);
  if (x.surface === 'openai') {
    const unit = kind === 'tokens' ? 'tokens per min (TPM)' : 'requests per min (RPM)';
    const wait = openaiDuration(a.retryAfterS);
    return new ApiError(429, kind, `Rate limit reached for ${model} in organization org-aip-simulator on ${unit}: Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`, 'rate_limit_exceeded', null, headers);
  }
  const unit = kind === 'tokens' ? 'input tokens per minute' : 'requests per minute';
  return new ApiError(429, undefined, `This request would exceed the rate limit for your organization (aip-simulator) of ${limit.toLocaleString('en-US')} ${unit}. For details, refer to: https://docs.claude.com/en/api/rate-limits.`, null, null, headers);
}
