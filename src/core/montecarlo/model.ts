// What the simulation of one workload is handed: plain data, built from the workload, the catalog and the
// shared cost model by input.ts. Nothing here reads files, clocks or randomness.
import type { FailureProbability } from '../recommend/cost/overhead.js';
import type { ArrivalProfile } from './arrivals.js';
import type { Pattern } from '../recommend/pattern.js';


/** A failure kind as the cost model gives it: per-attempt probability, retried or not, billed fractions. */
export type FailureSpec = FailureProbability;

export interface PatternSpec {
  pattern: Pattern;
  /** USD per input token (cached share blended in) and per output token of a request, from the cost model. */
  usdPerInputToken: number;
  usdPerOutputToken: number;
  /** Only the kinds that fail the attempt (the cost model's `failsRequest`). */
  failures: FailureSpec[];
  /** The analytic figures this pattern's simulated mean must agree with (recommend's, same cost model). */
  analytic: { costUsdPerMonth: number; overheadUsdPerMonth: number };
  /** Billed each month whatever the traffic (provisioned capacity's fee). */
  fixedUsdPerMonth?: number;
  /**
   * A service tier's ways of serving a request (recommend's routes, core/recommend/options.ts): each request
   * takes one at random by weight. Absent: the workload's own time model, through the rate-limit queue.
   */
  routes?: SimRoute[];
}

/** One way an option serves a request: its speed, the time spent before it (a flex refusal), the rate-limit queue or not. */
export interface SimRoute {
  weight: number;
  ttftS: number;
  outputTokensPerS: number;
  delayS: number;
  /** Waits for the rate limit (provisioned capacity does not). */
  rateLimited: boolean;
}

export interface RateLimitSpec {
  tier: string;
  rpm?: number;
  /** Tokens per minute: input+output, or input only where `tpmCounts` says so. */
  tpm?: number;
  tpmCounts: 'input+output' | 'input';
  itpm?: number;
  otpm?: number;
  /** Requests per day (not simulated as a queue: reported when exceeded). */
  rpd?: number;
  /** Do cache reads count toward the input limit? */
  cacheReadsCount: boolean;
  /** Batch: input tokens or requests that may wait in the batch queue. */
  batchQueueTokens?: number;
  batchQueueRequests?: number;
}

export interface BatchSpec {
  maxRequestsPerBatch: number;
  /** The provider's completion guarantee. */
  windowHours: number;
  typicalTurnaroundMinutes: number;
  /** How often the client submits a batch (seconds). */
  submitEveryS: number;
}

/** The resilient client the simulation assumes (from data/thresholds.yaml, as recommend's plan). */
export interface ClientPolicy {
  /** Retries after the first attempt before giving up. */
  maxRetries: number;
  /** Exponential backoff base and cap (s); each wait has ±50% jitter. */
  backoffBaseS: number;
  backoffCapS: number;
  /** Wait before retrying an overloaded (529) answer. */
  overloadedBackoffS: number;
  /** A timed-out attempt keeps the caller waiting this long. */
  timeoutS: number;
  /** Idle time without a stream chunk before the client gives up on the stream. */
  idleTimeoutS: number;
}

export interface SimWorkload {
  name: string;
  model: string;
  requestsPerMonth: number;
  /** The latency tolerance in seconds (the SLO). */
  toleranceS: number;
  userFacing: boolean;
  input: { mean: number; p95?: number; cachedFraction: number };
  /** Output p95: the workload's, or the mean × the catalog's p95_output_factor where it gives none. */
  output: { mean: number; p95: number };
  /** The model's typical time to first token and output speed. */
  ttftS: number;
  outputTokensPerS: number;
  arrivals: ArrivalProfile;
  /** null where the account's tier has no published limits for this model. */
  limits: RateLimitSpec | null;
  batch: BatchSpec;
  client: ClientPolicy;
  /** The patterns the model can use (no batch where it has no batch API). */
  patterns: PatternSpec[];
}
