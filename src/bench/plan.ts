// From bench's options, the catalog and the workload they name to a checked plan: target and model, prompts
// and how their input tokens are counted, prices, load, the client's resilience settings (from the policy
// `aip recommend` prints) and the simulator's shape. Nothing is sent; every problem is a UsageError first.
import type { TimeoutPolicy } from '../client/resilient.js';
import { timeoutPolicy, type ModelSpeed } from '../client/timeouts.js';
import type { ProviderName, Usage } from '../client/providers/types.js';
import type { Catalog, Model } from '../core/catalog/schema.js';
import { UsageError } from '../core/errors.js';
import { effectivePrices, type EffectivePrices } from '../core/recommend/cost/prices.js';
import { resiliencePolicy } from '../core/recommend/resilience-policy.js';
import { closest } from '../core/suggest.js';
import { counterForModel, type TokenCounter } from '../core/tokens/tokenizer.js';
import type { Workload, WorkloadFile } from '../core/workload/normalise.js';
import { FAULT_KINDS, parseFaultSpecs, type FaultRates } from '../provider-sim/faults.js';
import type { BatchTurnaround } from '../provider-sim/state.js';
import { checkThreshold, emptyFigures } from './gates.js';
import type { LoadPlan } from './load.js';
import { DEFAULT_MODEL, DEFAULTS, REAL_FIRST_POLL_MAX_MS, SIM_POLL_MS, type ApiName } from './defaults.js';
import {
  resolveBenchModel,
  resolveGates,
  resolveLoad,
  resolvePatterns,
  resolveResilience,
  resolveTarget,
  isOpenAiItself,
  resolveApi,
  resolveServiceTier,
  type BenchOptions,
  type Gates,
  type ResilienceSettings,
  type Target,
} from './options.js';
import { BUILT_IN_PROMPTS, type Prompt } from './prompts.js';
import type { Pattern } from '../core/recommend/pattern.js';

/**
 * Tokens a chat request carries beyond its text (role markers, message separators, the priming of the answer;
 * OpenAI's token-counting guide puts them at a few per message), added to every request's input count so the
 * spend cap reserves a little more than the text, never less.
 */
const MESSAGE_FRAMING_TOKENS = 8;
/** Without a tokenizer (no count needed, or a model the catalog does not know): ~4 characters a token in English. */
const CHARS_PER_TOKEN = 4;

/**
 * An open loop sends on its schedule whether or not answers came back, so what is in flight is not bounded by
 * --concurrency: the pool gets at least this many connections, so a burst queues at the server (measured) and
 * not in the client's own pool (hidden from every figure).
 */
const OPEN_LOOP_MIN_CONNECTIONS = 256;
/** A spare connection above the load's own, so a send never waits for one that is still being handed back. */
const SPARE_CONNECTIONS = 1;

/** Zero-work requests that measure the harness's TTFB floor; the first pays for the connection and is dropped. */
const HARNESS_PROBES = 11;
/** Deadline of a call outside the measured requests (start-up probe, batch upload/create/poll/download/cancel). */
const CALL_TIMEOUT_MS = 60_000;
/** After Ctrl-C, requests in flight get this long to finish before they are cut. */
const INTERRUPT_GRACE_MS = 1000;

/**
 * The simulated batch of a bench run. A real batch's median is ~20 minutes; a run cannot wait that, so the batch
 * takes --batch-turnaround seconds (scaled like every simulator delay) with a narrow lognormal spread, so the
 * run's single batch lands near the turnaround asked for (the simulator's own default spread is 0.6).
 */
const SIM_BATCH_SIGMA = 0.2;
/** Validating, finalizing and cancelling each take a tenth of the turnaround (it is this many phases long). */
const SIM_BATCH_TURNAROUNDS_PER_PHASE = 10;
/** The completion window is this many turnarounds long, so the batch-expire fault shows within the run. */
const SIM_BATCH_WINDOW_TURNAROUNDS = 3;

/** What the options say before the catalog is read: where, how much, and the gates (their metrics checked). */
interface CheckedOptions {
  target: Omit<Target, 'provider'>;
  load: LoadPlan;
  gates: Gates;
}

