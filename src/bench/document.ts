// The `aip bench --json` document (fields are added, never renamed) and the verdicts of the --threshold gates
// it carries, from the plan and what the session measured.
import { redactUrl } from '../core/safe-text.js';
import { checkThreshold, emptyFigures, type BrokenPattern, type ThresholdVerdict } from './gates.js';
import type { BenchSetup } from './plan.js';
import type { BenchResult } from './run.js';
import type { BenchSession } from './session.js';

/** Each --threshold against its pattern's figures: a pattern not measured fails its gates. */
export function thresholdVerdicts(setup: BenchSetup, result: BenchResult): ThresholdVerdict[] {
  const shape = emptyFigures();
  return setup.gates.thresholds.map((t) => checkThreshold(t, result.patterns[t.pattern as 'direct'] as unknown as Record<string, unknown> | undefined, shape));
}

export function benchDocument(setup: BenchSetup, session: BenchSession, verdicts: ThresholdVerdict[], version: string, broken: BrokenPattern[] = []) {
  const { target, load, simulator: sim } = setup;
  const { result, simStats } = session;
  return {
    aip_version: version,
    target: target.name,
    ...(target.name !== 'sim' ? { base_url: redactUrl(target.baseUrl ?? '') } : {}),
    // Whether the API key went to base_url's host; key_withheld names a key that was set but not sent there.
    ...(target.name !== 'sim' ? { key_sent: target.apiKey !== undefined, ...(target.keyWithheld ? { key_withheld: target.keyWithheld } : {}) } : {}),
    provider: setup.provider,
    // The OpenAI API called (chat or responses; chat on the other protocols) and the service_tier sent.
    api: setup.api,
    service_tier: setup.serviceTier ?? null,
    model: setup.modelId,
    ...(setup.fallback ? { fallback_model: setup.fallback.id } : {}),
    load: {
      requests: load.requests ?? null,
      concurrency: load.ratePerS === undefined ? load.concurrency : null,
      rate_per_s: load.ratePerS ?? null,
      duration_s: load.durationMs === undefined ? null : load.durationMs / 1000,
      warmup: load.warmup,
      max_tokens: setup.maxTokens,
      prompts: setup.prompts.length,
    },
    ...(sim && simStats
      ? {
          simulator: {
            latency_scale: sim.latencyScale,
            faults: sim.faults,
            seed: setup.seed,
            batch_turnaround_s: sim.batchTurnaroundS * sim.latencyScale,
            // The simulator's own count of what it did: the figures above can be checked against it.
            stats: { requests: simStats.requests, statuses: simStats.statuses, faults: simStats.faults },
          },
        }
      : {}),
    patterns: result.patterns,
    harness: result.harness,
    breaker: result.breaker,
    breakers: result.breakers,
    spend: { usd: result.spend_usd, max_usd: setup.maxSpendUsd ?? null, capped: result.spend_capped, estimate: true, ...result.spend_detail },
    thresholds: verdicts,
    // Patterns that ran with no successful request, or above --max-error-rate: the run fails (exit 1).
    broken,
    ...(setup.maxErrorRate !== undefined ? { max_error_rate: setup.maxErrorRate } : {}),
    // Why each pattern stopped sending: done, duration, spend_cap, retry_after, not_available or interrupted.
    stopped_by: result.stopped_by,
    // Patterns ended because the server asked to wait (retry-after) beyond the run's remaining time: that wait, s.
    retry_after_s: result.retry_after_s,
    interrupted: result.interrupted,
  };
}
