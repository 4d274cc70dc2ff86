// The resilience policy is built once from data/thresholds.yaml, and the client's decisions read it: which
// statuses are retried, and the longest wait before each retry.
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyHttp } from '../../src/client/failure.js';
import { retryDelayMs } from '../../src/client/retry.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { resiliencePolicy, type ResiliencePolicy } from '../../src/core/recommend/resilience-policy.js';
import { loadCatalog } from '../../src/io/catalog/load.js';

let catalog: Catalog;
let policy: ResiliencePolicy;
beforeAll(async () => {
  catalog = await loadCatalog();
  policy = resiliencePolicy(catalog.thresholds.values);
});

describe('resilience policy', () => {
  it('takes its numbers from the thresholds', () => {
    const t = catalog.thresholds.values;
    expect(policy.retry).toMatchObject({ maxRetries: t.retry_max.value, baseS: t.retry_base_s.value, capS: t.retry_cap_s.value, overloadedBackoffS: t.overloaded_backoff_s.value });
    expect(policy.timeout).toEqual({ safetyFactor: t.timeout_safety_factor.value, minS: t.timeout_min_s.value, idleS: t.stream_idle_timeout_s.value });
    expect(policy.circuitBreaker).toEqual({ consecutiveFailures: t.breaker_failures.value, cooldownS: t.breaker_cooldown_s.value, halfOpenProbes: 1 });
    // data/thresholds.yaml as shipped: a 30 s cap (not the SDKs' 8 s) and a timeout of 2× the expected time
    expect(policy.retry.capS).toBe(30);
    expect(policy.timeout.safetyFactor).toBe(2);
  });

  it('the client retries exactly the statuses the policy lists, and never those it excludes', () => {
    for (let status = 400; status < 600; status++) {
      expect(classifyHttp(status, {}, {}, 0).retryable, `HTTP ${status}`).toBe(policy.retry.retryOn.includes(status));
    }
    for (const status of policy.retry.doNotRetry) expect(policy.retry.retryOn).not.toContain(status);
  });

  it('the never-retry classes are not retried though their status is', () => {
    expect(policy.retry.retryOn).toContain(429);
    const quota = classifyHttp(429, {}, { error: { type: 'insufficient_quota', message: 'quota' } }, 0);
    const tooLarge = classifyHttp(429, {}, { error: { message: 'Request too large for gpt-4o' } }, 0);
    for (const f of [quota, tooLarge]) {
      expect(policy.retry.neverRetryClasses).toContain(f.class);
      expect(f.retryable).toBe(false);
    }
  });

  it("the client's longest wait before retry n is the plan's base × 2^n, capped", () => {
    const r = policy.retry;
    const client = { maxRetries: r.maxRetries, baseDelayMs: r.baseS * 1000, maxDelayMs: r.capS * 1000, maxRetryAfterMs: r.maxRetryAfterS * 1000 };
    // full jitter draws uniformly below the ceiling: a draw of 1 shows the ceiling itself
    const ceilings = Array.from({ length: 6 }, (_, n) => retryDelayMs(client, n, () => 1) / 1000);
    expect(ceilings).toEqual([1, 2, 4, 8, 16, 30]);
  });
});