export function checkRunOptions(opts: BenchOptions, env: Record<string, string | undefined>): CheckedOptions {
  const target = resolveTarget(opts, env);
  const load = resolveLoad(opts);
  const gates = resolveGates(opts);
  // An unknown metric is a usage error now, not after a run that cost money.
  for (const t of gates.thresholds) checkThreshold(t, undefined, emptyFigures());
  return { target, load, gates };
}

/** --name: the workload of the file to take model, sizes and fallback from. */
export function pickWorkload(file: WorkloadFile, opts: BenchOptions): Workload {
  const names = file.workloads.map((w) => w.name);
  if (opts.name === undefined) {
    if (file.workloads.length === 1) return file.workloads[0]!;
    throw new UsageError('the file holds several workloads: say which', { option: '--name', file: opts.workload!, expected: `one of ${names.join(', ')}`, code: 'E_WORKLOAD_NAME' });
  }
  const w = file.workloads.find((x) => x.name === opts.name);
  if (!w) {
    const [near] = closest(opts.name, names);
    throw new UsageError(`no workload named "${opts.name}" in ${opts.workload}`, { option: '--name', expected: `one of ${names.join(', ')}`, ...(near ? { hint: `did you mean ${near}?` } : {}), code: 'E_WORKLOAD_NAME' });
  }
  return w;
}

interface SimulatorPlan {
  latencyScale: number;
  faults: FaultRates;
  /** Median batch turnaround before scaling, s. */
  batchTurnaroundS: number;
  batchTurnaround: BatchTurnaround;
}

/** The checked plan of one bench run. */
export interface BenchSetup extends CheckedOptions {
  /** Wire protocol: the real target's, or on the simulator the model's provider. */
  provider: ProviderName;
  /** The OpenAI API called (chat completions or Responses); `chat` on the other protocols. */
  api: ApiName;
  /** service_tier sent with each request (OpenAI protocol). */
  serviceTier: string | undefined;
  /** Where the output cap goes on the OpenAI protocol (both fields for a generic OpenAI-compatible server). */
  capFields: 'completion' | 'both';
  /** --max-error-rate. */
  maxErrorRate: number | undefined;
  /** Usage counted with the model's tokenizer (or ~4 characters a token) for an answer that carried none. */
  estimateUsage(req: { system?: string; prompt: string }, text: string): Usage;
  /** The catalog model (undefined: a name only an OpenAI-compatible server knows). */
  model: Model | undefined;
  modelId: string;
  fallback: Model | undefined;
  patterns: Pattern[];
  /** Why a pattern was left out, for the report. */
  patternNote: string | undefined;
  maxTokens: number;
  prompts: Prompt[];
  /** Input tokens a request is billed for: its text counted with the model's tokenizer, plus framing. */
  inputTokens(req: { system?: string; prompt: string }): number;
  /** Output tokens of an answer's text (the model's tokenizer), for a server that reports no usage. */
  outputTokens(text: string): number;
  /** Catalog prices of a model of this run (undefined: none known). */
  pricesFor(id: string): EffectivePrices | undefined;
  maxSpendUsd: number | undefined;
  resilience: ResilienceSettings;
  timeouts: TimeoutPolicy;
  /** Connections of the pool to the target. */
  connections: number;
  pollMs: number;
  maxPollMs: number;
  probes: number;
  graceMs: number;
  /** Deadline of the start-up probe and of each batch call (upload, create, poll, download, cancel). */
  callTimeoutMs: number;
  seed: number;
  cancelOnExit: boolean;
  logContent: boolean;
  /** Set when the target is the built-in simulator. */
  simulator: SimulatorPlan | undefined;
}

interface PlanInputs {
  catalog: Catalog;
  workload: Workload | undefined;
  /** Reads --prompt files (the command's file access). */
  readPrompts(files: string[]): Promise<Prompt[]>;
}

