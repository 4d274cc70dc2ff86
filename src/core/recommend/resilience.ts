// The resilience plan that comes with a recommendation (seed articles' "resilient client"): timeouts from
// the expected output length, retries with backoff and jitter, a circuit breaker, the fallback model, the
// batch polling policy and a spend cap. Pure; the retry, breaker and timeout numbers come from the resilience
// policy (resilience-policy.ts, from data/thresholds.yaml), the same object the client of `aip bench` runs.
import type { Model, Thresholds } from '../catalog/schema.js';
import type { Pattern } from './pattern.js';
import type { LatencyEstimate } from './latency.js';
import { backoffCeiling, resiliencePolicy } from './resilience-policy.js';

export interface ResiliencePlan {
  /** Per-request timeout, s: (TTFT + p95 output ÷ speed) × safety factor, at least the minimum. */
  timeoutS: number;
  /** Close a stream that sends nothing for this long (streaming only). */
  idleTimeoutS: number | null;
  retry: {
    maxRetries: number;
    baseS: number;
    capS: number;
    /** Delays before each retry without jitter: base × 2^n, capped. */
    delaysS: number[];
    jitter: 'full';
    honourRetryAfter: true;
    overloadedBackoffS: number;
    retryOn: number[];
    doNotRetry: number[];
    /** Expected retries per request from the failure table. */
    expectedRetriesPerRequest: number;
  };
  circuitBreaker: { consecutiveFailures: number; cooldownS: number; halfOpenProbes: 1 };
  fallback: { model: string | null; suggested: boolean; note: string };
  /** submitEveryS: the batch cadence (core/recommend/cadence.ts). */
  batch: { submitEveryS: number; pollIntervalS: number; resubmitFailed: true; matchBy: 'custom_id'; deadlineS: number } | null;
  /** Suggested monthly spend cap (fails closed), and its daily share. */
  spendCapUsdPerMonth: number;
  spendCapUsdPerDay: number;
  notes: string[];
}

export interface ResilienceInput {
  pattern: Pattern;
  model: Model;
  fallback: Model | undefined;
  /** A model to suggest when the workload names no fallback. */
  suggestedFallback: Model | undefined;
  latency: LatencyEstimate;
  toleranceS: number;
  /** How often a batch is submitted (the batch cadence), s. */
  batchSubmitEveryS: number;
  expectedRetriesPerRequest: number;
  /** Expected monthly spend of the recommended pattern: cost + overhead + cache writes. */
  expectedSpendUsdPerMonth: number;
  thresholds: Thresholds['values'];
}

/** The plan for one workload: the shared resilience policy (the one `aip bench` runs) applied to its latency and spend. */
export function resiliencePlan(x: ResilienceInput): ResiliencePlan {
  const t = x.thresholds;
  const policy = resiliencePolicy(t);
  const { timeout, retry } = policy;
  const timeoutS = Math.max(timeout.minS, Math.ceil(x.latency.slowRequestS * timeout.safetyFactor));
  const { maxRetries, baseS, capS } = retry;
  const delaysS = Array.from({ length: maxRetries }, (_, n) => backoffCeiling(baseS, capS, n));
  const notes: string[] = [];
  notes.push(`timeout ${timeoutS} s = (${x.latency.ttftS} s + ${x.latency.p95Given ? 'p95' : `assumed p95 (mean × ${t.p95_output_factor.value})`} output at ${x.latency.outputTokensPerS} tok/s) × ${timeout.safetyFactor}, at least ${timeout.minS} s`);
  if (x.pattern === 'streaming') notes.push('a dropped stream cannot resume: keep the partial text, retry the whole request');
  if (x.pattern === 'batch') notes.push('give every request a custom_id and make result processing idempotent: a resubmitted batch may answer a request twice');
  if (x.model.provider === 'anthropic') notes.push(`on 529 overloaded, back off ${retry.overloadedBackoffS} s or route to the fallback`);
  const fallbackModel = x.fallback ?? x.suggestedFallback;
  const fallback = x.fallback
    ? { model: x.fallback.id, suggested: false, note: `route to ${x.fallback.id} while the breaker is open or after ${maxRetries} failed retries; test its output quality first` }
    : fallbackModel
      ? { model: fallbackModel.id, suggested: true, note: `no fallback given: ${fallbackModel.id} (${fallbackModel.provider}) is a suggestion — provider outages happen; test its output quality before relying on it` }
      : { model: null, suggested: false, note: 'no fallback given and none suggested: queue requests while the provider is down' };
  const spendCapUsdPerMonth = roundUp(x.expectedSpendUsdPerMonth * t.spend_cap_factor.value);
  return {
    timeoutS,
    idleTimeoutS: x.pattern === 'streaming' ? timeout.idleS : null,
    retry: {
      maxRetries,
      baseS,
      capS,
      delaysS,
      jitter: retry.jitter,
      honourRetryAfter: retry.honourRetryAfter,
      overloadedBackoffS: retry.overloadedBackoffS,
      retryOn: retry.retryOn,
      doNotRetry: retry.doNotRetry,
      expectedRetriesPerRequest: x.expectedRetriesPerRequest,
    },
    circuitBreaker: { ...policy.circuitBreaker },
    fallback,
    batch: x.pattern === 'batch' ? { submitEveryS: x.batchSubmitEveryS, pollIntervalS: policy.batchPollIntervalS, resubmitFailed: true, matchBy: 'custom_id', deadlineS: Math.min(x.toleranceS, x.latency.batchGuaranteeS) } : null,
    spendCapUsdPerMonth,
    spendCapUsdPerDay: roundUp(spendCapUsdPerMonth / 30),
    notes,
  };
}

/** Two significant figures, rounded up (a cap is a round number above the expectation). */
function roundUp(v: number): number {
  if (v <= 0) return 0;
  const magnitude = 10 ** (Math.floor(Math.log10(v)) - 1);
  return Number((Math.ceil(v / magnitude) * magnitude).toPrecision(12));
}
