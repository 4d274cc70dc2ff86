// Per-pattern tallies of a run: counts by outcome, failed attempts by class, distributions of the timings,
// goodput against the SLO. Turns into the JSON figures of `aip bench --json` (docs/spec.md "bench --json").
import type { CallOutcome } from '../client/resilient.js';
import type { Slo } from './gates.js';
import { Distribution, percentilesOf, round, type Percentiles } from './stats.js';

export interface PatternFigures {
  requests: number;
  ok: number;
  failed: number;
  /** Failed attempts by class, those a retry recovered included. */
  errors: Record<string, number>;
  retries: number;
  /** Failed requests whose broken stream left content (kept, marked partial). */
  partial: number;
  /** Requests answered by the fallback model. */
  fallbacks: number;
  /** Requests not sent because --max-spend would have been passed. */
  skipped_spend_cap: number;
  /** Requests still in flight when Ctrl-C's grace ran out (not in the figures). */
  interrupted_in_flight: number;
  ttfb_ms: Percentiles | null;
  ttft_ms: Percentiles | null;
  latency_ms: Percentiles | null;
  itl_ms: Percentiles | null;
  tpot_ms: Percentiles | null;
  output_tokens_per_s: Percentiles | null;
  goodput: { slo: { ttft_ms: number | null; latency_ms: number | null }; good: number; fraction: number | null; per_s: number | null } | null;
  duration_s: number;
  throughput_rps: number | null;
  cost_usd: number | null;
  /** false: the target does not offer this pattern (a batch API answering 404); nothing was sent or counted. */
  available: boolean;
  /** The first failed request's error as the target gave it (status and body excerpt, or the connection error). */
  first_error: { class: string; status: number | null; message: string } | null;
  /** How many values each distribution holds: a p95/p99 on fewer than 100 is close to the maximum. */
  samples: { ttft_ms: number; latency_ms: number; itl_ms: number; tpot_ms: number };
  /** Time from the first visible reasoning token to the first content token (models that stream their reasoning). */
  reasoning_ms: Percentiles | null;
  /** Output tokens the target reported as reasoning (billed as output; left out of TPOT). */
  reasoning_tokens: number;
  /** Successful requests whose usage aip counted with the tokenizer (the target sent none). */
  usage_estimated: number;
  /** Streams that ended after their finish_reason without the terminal event ([DONE]): complete, a protocol difference. */
  no_terminal_event: number;
  /** Stream tokens that arrived coalesced in one read with others: their ITL gaps are the read's interval split evenly. */
  itl_coalesced_tokens: number;
}

export class PatternTally {
  requests = 0;
  ok = 0;
  failed = 0;
  retries = 0;
  partial = 0;
  fallbacks = 0;
  skipped = 0;
  interrupted = 0;
  good = 0;
  reasoningTokens = 0;
  usageEstimated = 0;
  noTerminalEvent = 0;
  coalesced = 0;
  firstError: PatternFigures['first_error'] = null;
  readonly errors: Record<string, number> = {};
  readonly ttfb = new Distribution();
  readonly ttft = new Distribution();
  readonly latency = new Distribution();
  readonly itl = new Distribution();
  readonly tpot = new Distribution();
  readonly tokensPerS = new Distribution();
  readonly reasoning = new Distribution();
  /** Latencies of successful requests, for the terminal histogram. */
  readonly latencies: number[] = [];

  constructor(private readonly slo: Slo | undefined) {}

  countError(cls: string, n = 1): void {
    this.errors[cls] = (this.errors[cls] ?? 0) + n;
  }

