// One benchmark run: the harness's TTFB floor first, then each pattern in turn on the same prompts —
// direct and streaming through the resilient client under the load plan, batch as one submitted batch.
// Ctrl-C stops sending, gives in-flight requests a short grace, and returns what was measured.
import { setMaxListeners } from 'node:events';
import { runBatch } from '../client/batch.js';
import { connectionDetail } from '../client/failure.js';
import type { BreakerPolicy } from '../client/breaker.js';
import type { Http } from '../client/http.js';
import { AttemptError, type Failure } from '../client/failure.js';
import { logLine, type RequestLogLine } from '../client/log.js';
import type { ChatRequest, ProviderAdapter, Usage } from '../client/providers/types.js';
import { ResilientClient, type CallKind, type CallOutcome, type TimeoutPolicy } from '../client/resilient.js';
import type { RetryPolicy } from '../client/retry.js';
import { seededRandom } from '../core/random.js';
import type { Pattern } from '../core/recommend/pattern.js';
import { PatternTally, type PatternFigures } from './collect.js';
import type { Slo } from './gates.js';
import { runLoad, type LoadPlan, type StopReason } from './load.js';
import type { Prompt } from './prompts.js';
import type { BatchItemEnd, SpendLedger } from './spend.js';
import { Distribution, percentilesOf, round, type Percentiles } from './stats.js';


export interface BenchPlan {
  adapter: ProviderAdapter;
  model: string;
  patterns: Pattern[];
  prompts: Prompt[];
  maxTokens: number;
  load: LoadPlan;
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  timeouts: TimeoutPolicy;
  fallbackModel?: string;
  slo?: Slo;
  seed: number;
  cancelOnExit: boolean;
  pollMs: number;
  maxPollMs: number;
  /** Zero-work requests (GET models) that measure the harness's own TTFB floor. */
  probes: number;
  /** How long in-flight requests may finish after Ctrl-C. */
  graceMs: number;
  /** Usage counted with the tokenizer for an answer that carried none (marked estimated). */
  estimateUsage?: (req: ChatRequest, text: string) => Usage;
  /** Deadline of each call outside the measured requests: the start-up probe and every batch call. */
  callTimeoutMs: number;
}

export interface ProgressEvent {
  pattern: Pattern;
  done: number;
  /** undefined when the run is bounded by time, not count. */
  total: number | undefined;
  phase: 'warmup' | 'measuring' | 'submitting' | 'polling' | 'done';
  detail?: string;
}

export interface BenchDeps {
  http: Http;
  ledger: SpendLedger;
  /** Ctrl-C. */
  signal: AbortSignal;
  /** Wall clock for the request log's timestamps. */
  now: () => Date;
  log?: { write(line: RequestLogLine | Record<string, unknown>): void };
  logContent: boolean;
  /** USD of one request's usage (null when the model has no price). */
  costOf(usage: Usage, model: string, batch: boolean): number | null;
  onProgress?(e: ProgressEvent): void;
}

export interface BatchFigures extends PatternFigures {
  batch_id: string | null;
  batch_status: string;
  /** Submit → results downloaded, ms. */
  turnaround_ms: number | null;
  submit_ms: number | null;
  polls: number;
  cancelled: boolean;
  /** Why the target has no batch API: the submission's request and status ("POST /v1/files → 404"). */
  not_available?: string;
}

export interface BenchResult {
  patterns: Partial<Record<Pattern, PatternFigures | BatchFigures>>;
  /**
   * TTFB of requests the server answers without model work: the harness + network floor under every figure.
   * `error`: why there is no floor (the probe's status, or the connection error with host:port).
   */
  harness: { ttfb_floor_ms: Percentiles | null; probes: number; error?: string };
  /** Per model, over all patterns (opened and closed summed; the state of the last pattern's circuit). */
  breaker: Record<string, BreakerFigures>;
  /** One circuit per pattern and model: a failing pattern does not open the circuit of the next one. */
  breakers: Partial<Record<Pattern, Record<string, BreakerFigures>>>;
  spend_usd: number;
  spend_capped: boolean;
  /** How the spend was counted (SpendLedger): answers without usage, attempts charged their worst case, overruns. */
  spend_detail: { counted_locally: number; charged_worst_case: number; overruns: number; overrun_usd: number };
  interrupted: boolean;
  stopped_by: Partial<Record<Pattern, StopReason>>;
  /** Latencies of successful requests per pattern (for the terminal chart; not in --json). */
  latencies: Partial<Record<Pattern, number[]>>;
  /** Patterns ended by a server asking to wait (retry-after) beyond the run's remaining time: that wait, s. */
  retry_after_s: Partial<Record<Pattern, number>>;
}

interface BreakerFigures {
  state: string;
  opened: number;
  closed: number;
}

