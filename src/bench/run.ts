// One benchmark run: the harness's TTFB floor first, then each pattern in turn on the same prompts —
// direct and streaming through the resilient client under the load plan, batch as one submitted batch.
// Ctrl-C stops sending, gives in-flight requests a short grace, and returns what was measured.
import { setMaxListeners } from 'node:events';
import { runBatch } from '../client/batch.js';
import { connectionDetail } from '../client/failure.js';
import type { BreakerPolicy } from '../client/breaker.js';
import type { Http } from '../client/http.js';
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
import type { SpendLedger } from './spend.js';
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
  interrupted: boolean;
  stopped_by: Partial<Record<Pattern, StopReason>>;
  /** Latencies of successful requests per pattern (for the terminal chart; not in --json). */
  latencies: Partial<Record<Pattern, number[]>>;
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
    interrupted: false,
    stopped_by: {},
    latencies: {},
  };
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
      ...(plan.fallbackModel ? { fallbackModel: plan.fallbackModel } : {}),
      ...(plan.estimateUsage ? { estimateUsage: plan.estimateUsage } : {}),
    });
  const clients: Array<[Pattern, ResilientClient]> = [];

  try {
    result.harness = await probeHarness(plan, deps, hard.signal);
    for (const pattern of plan.patterns) {
      if (deps.signal.aborted) break;
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
  for (let i = 0; i < plan.probes && !deps.signal.aborted; i++) {
    try {
      const res = await deps.http.send({ method: 'GET', path: plan.adapter.probePath, signal });
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
): Promise<{ figures: PatternFigures; latencies: number[]; stoppedBy: StopReason }> {
  const tally = new PatternTally(plan.slo);
  let done = 0;
  const total = plan.load.requests;
  deps.onProgress?.({ pattern: kind, done: 0, total, phase: plan.load.warmup > 0 ? 'warmup' : 'measuring' });
  let measuring = false;
  const load = await runLoad(plan.load, {
    random,
    stopReason: () => (deps.signal.aborted ? 'interrupted' : deps.ledger.capped ? 'spend_cap' : undefined),
    send: async (index, warmup) => {
      if (!warmup && !measuring) {
        measuring = true;
        deps.onProgress?.({ pattern: kind, done, total, phase: 'measuring' });
      }
      const req = requestFor(plan, kind, index, warmup);
      const outcome = await client.call(kind, req, signal);
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
  return { figures, latencies: tally.latencies, stoppedBy: load.stoppedBy };
}

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
  const ticket = deps.ledger.reserveMany(items, 'batch');
  if (!ticket) {
    tally.skipped = size;
    return { figures: { ...tally.figures(0, 0), ...base }, latencies: [], stoppedBy: 'spend_cap' };
  }
  deps.onProgress?.({ pattern: 'batch', done: 0, total: size, phase: 'submitting' });
  let submittedId: string | undefined;
  const run = await runBatch(items, {
    adapter: plan.adapter,
    http: deps.http,
    retry: plan.retry,
    random,
    pollMs: plan.pollMs,
    maxPollMs: plan.maxPollMs,
    signal: deps.signal,
    onSubmitted: (id) => {
      submittedId = id;
      deps.onProgress?.({ pattern: 'batch', done: 0, total: size, phase: 'polling', detail: id });
    },
    onPoll: (s) => deps.onProgress?.({ pattern: 'batch', done: 0, total: size, phase: 'polling', detail: `${s.id} ${s.status}` }),
  });
  void signal;
  if (run.notAvailable !== undefined) {
    ticket.settle(undefined);
    deps.onProgress?.({ pattern: 'batch', done: 0, total: size, phase: 'done' });
    const figures: BatchFigures = { ...tally.figures(0, 0), ...base, batch_status: 'not available', available: false, not_available: run.notAvailable };
    figures.ttft_ms = null;
    figures.goodput = null;
    return { figures, latencies: [], stoppedBy: 'not_available' };
  }
  let cancelled = false;
  if (run.interrupted && submittedId && plan.cancelOnExit) {
    try {
      await plan.adapter.cancelBatch(deps.http, submittedId);
      cancelled = true;
    } catch {
      cancelled = false; // reported below by id: the user can cancel it themselves
    }
  }
  const usages: Usage[] = [];
  if (!run.interrupted && run.batchId) {
    for (const it of items) {
      const outcome = run.items.get(it.customId)!;
      tally.requests += 1;
      if (outcome.ok) {
        tally.ok += 1;
        if (run.turnaroundMs !== undefined) {
          tally.latency.record(run.turnaroundMs);
          tally.latencies.push(run.turnaroundMs);
        }
        if (outcome.result.usage) usages.push(outcome.result.usage);
      } else {
        tally.failed += 1;
        tally.countError(outcome.failure.class);
        tally.noteError(outcome.failure);
      }
    }
  }
  for (const f of run.errors) {
    tally.countError(f.class);
    tally.noteError(f);
  }
  tally.retries += run.retries;
  deps.ledger.addBatchUsage(plan.model, usages);
  ticket.settle(undefined);
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
  return { figures, latencies: tally.latencies, stoppedBy: run.interrupted ? 'interrupted' : 'done' };
}
