// What happens to a model request before it is answered: forced or rolled HTTP faults, the timeout fault,
// the flex tier's shed, and rate limits — the tier's limits quoted in headers on every response (enforced
// with --tier), or explicit --rpm/--tpm enforced — each answered as the provider would answer it.
import type { Model } from '../core/catalog/schema.js';
import type { Exchange } from './exchange.js';
import { REQUEST_FAULTS, type FaultKind } from './faults.js';
import { ApiError, errors, flexShed } from './provider-errors.js';
import { openaiDuration, type Admission, type RateLimitConfig } from './rate-limit.js';

export interface Admitted {
  /** true when the request must never be answered (the timeout fault). */
  hang: boolean;
  /** Rate-limit headers for the response (OpenAI and Anthropic; Gemini sends none). */
  headers: Record<string, string> | undefined;
}

export interface AdmitOptions {
  /** The catalog model (for the tier's limits); undefined for names the catalog does not know. */
  model?: Model;
  inputTokens: number;
  /** The most output the request may produce (max_tokens, or the model's maximum). */
  maxOutput: number;
  /** OpenAI service_tier as requested ("flex" can be shed). */
  serviceTier?: string;
  /** The 500 fault is reported inside the stream (Responses' response.failed), so it is not rolled here. */
  inBand500?: boolean;
}

/** Retry hints are scaled like every other delay (1 s at scale 1). At scale 0 both headers say 0. */
function retryHeaders(retryMs: number): Record<string, string> {
  const ms = Math.max(0, Math.ceil(retryMs));
  // retry-after is whole seconds (HTTP), rounded up; retry-after-ms the exact wait. They agree: 0 and 0,
  // or retry-after = ⌈retry-after-ms / 1000⌉.
  return { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) };
}

/** Admits a model request, or throws ApiError for an HTTP fault, a flex shed or a 429. */
export function admit(x: Exchange, modelName: string, inputTokens: number, maxOutput: number, opts?: Partial<AdmitOptions>): Admitted {
  const model = opts?.model ?? x.state.findModel(modelName);
  let kinds: readonly FaultKind[] = opts?.inBand500 ? REQUEST_FAULTS.filter((k) => k !== '500') : REQUEST_FAULTS;
  if (opts?.serviceTier === 'flex') kinds = [...kinds, 'shed'];
  const fault = x.fault(kinds);
  if (fault === 'timeout') return { hang: true, headers: undefined };
  if (fault === '500') throw errors.serverError(x.surface);
  if (fault === '503') throw errors.unavailable(x.surface);
  if (fault === '529') throw errors.overloaded(x.surface);

  // Explicit --rpm/--tpm: one limiter for every model, always enforced (input + max output against TPM).
  const explicit = x.state.limiter;
  const tier = explicit || !model ? undefined : x.state.tierLimiter(model, inputTokens);
  const limits: RateLimitConfig | undefined = explicit ? explicit.config : tier?.limits.config;
  if (fault === '429') {
    const retryMs = 1000 * x.state.scale;
    const a: Admission = { ok: false, retryAfterS: retryMs / 1000, limitedBy: 'requests', remainingRequests: 0, resetRequestsS: retryMs / 1000 };
    throw rateLimited(x, modelName, a, limits ?? {}, 'requests', limits?.rpm ?? 0, retryMs);
  }
  let verdict: Admission | undefined;
  if (explicit) verdict = explicit.admit(`${x.surface}:${modelName}`, inputTokens + maxOutput, x.nowMs());
  else if (tier) {
    const c = tier.limits.counts;
    const demand = c === 'split' ? { tokens: inputTokens + maxOutput, input: inputTokens, output: maxOutput } : c === 'input' ? { tokens: inputTokens, input: inputTokens } : inputTokens + maxOutput;
    verdict = tier.limiter.admit(tier.limits.key, demand, x.nowMs(), { enforce: x.state.enforceTier });
  }
  if (verdict && !verdict.ok) {
    x.state.countFault('429');
    const by = verdict.limitedBy ?? 'requests';
    const limit = (by === 'requests' ? limits!.rpm : by === 'tokens' ? limits!.tpm : by === 'input' ? limits!.itpm : limits!.otpm) ?? 0;
    throw rateLimited(x, modelName, verdict, limits!, by, limit, verdict.retryAfterS * 1000);
  }
  const headers = verdict && limits ? rateHeaders(x, verdict, limits) : undefined;
  // Flex capacity is shed after the rate limits were checked (a shed request is not billed, and says so).
  if (fault === 'shed') throw withHeaders(flexShed(), headers);
  return { hang: false, headers };
}

function withHeaders(e: ApiError, headers: Record<string, string> | undefined): ApiError {
  if (headers) Object.assign(e.headers, headers);
  return e;
}