export async function runBench(plan: BenchPlan, deps: BenchDeps): Promise<BenchResult> {
  const rng = seededRandom(plan.seed);
  const random = () => rng.uniform();
  // Ctrl-C stops new sends at once; requests in flight get `graceMs`, then are cut.
  const hard = new AbortController();
  // Every request in flight listens to it: a large open loop has thousands.
  setMaxListeners(0, hard.signal);
  let graceTimer: NodeJS.Timeout | undefined;
  const onInterrupt = () => {
    graceTimer = setTimeout(() => hard.abort(deps.signal.reason), plan.graceMs);
  };
  if (deps.signal.aborted) onInterrupt();
  else deps.signal.addEventListener('abort', onInterrupt, { once: true });

  const result: BenchResult = {
    patterns: {},
    harness: { ttfb_floor_ms: null, probes: 0 },
    breaker: {},
    breakers: {},
    spend_usd: 0,
    spend_capped: false,
    spend_detail: { counted_locally: 0, charged_worst_case: 0, overruns: 0, overrun_usd: 0 },
    interrupted: false,
    stopped_by: {},
    latencies: {},
    retry_after_s: {},
  };
  // The longest retry-after a pattern sits through: the policy's cap, and never past the pattern's --duration.
  let patternEndsAt = Number.POSITIVE_INFINITY;
  // A client per pattern: its circuit breakers are per model within the pattern.
  const clientFor = () =>
    new ResilientClient({
      adapter: plan.adapter,
      http: deps.http,
      retry: plan.retry,
      breaker: plan.breaker,
      timeouts: plan.timeouts,
      random,
      spend: deps.ledger,
      retryAfterHorizonMs: () => Math.min(plan.retry.maxRetryAfterMs, patternEndsAt - performance.now()),
      ...(plan.fallbackModel ? { fallbackModel: plan.fallbackModel } : {}),
      ...(plan.estimateUsage ? { estimateUsage: plan.estimateUsage } : {}),
    });
  const clients: Array<[Pattern, ResilientClient]> = [];

  try {
    result.harness = await probeHarness(plan, deps, hard.signal);
    for (const pattern of plan.patterns) {
      if (deps.signal.aborted) break;
      patternEndsAt = plan.load.durationMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + plan.load.durationMs;
      if (pattern === 'batch') {
        const figures = await benchBatch(plan, deps, random, hard.signal);
        result.patterns.batch = figures.figures;
        result.latencies.batch = figures.latencies;
        result.stopped_by.batch = figures.stoppedBy;
      } else {
        const client = clientFor();
        clients.push([pattern, client]);
        const r = await benchLive(pattern, plan, deps, client, random, hard.signal);
        result.patterns[pattern] = r.figures;
        result.latencies[pattern] = r.latencies;
        result.stopped_by[pattern] = r.stoppedBy;
        if (r.retryAfterMs !== undefined) result.retry_after_s[pattern] = round(r.retryAfterMs / 1000, 3);
      }
    }
  } finally {
    if (graceTimer) clearTimeout(graceTimer);
    deps.signal.removeEventListener('abort', onInterrupt);
  }
  for (const model of new Set([plan.model, ...(plan.fallbackModel ? [plan.fallbackModel] : [])])) {
    const all: BreakerFigures = { state: 'closed', opened: 0, closed: 0 };
    for (const [pattern, client] of clients) {
      const b = client.breakerFor(model);
      const f = { state: b.state, opened: b.transitions.filter((t) => t.to === 'open').length, closed: b.transitions.filter((t) => t.to === 'closed').length };
      (result.breakers[pattern] ??= {})[model] = f;
      all.state = f.state;
      all.opened += f.opened;
      all.closed += f.closed;
    }
    result.breaker[model] = all;
  }
  result.spend_usd = round(deps.ledger.spentUsd, 8);
  result.spend_capped = deps.ledger.capped;
  result.spend_detail = {
    counted_locally: deps.ledger.countedLocally,
    charged_worst_case: deps.ledger.chargedWorstCase,
    overruns: deps.ledger.overruns,
    overrun_usd: round(deps.ledger.overrunUsd, 8),
  };
  result.interrupted = deps.signal.aborted;
  return result;
}

function requestFor(plan: BenchPlan, pattern: Pattern, index: number, warmup: boolean): ChatRequest {
  const n = plan.prompts.length;
  const p = plan.prompts[((index % n) + n) % n]!;
  return {
    customId: warmup ? `warmup-${pattern}-${-index}` : `${pattern}-${index}`,
    model: plan.model,
    ...(p.system ? { system: p.system } : {}),
    prompt: p.prompt,
    // Warm-up opens connections and warms both ends; a one-token answer does that without the wait.
    maxTokens: warmup ? 1 : plan.maxTokens,
  };
}