  /** One finished call of the measured phase. */
  add(o: CallOutcome): void {
    if (o.skipped) {
      this.skipped += 1;
      return;
    }
    if (o.failure?.class === 'interrupted' && !o.attempts.some((a) => a.sent && a.class !== 'interrupted')) {
      this.interrupted += 1;
      return;
    }
    this.requests += 1;
    this.retries += o.retries;
    for (const a of o.attempts) if (!a.ok && a.class && a.class !== 'interrupted') this.countError(a.class);
    if (o.fellBack && o.ok) this.fallbacks += 1;
    if (!o.ok) {
      this.failed += 1;
      if (!this.firstError && o.failure) this.noteError(o.failure);
      if (o.partial) this.partial += 1;
      return;
    }
    this.ok += 1;
    // A direct answer's first token arrives with its last: its TTFT is its latency.
    const ttft = o.kind === 'streaming' ? o.ttftMs : o.latencyMs;
    if (o.ttfbMs !== undefined) this.ttfb.record(o.ttfbMs);
    if (ttft !== undefined) this.ttft.record(ttft);
    this.latency.record(o.latencyMs);
    this.latencies.push(o.latencyMs);
    for (const gap of o.itlMs) this.itl.record(gap);
    if (o.coalescedTokens) this.coalesced += o.coalescedTokens;
    if (o.noTerminalEvent) this.noTerminalEvent += 1;
    if (o.reasoningMs !== undefined) this.reasoning.record(o.reasoningMs);
    if (o.usage?.estimated) this.usageEstimated += 1;
    const out = o.usage?.outputTokens;
    if (out !== undefined && out > 0) {
      const reasoningTokens = Math.min(out, o.usage?.reasoningTokens ?? 0);
      this.reasoningTokens += reasoningTokens;
      this.tokensPerS.record(out / (o.latencyMs / 1000));
      // Time per visible output token: reasoning tokens come before the first content token (in TTFT), not after.
      const visible = out - reasoningTokens;
      if (o.kind === 'streaming' && ttft !== undefined && visible > 1) this.tpot.record((o.latencyMs - ttft) / (visible - 1));
    }
    if (this.slo && (this.slo.ttftMs === undefined || (ttft !== undefined && ttft <= this.slo.ttftMs)) && (this.slo.latencyMs === undefined || o.latencyMs <= this.slo.latencyMs)) {
      this.good += 1;
    }
  }

  /** The first failure, as the target gave it. */
  noteError(f: { class: string; status?: number; message: string; detail?: string }): void {
    this.firstError ??= { class: f.class, status: f.status ?? null, message: f.detail ?? f.message };
  }

  figures(durationMs: number, costUsd: number | null): PatternFigures {
    const durationS = durationMs / 1000;
    return {
      requests: this.requests,
      ok: this.ok,
      failed: this.failed,
      errors: sortedCounts(this.errors),
      retries: this.retries,
      partial: this.partial,
      fallbacks: this.fallbacks,
      skipped_spend_cap: this.skipped,
      interrupted_in_flight: this.interrupted,
      ttfb_ms: percentilesOf(this.ttfb.summary()),
      ttft_ms: percentilesOf(this.ttft.summary()),
      latency_ms: percentilesOf(this.latency.summary()),
      itl_ms: percentilesOf(this.itl.summary()),
      tpot_ms: percentilesOf(this.tpot.summary()),
      output_tokens_per_s: percentilesOf(this.tokensPerS.summary()),
      goodput: this.slo
        ? {
            slo: { ttft_ms: this.slo.ttftMs ?? null, latency_ms: this.slo.latencyMs ?? null },
            good: this.good,
            fraction: this.requests > 0 ? round(this.good / this.requests, 4) : null,
            per_s: durationS > 0 ? round(this.good / durationS, 3) : null,
          }
        : null,
      duration_s: round(durationS, 3),
      throughput_rps: durationS > 0 ? round(this.requests / durationS, 3) : null,
      cost_usd: costUsd === null ? null : round(costUsd, 8),
      available: true,
      first_error: this.firstError,
      samples: { ttft_ms: this.ttft.count, latency_ms: this.latency.count, itl_ms: this.itl.count, tpot_ms: this.tpot.count },
      reasoning_ms: percentilesOf(this.reasoning.summary()),
      reasoning_tokens: this.reasoningTokens,
      usage_estimated: this.usageEstimated,
      no_terminal_event: this.noTerminalEvent,
      itl_coalesced_tokens: this.coalesced,
    };
  }
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
