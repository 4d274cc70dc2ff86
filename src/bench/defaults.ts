// bench's defaults, stated once: the run uses them and `aip bench --help` shows them. No imports, so the help
// (in the entry chunk) can read them without loading bench.

/**
 * Sized so a bare `aip bench` against the simulator takes a few seconds. Warm-up has no number: by default it is
 * one request per connection the run will use (the concurrency), so no measured request pays for a new connection.
 */
export const DEFAULTS = { requests: 8, concurrency: 8, maxTokens: 48, simBatchTurnaroundS: 1, latencyScale: 1, seed: 1 };

export const TARGETS = ['sim', 'openai', 'anthropic', 'gemini'] as const;
export type TargetName = (typeof TARGETS)[number];

export const DEFAULT_TARGET: TargetName = 'sim';
export const DEFAULT_MODEL: Record<TargetName, string> = { sim: 'gpt-4o-mini', openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5', gemini: 'gemini-2.5-flash' };

/** --api: the OpenAI API to call on OpenAI and OpenAI-compatible targets. */
export const APIS = ['chat', 'responses'] as const;
export type ApiName = (typeof APIS)[number];

/** --service-tier values OpenAI accepts (sent as service_tier). */
export const SERVICE_TIERS = ['auto', 'default', 'flex', 'priority'] as const;

/**
 * Batch polling (--poll-interval). The simulator's batch finishes in about a second: poll from 100 ms and grow to
 * 500 ms, both scaled with --latency-scale, with floors so a tiny scale does not spin the event loop. A real batch
 * is polled first after at most 5 s (a small batch can be that fast), then at intervals growing 1.5× to the
 * resilience plan's interval.
 */
export const SIM_POLL_MS = { first: 100, firstFloor: 20, max: 500, maxFloor: 50 };
export const REAL_FIRST_POLL_MAX_MS = 5000;
