// Retry policy: how many retries and how long to wait before each — exponential backoff with full jitter,
// or the server's own retry-after when it gives a sane one. Pure: the random source is handed in. The numbers
// come from the resilience policy (src/core/recommend/resilience-policy.ts), the one `aip recommend` prints.
import { backoffCeiling } from '../core/recommend/resilience-policy.js';

export interface RetryPolicy {
  /** Retries after the first attempt (0 = never retry). */
  maxRetries: number;
  /** Backoff base: the cap of the first retry's wait. */
  baseDelayMs: number;
  /** No computed wait is longer than this. */
  maxDelayMs: number;
  /** A server's retry-after above this is not honoured as is: the wait is capped here. */
  maxRetryAfterMs: number;
  /** After an overloaded answer (529) without retry-after, wait at least this long (seed 000: 30-60 s). */
  overloadedDelayMs?: number;
}

/**
 * The wait before retry number `retry` (0-based). Full jitter (uniform in [0, min(max, base·2^retry)]) spreads
 * a crowd of clients so their retries do not arrive together; a server's retry-after is honoured as given.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number, serverWaitMs?: number, overloaded = false): number {
  if (serverWaitMs !== undefined && serverWaitMs >= 0) return Math.min(serverWaitMs, policy.maxRetryAfterMs);
  const cap = backoffCeiling(policy.baseDelayMs, policy.maxDelayMs, retry);
  const jittered = random() * cap;
  return overloaded && policy.overloadedDelayMs !== undefined ? Math.max(policy.overloadedDelayMs, jittered) : jittered;
}

/** Sleep that ends early (rejecting with the signal's reason) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