export async function resolveBenchPlan(opts: BenchOptions, checked: CheckedOptions, inputs: PlanInputs): Promise<BenchSetup> {
  const { target } = checked;
  const { catalog, workload } = inputs;
  // A workload supplies model, sizes and fallback; explicit flags win.
  const modelName = opts.model ?? workload?.model.id ?? DEFAULT_MODEL[target.name];
  const modelOption = opts.model === undefined && workload ? `--workload ${opts.workload} (${workload.name}: model)` : '--model';
  const model = resolveBenchModel(catalog, modelName, target.name, opts.baseUrl !== undefined, modelOption);
  const modelId = model?.id ?? modelName;
  const fallbackName = opts.fallback ?? workload?.fallback?.id;
  const fallbackOption = opts.fallback === undefined && workload ? `--workload ${opts.workload} (${workload.name}: fallback)` : '--fallback';
  const fallback = fallbackName !== undefined ? resolveBenchModel(catalog, fallbackName, target.name, opts.baseUrl !== undefined, fallbackOption) : undefined;
  const { patterns, note: patternNote } = resolvePatterns(opts.patterns, model ? model.batch_api : true);
  const maxTokens = opts.maxTokens ?? workload?.output.tokens ?? DEFAULTS.maxTokens;
  if (maxTokens < 1) throw new UsageError('the output cap must be at least 1 token', { option: '--max-tokens', expected: 'a whole number ≥ 1', code: 'E_MAX_TOKENS' });

  // The tokenizer (hundreds of ms to load, and garbage the collector clears later — during measuring: measured
  // 17 → 44 ms TTFB p50 at concurrency 64) is loaded up front only where a count matters before the run: a spend
  // cap, a prompt sized to a workload, or the simulator (which loads it anyway). An answer without usage (some
  // OpenAI-compatible servers) loads it then; until it is there, output is counted at ~4 characters a token.
  const needCounts = opts.maxSpend !== undefined || (workload !== undefined && !opts.prompt?.length) || target.name === 'sim';
  let counter = model && needCounts ? await counterForModel(model) : undefined;
  let loading = false;
  const outputCounter = (): TokenCounter | undefined => {
    if (!counter && model && !loading) {
      loading = true;
      void counterForModel(model).then((c) => (counter = c), () => undefined);
    }
    return counter;
  };
  const countText = (text: string) => counter?.count(text) ?? Math.ceil(text.length / CHARS_PER_TOKEN);
  const prompts = opts.prompt?.length ? await inputs.readPrompts(opts.prompt) : workload ? [{ prompt: promptOfTokens(workload.input.tokens, countText) }] : [...BUILT_IN_PROMPTS];
  const inputTokens = inputTokenCounter(counter);

  const modelsById = new Map<string, Model>([...(model ? [[model.id, model] as const] : []), ...(fallback ? [[fallback.id, fallback] as const] : [])]);
  const prices = new Map<string, EffectivePrices | undefined>();
  const pricesFor = (id: string) => {
    if (!prices.has(id)) {
      const m = modelsById.get(id);
      prices.set(id, m ? effectivePrices(m, workload?.pricing, inputTokens(prompts[0]!)) : undefined);
    }
    return prices.get(id);
  };
  if (opts.maxSpend !== undefined && !pricesFor(modelId)) {
    throw new UsageError(`no catalog price for "${modelId}": the spend cap cannot be enforced`, {
      option: '--max-spend',
      expected: 'a model with prices in the catalog',
      hint: 'add its prices with --catalog FILE, or drop --max-spend',
      code: 'E_NO_PRICE',
    });
  }

  const simScale = target.name === 'sim' ? (opts.latencyScale ?? DEFAULTS.latencyScale) : undefined;
  const resilience = resolveResilience(opts, resiliencePolicy(catalog.thresholds.values), simScale);
  const speedOf = (id: string): ModelSpeed | undefined => {
    const m = modelsById.get(id);
    if (!m) return undefined;
    const s = simScale ?? 1;
    return s > 0 ? { ttftS: m.speed.ttft_s * s, outputTokensPerS: m.speed.output_tokens_per_s / s } : { ttftS: 0, outputTokensPerS: Number.POSITIVE_INFINITY };
  };
  const timeouts = timeoutPolicy(speedOf, resilience.sizing, resilience.fixedTimeoutMs);
  const batchTurnaroundS = opts.batchTurnaround ?? DEFAULTS.simBatchTurnaroundS;
  const simulator = simScale !== undefined ? { latencyScale: simScale, faults: faultRates(opts), batchTurnaroundS, batchTurnaround: simBatchTurnaround(batchTurnaroundS) } : undefined;
  const { load } = checked;
  const provider: ProviderName = target.name === 'sim' ? (model?.provider === 'anthropic' ? 'anthropic' : model?.provider === 'google' ? 'gemini' : 'openai') : target.name;
  const api = resolveApi(opts, provider);
  const serviceTier = resolveServiceTier(opts, provider);

  return {
    ...checked,
    provider,
    api,
    serviceTier,
    capFields: target.name === 'openai' && !isOpenAiItself(target.baseUrl) ? 'both' : 'completion',
    maxErrorRate: opts.maxErrorRate,
    estimateUsage: (req, text) => ({ inputTokens: inputTokens(req), outputTokens: text ? (outputCounter()?.count(text) ?? Math.ceil(text.length / CHARS_PER_TOKEN)) : 0, cachedInputTokens: 0, estimated: true }),
    model,
    modelId,
    fallback,
    patterns,
    patternNote,
    maxTokens,
    prompts,
    inputTokens,
    outputTokens: countText,
    pricesFor,
    maxSpendUsd: opts.maxSpend,
    resilience,
    timeouts,
    connections: (load.ratePerS !== undefined ? Math.max(load.concurrency, OPEN_LOOP_MIN_CONNECTIONS) : load.concurrency) + SPARE_CONNECTIONS,
    // On a real target, poll as the resilience plan says; the simulator's seconds-long batch is polled faster.
    pollMs:
      opts.pollInterval !== undefined
        ? opts.pollInterval
        : simScale !== undefined
          ? Math.max(SIM_POLL_MS.firstFloor, SIM_POLL_MS.first * simScale)
          : Math.min(REAL_FIRST_POLL_MAX_MS, resilience.pollMs),
    maxPollMs: simScale !== undefined ? Math.max(SIM_POLL_MS.maxFloor, SIM_POLL_MS.max * simScale) : resilience.pollMs,
    probes: HARNESS_PROBES,
    graceMs: INTERRUPT_GRACE_MS,
    // --timeout bounds these calls too; without it a minute (an upload of a large batch file takes a while).
    callTimeoutMs: opts.timeout ?? CALL_TIMEOUT_MS,
    seed: opts.seed ?? DEFAULTS.seed,
    cancelOnExit: opts.cancelOnExit === true,
    logContent: opts.logContent === true,
    simulator,
  };
}

