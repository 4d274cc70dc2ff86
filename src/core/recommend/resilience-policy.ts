// The resilience policy, once: retries, backoff, the circuit breaker, timeouts and which failures are worth a
// retry, built from data/thresholds.yaml. The plan `aip recommend` prints and the client `aip bench` runs are
// both made from this object, so what the plan says is what the client does. Pure.
import type { Thresholds } from '../catalog/schema.js';

/**
 * Statuses worth a retry: request timeout, conflict (a concurrent change), rate limited, the server errors a
 * retry can outlast, and Anthropic's overloaded (529). Not 501/505 and the like: the server will not change.
 */
const RETRY_ON_STATUSES = [408, 409, 429, 500, 502, 503, 504, 529] as const;
/** Statuses never retried: the same request fails the same way (bad request, auth, not found, too large, invalid). */
const DO_NOT_RETRY_STATUSES = [400, 401, 403, 404, 413, 422] as const;
/**
 * Failures never retried whatever their status: a content filter says no to this request; an exhausted quota or
 * spend limit, or one request larger than the whole per-minute budget, is a 429 that waiting does not cure.
 */
const NEVER_RETRY_CLASSES = ['content_filter', 'insufficient_quota', 'request_too_large'] as const;
export type NeverRetryClass = (typeof NEVER_RETRY_CLASSES)[number];

/** A server's retry-after is honoured up to this long (as the OpenAI and Anthropic SDKs do); longer waits are capped. */
const MAX_RETRY_AFTER_S = 60;

export interface ResiliencePolicy {
  retry: {
    /** Retries after the first attempt. */
    maxRetries: number;
    /** Backoff base: retry n waits up to base × 2^n (full jitter), never longer than the cap. */
    baseS: number;
    capS: number;
    jitter: 'full';
    honourRetryAfter: true;
    maxRetryAfterS: number;
    /** After an overloaded (529) answer without retry-after, wait at least this long. */
    overloadedBackoffS: number;
    retryOn: number[];
    doNotRetry: number[];
    neverRetryClasses: NeverRetryClass[];
  };
  timeout: {
    /** Per-request timeout = expected time for the output length × this, at least minS. */
    safetyFactor: number;
    minS: number;
    /** Close a stream that sends nothing for this long. */
    idleS: number;
  };
  circuitBreaker: { consecutiveFailures: number; cooldownS: number; halfOpenProbes: 1 };
  /** Poll a submitted batch this often (the client starts sooner and grows to it). */
  batchPollIntervalS: number;
}

export function resiliencePolicy(t: Thresholds['values']): ResiliencePolicy {
  return {
    retry: {
      maxRetries: t.retry_max.value,
      baseS: t.retry_base_s.value,
      capS: t.retry_cap_s.value,
      jitter: 'full',
      honourRetryAfter: true,
      maxRetryAfterS: MAX_RETRY_AFTER_S,
      overloadedBackoffS: t.overloaded_backoff_s.value,
      retryOn: [...RETRY_ON_STATUSES],
      doNotRetry: [...DO_NOT_RETRY_STATUSES],
      neverRetryClasses: [...NEVER_RETRY_CLASSES],
    },
    timeout: { safetyFactor: t.timeout_safety_factor.value, minS: t.timeout_min_s.value, idleS: t.stream_idle_timeout_s.value },
    circuitBreaker: { consecutiveFailures: t.breaker_failures.value, cooldownS: t.breaker_cooldown_s.value, halfOpenProbes: 1 },
    batchPollIntervalS: t.batch_poll_interval_s.value,
  };
}

/** The longest wait before retry number `retry` (0-based), before jitter: base × 2^retry, capped. Any unit. */
export function backoffCeiling(base: number, cap: number, retry: number): number {
  return Math.min(cap, base * 2 ** retry);
}

const retryOnSet: ReadonlySet<number> = new Set(RETRY_ON_STATUSES);
const neverRetrySet: ReadonlySet<string> = new Set(NEVER_RETRY_CLASSES);

/** Whether an HTTP failure of this status and class is worth a retry under the policy. */
export function retryableHttpFailure(status: number, failureClass: string): boolean {
  return retryOnSet.has(status) && !neverRetrySet.has(failureClass);
}