async function probeHarness(plan: BenchPlan, deps: BenchDeps, signal: AbortSignal): Promise<BenchResult['harness']> {
  const floor = new Distribution();
  let probes = 0;
  let error: string | undefined;
  // A server that accepts the connection and never answers must not hold the run before it starts.
  const http = deps.http.bounded(signal, plan.callTimeoutMs, callTimeout);
  for (let i = 0; i < plan.probes && !deps.signal.aborted; i++) {
    try {
      const res = await http.send({ method: 'GET', path: plan.adapter.probePath });
      await res.body.dump();
      // The first probe pays for the connection: it is warm-up, like the patterns' own.
      if (i > 0 && res.status < 400) floor.record(res.headersAt - res.sentAt);
      probes += 1;
      if (res.status >= 400) {
        // A target without a models endpoint: no floor, and say so rather than guess.
        error = `GET ${deps.http.resolvePath(plan.adapter.probePath)} → ${res.status}`;
        break;
      }
    } catch (err) {
      // Nothing answers (a closed port, an unknown host): say that, with host:port.
      error = connectionDetail(err instanceof Error ? err.message : String(err), deps.http.origin);
      break;
    }
  }
  const summary = floor.summary();
  floor.destroy();
  return { ttfb_floor_ms: percentilesOf(summary), probes, ...(error !== undefined && !summary ? { error } : {}) };
}