/**
 * Billed input tokens per request, counted once per distinct prompt (keyed by the prompt strings themselves, no
 * new string per send): tokenizing, or even building a key, on every send would slow the client under load.
 */
function inputTokenCounter(counter: TokenCounter | undefined): (req: { system?: string; prompt: string }) => number {
  const counted = new Map<string, Map<string, number>>();
  return (req) => {
    let bySystem = counted.get(req.prompt);
    if (!bySystem) counted.set(req.prompt, (bySystem = new Map()));
    const system = req.system ?? '';
    let n = bySystem.get(system);
    if (n === undefined) {
      const text = `${system}\n${req.prompt}`;
      n = (counter ? counter.count(text) : Math.ceil(text.length / CHARS_PER_TOKEN)) + MESSAGE_FRAMING_TOKENS;
      bySystem.set(system, n);
    }
    return n;
  };
}

/** A prompt of about `tokens` tokens (the workload's mean input), built from plain sentences. */
function promptOfTokens(tokens: number, countTokens: (text: string) => number): string {
  const sentence = 'The customer asks about the status of an order and wants a short, clear answer. ';
  const per = Math.max(1, countTokens(sentence));
  let text = sentence.repeat(Math.max(1, Math.floor(tokens / per)));
  while (countTokens(text) > tokens && text.length > sentence.length) text = text.slice(0, -sentence.length);
  return text;
}

function faultRates(opts: BenchOptions): FaultRates {
  try {
    return parseFaultSpecs(opts.fault ?? []);
  } catch (err) {
    throw new UsageError((err as Error).message, { option: '--fault', expected: `KIND:RATE with KIND one of ${FAULT_KINDS.join(', ')}`, code: 'E_FAULT' });
  }
}

function simBatchTurnaround(medianS: number): BatchTurnaround {
  return {
    medianSeconds: medianS,
    sigma: SIM_BATCH_SIGMA,
    validatingSeconds: medianS / SIM_BATCH_TURNAROUNDS_PER_PHASE,
    finalizingSeconds: medianS / SIM_BATCH_TURNAROUNDS_PER_PHASE,
    cancelSeconds: medianS / SIM_BATCH_TURNAROUNDS_PER_PHASE,
    windowHours: (medianS * SIM_BATCH_WINDOW_TURNAROUNDS) / 3600,
  };
}