/** Rate-limit headers for a response, in the provider's names (none for Gemini, which sends none). */
export function rateHeaders(x: Exchange, a: Admission, limits: RateLimitConfig): Record<string, string> {
  const h: Record<string, string> = {};
  if (x.surface === 'gemini') return h;
  if (x.surface === 'openai') {
    const tokensLimit = limits.tpm ?? limits.itpm;
    const remainingTokens = a.remainingTokens ?? a.remainingInput;
    const resetTokens = a.resetTokensS ?? a.resetInputS;
    if (limits.rpm !== undefined) h['x-ratelimit-limit-requests'] = String(limits.rpm);
    if (tokensLimit !== undefined) h['x-ratelimit-limit-tokens'] = String(tokensLimit);
    if (a.remainingRequests !== undefined) h['x-ratelimit-remaining-requests'] = String(a.remainingRequests);
    if (remainingTokens !== undefined) h['x-ratelimit-remaining-tokens'] = String(remainingTokens);
    if (a.resetRequestsS !== undefined) h['x-ratelimit-reset-requests'] = openaiDuration(a.resetRequestsS);
    if (resetTokens !== undefined) h['x-ratelimit-reset-tokens'] = openaiDuration(resetTokens);
    return h;
  }
  const nowMs = x.nowMs();
  const reset = (s: number | undefined) => new Date(nowMs + Math.ceil((s ?? 0) * 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Anthropic rounds remaining tokens to the nearest thousand.
  const thousands = (n: number) => String(Math.round(n / 1000) * 1000);
  if (limits.rpm !== undefined) h['anthropic-ratelimit-requests-limit'] = String(limits.rpm);
  if (a.remainingRequests !== undefined) h['anthropic-ratelimit-requests-remaining'] = String(a.remainingRequests);
  if (a.resetRequestsS !== undefined) h['anthropic-ratelimit-requests-reset'] = reset(a.resetRequestsS);
  const input = limits.itpm ?? limits.tpm;
  const inputLeft = a.remainingInput ?? a.remainingTokens;
  const inputReset = a.resetInputS ?? a.resetTokensS;
  if (input !== undefined) h['anthropic-ratelimit-input-tokens-limit'] = String(input);
  if (inputLeft !== undefined) h['anthropic-ratelimit-input-tokens-remaining'] = thousands(inputLeft);
  if (inputReset !== undefined) h['anthropic-ratelimit-input-tokens-reset'] = reset(inputReset);
  if (limits.otpm !== undefined) h['anthropic-ratelimit-output-tokens-limit'] = String(limits.otpm);
  if (a.remainingOutput !== undefined) h['anthropic-ratelimit-output-tokens-remaining'] = thousands(a.remainingOutput);
  if (a.resetOutputS !== undefined) h['anthropic-ratelimit-output-tokens-reset'] = reset(a.resetOutputS);
  // tokens-*: the most restrictive token limit in effect (the one with the least left).
  const candidates: Array<[number, number, number | undefined]> = [];
  if (limits.tpm !== undefined) candidates.push([limits.tpm, a.remainingTokens ?? limits.tpm, a.resetTokensS]);
  if (limits.itpm !== undefined) candidates.push([limits.itpm, a.remainingInput ?? limits.itpm, a.resetInputS]);
  if (limits.otpm !== undefined) candidates.push([limits.otpm, a.remainingOutput ?? limits.otpm, a.resetOutputS]);
  const tightest = candidates.sort((p, q) => p[1] - q[1])[0];
  if (tightest) {
    h['anthropic-ratelimit-tokens-limit'] = String(tightest[0]);
    h['anthropic-ratelimit-tokens-remaining'] = thousands(tightest[1]);
    if (tightest[2] !== undefined) h['anthropic-ratelimit-tokens-reset'] = reset(tightest[2]);
  }
  return h;
}

function rateLimited(x: Exchange, model: string, a: Admission, limits: RateLimitConfig, kind: NonNullable<Admission['limitedBy']>, limit: number, retryMs: number): ApiError {
  const headers = { ...rateHeaders(x, a, limits), ...retryHeaders(retryMs) };
  if (x.surface === 'openai') {
    const tokens = kind !== 'requests';
    const unit = tokens ? 'tokens per min (TPM)' : 'requests per min (RPM)';
    const wait = openaiDuration(retryMs / 1000);
    return new ApiError(429, tokens ? 'tokens' : 'requests', `Rate limit reached for ${model} in organization org-aip-simulator on ${unit}: Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`, 'rate_limit_exceeded', null, headers);
  }
  if (x.surface === 'gemini') {
    const metric = kind === 'requests' ? 'generate_content_requests_per_minute' : 'generate_content_input_token_count';
    const details = [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: `generativelanguage.googleapis.com/${metric}`, quotaId: kind === 'requests' ? 'GenerateRequestsPerMinutePerProjectPerModel' : 'GenerateContentInputTokensPerModelPerMinute', quotaDimensions: { model, location: 'global' }, quotaValue: String(limit) }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${Math.ceil(retryMs / 1000)}s` },
    ];
    return new ApiError(429, undefined, `You exceeded your current quota, please check your plan and billing details. Quota exceeded for metric: generativelanguage.googleapis.com/${metric}, limit: ${limit}, model: ${model}. Please retry in ${(retryMs / 1000).toFixed(1)}s.`, null, null, headers, details);
  }
  const unit = kind === 'requests' ? 'requests per minute' : kind === 'output' ? 'output tokens per minute' : 'input tokens per minute';
  return new ApiError(429, undefined, `This request would exceed the rate limit for your organization (aip-simulator) of ${limit.toLocaleString('en-US')} ${unit}. For details, refer to: https://docs.claude.com/en/api/rate-limits.`, null, null, headers);
}