async function benchLive(
  kind: CallKind,
  plan: BenchPlan,
  deps: BenchDeps,
  client: ResilientClient,
  random: () => number,
  signal: AbortSignal,
): Promise<{ figures: PatternFigures; latencies: number[]; stoppedBy: StopReason; retryAfterMs?: number }> {
  const tally = new PatternTally(plan.slo);
  let done = 0;
  const total = plan.load.requests;
  // An answer that overran its spend reservation cuts what is in flight (each keeps its reservation).
  const callSignal = AbortSignal.any([signal, deps.ledger.stopSignal]);
  setMaxListeners(0, callSignal);
  let retryAfterMs: number | undefined;
  deps.onProgress?.({ pattern: kind, done: 0, total, phase: plan.load.warmup > 0 ? 'warmup' : 'measuring' });
  let measuring = false;
  const load = await runLoad(plan.load, {
    random,
    stopReason: () => (deps.signal.aborted ? 'interrupted' : deps.ledger.capped ? 'spend_cap' : retryAfterMs !== undefined ? 'retry_after' : undefined),
    send: async (index, warmup) => {
      if (!warmup && !measuring) {
        measuring = true;
        deps.onProgress?.({ pattern: kind, done, total, phase: 'measuring' });
      }
      const req = requestFor(plan, kind, index, warmup);
      const outcome = await client.call(kind, req, callSignal);
      if (outcome.retryAfterBeyondMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, outcome.retryAfterBeyondMs);
      if (warmup) return;
      tally.add(outcome);
      if (deps.log) {
        const c = usageCost(outcome, deps);
        deps.log.write(logLine(outcome, req, deps.now(), { includeContent: deps.logContent, ...(c !== null ? { costUsd: round(c, 8) } : {}) }));
      }
    },
    onDone: () => {
      done += 1;
      deps.onProgress?.({ pattern: kind, done, total, phase: 'measuring' });
    },
  });
  deps.onProgress?.({ pattern: kind, done, total, phase: 'done' });
  // The ledger knows whether any answer came from a model without catalog prices: then the cost is unknown.
  const figures = tally.figures(load.measuredTo - load.measuredFrom, deps.ledger.unpriced ? null : deps.ledger.spentOn(kind));
  return { figures, latencies: tally.latencies, stoppedBy: load.stoppedBy, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

const CALL_TIMEOUT: Failure = { class: 'timeout', retryable: true, providerFault: true, message: 'no answer within the call timeout' };
const callTimeout = (): Error => new AttemptError(CALL_TIMEOUT);

function usageCost(o: CallOutcome, deps: BenchDeps): number | null {
  if (!o.usage) return 0;
  return deps.costOf(o.usage, o.model, false);
}

async function benchBatch(
  plan: BenchPlan,
  deps: BenchDeps,
  random: () => number,
  signal: AbortSignal,
): Promise<{ figures: BatchFigures; latencies: number[]; stoppedBy: StopReason }> {
  const tally = new PatternTally(plan.slo);
  // A batch has no concurrency or rate: its size is the request count (or the default when time-bounded).
  const size = plan.load.requests ?? 20;
  const items = Array.from({ length: size }, (_, i) => requestFor(plan, 'batch', i, false));
  const base = { batch_id: null, batch_status: 'not submitted', turnaround_ms: null, submit_ms: null, polls: 0, cancelled: false };
  const ticket = deps.ledger.reserveBatch(items);
  if (!ticket) {
    tally.skipped = size;
    return { figures: { ...tally.figures(0, 0), ...base }, latencies: [], stoppedBy: 'spend_cap' };
  }
  deps.onProgress?.({ pattern: 'batch', done: 0, total: size, phase: 'submitting' });
  let submittedId: string | undefined;
  const run = await runBatch(items, {
    adapter: plan.adapter,
    // Every batch call (upload, create, poll, download) has a deadline and ends at Ctrl-C.
    http: deps.http.bounded(deps.signal, plan.callTimeoutMs, callTimeout),
    retry: plan.retry,
    random,
    pollMs: plan.pollMs,
    maxPollMs: plan.maxPollMs,
    signal: deps.signal,
    ...(plan.load.durationMs !== undefined ? { deadlineMs: plan.load.durationMs } : {}),
    onSubmitted: (id) => {
      submittedId = id;
      deps.onProgress?.({ pattern: 'batch', done: 0, total: size, phase: 'polling', detail: id });
    },
    onPoll: (s) => deps.onProgress?.({ pattern: 'batch', done: 0, total: size, phase: 'polling', detail: `${s.id} ${s.status}` }),
  });
  void signal;
  if (run.notAvailable !== undefined) {
    ticket.settle('refused'); // the batch API answered 404: nothing was accepted, nothing is billed
    deps.onProgress?.({ pattern: 'batch', done: 0, total: size, phase: 'done' });
    const figures: BatchFigures = { ...tally.figures(0, 0), ...base, batch_status: 'not available', available: false, not_available: run.notAvailable };
    figures.ttft_ms = null;
    figures.goodput = null;
    return { figures, latencies: [], stoppedBy: 'not_available' };
  }
  let cancelled = false;
  if ((run.interrupted || run.outOfTime) && submittedId && plan.cancelOnExit) {
    try {
      // After Ctrl-C the run's signal is aborted: the cancel has its own deadline only.
      await plan.adapter.cancelBatch(deps.http.bounded(undefined, plan.callTimeoutMs, callTimeout), submittedId);
      cancelled = true;
    } catch {
      cancelled = false; // reported below by id: the user can cancel it themselves
    }
  }
  const ends: BatchItemEnd[] = [];
  const finished = !run.interrupted && !run.outOfTime && run.batchId !== undefined && run.resultsRead;
  if (finished) {
    for (const it of items) {
      const outcome = run.items.get(it.customId)!;
      tally.requests += 1;
      if (outcome.ok) {
        tally.ok += 1;
        if (run.turnaroundMs !== undefined) {
          tally.latency.record(run.turnaroundMs);
          tally.latencies.push(run.turnaroundMs);
        }
        ends.push({ ...(outcome.result.usage ? { usage: outcome.result.usage } : {}), text: outcome.result.text });
      } else {
        tally.failed += 1;
        tally.countError(outcome.failure.class);
        tally.noteError(outcome.failure);
        ends.push(undefined);
      }
    }
  }
  for (const f of run.errors) {
    tally.countError(f.class);
    tally.noteError(f);
  }
  tally.retries += run.retries;
  // Results read: billed as reported. A batch the provider holds without results read (interrupted, out of
  // time, a failed poll or download, a create that timed out) may bill every item: its reservation stays.
  ticket.settle(finished ? 'answered' : run.batchId !== undefined || run.maybeSubmitted ? 'unknown' : 'refused', ends);
  const batchCost = deps.costOf({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, plan.model, true) === null ? null : deps.ledger.spentOn('batch');
  deps.log?.write({
    ts: deps.now().toISOString(),
    pattern: 'batch',
    batch_id: run.batchId ?? null,
    status: run.status,
    items: size,
    ok: tally.ok,
    failed: tally.failed,
    turnaround_ms: run.turnaroundMs === undefined ? null : round(run.turnaroundMs),
    polls: run.polls,
    retries: run.retries,
    interrupted: run.interrupted,
    cancelled,
  });
  deps.onProgress?.({ pattern: 'batch', done: size, total: size, phase: 'done' });
  const figures: BatchFigures = {
    ...tally.figures(run.turnaroundMs ?? 0, batchCost),
    batch_id: run.batchId ?? null,
    batch_status: run.status,
    turnaround_ms: run.turnaroundMs === undefined ? null : round(run.turnaroundMs),
    submit_ms: run.submitMs === undefined ? null : round(run.submitMs),
    polls: run.polls,
    cancelled,
  };
  // Per-item timing does not exist inside a batch: every item's latency is the turnaround.
  figures.ttft_ms = null;
  figures.output_tokens_per_s = null;
  // An SLO on first-token or end-to-end time does not apply to an asynchronous batch.
  figures.goodput = null;
  return { figures, latencies: tally.latencies, stoppedBy: run.interrupted ? 'interrupted' : run.outOfTime ? 'duration' : 'done' };
}
