// The decision engine (pure): which pattern a workload should use. RULES is the ordered rule table (the first
// rule that holds decides, with the thresholds from data/thresholds.yaml); explainDecision writes the chosen
// rule's reasons, which cite the numbers, why not each alternative and what it costs, and the warnings.
// A new rule is a row in RULES and its sentences in EXPLAIN.
import type { Thresholds } from '../catalog/schema.js';
import { PATTERNS, type Pattern, type PerPattern } from './pattern.js';
import type { WorkloadCost } from './cost/workload-cost.js';
import type { BatchCadence } from './cadence.js';
import type { LatencyEstimate } from './latency.js';
import { count, duration as formatDuration, percent, usd } from '../format.js';
import type { TaskKind } from '../workload/schema.js';

export interface DecisionInput {
  modelId: string;
  userFacing: boolean;
  task: TaskKind | undefined;
  toleranceS: number;
  outputTokens: number;
  cost: Pick<WorkloadCost, 'monthly' | 'overhead'>;
  latency: LatencyEstimate;
  /** How often a batch would be submitted for this tolerance (batchCadence). */
  batchCadence: BatchCadence;
  thresholds: Thresholds['values'];
  /** Batch must save at least this much per month (USD). */
  minBatchSavingUsd: number;
  /** Where that threshold came from, to tell the user how to change it. */
  minBatchSavingFrom: 'option' | 'file' | 'catalog';
}

export interface Alternative {
  pattern: Pattern;
  /** null where the model cannot use the pattern. */
  costUsdPerMonth: number | null;
  overheadUsdPerMonth: number | null;
  /** Its cost minus the recommended pattern's cost (list prices). */
  deltaUsdPerMonth: number | null;
  whyNot: string;
}

export interface Decision {
  pattern: Pattern;
  /** Direct calls fed from a queue (minutes-to-hours tolerance) rather than a caller blocking on them. */
  viaQueue: boolean;
  rule: DecisionRule;
  reasons: string[];
  warnings: string[];
  alternatives: Alternative[];
}

const TASK_CLAUSE: Partial<Record<TaskKind, string>> = {
  classification: 'classification and routing return a short label',
  moderation: 'moderation must finish before the content is shown',
  embedding: 'embeddings return a fixed-size vector, there is nothing to stream',
  extraction: 'extracted fields go into a database, not onto a screen',
  evaluation: 'evaluation results are read later, individual latency does not matter',
  labeling: 'labels go into a dataset, individual latency does not matter',
  generation: 'the generated text is stored, not watched',
  summarization: 'the summaries are stored, not watched',
};

/** "3 s" rather than "3.0 s" for whole seconds. */
function duration(seconds: number): string {
  return Number.isInteger(seconds) && seconds >= 1 && seconds < 60 ? `${seconds} s` : formatDuration(seconds);
}

/** What the rules look at, worked out once from the input. */
interface Situation {
  input: DecisionInput;
  /** A person watches the output: user-facing, and needed sooner than a queue would answer. */
  watched: boolean;
  /** Needed within seconds: under both the queue and the batch tolerance thresholds. */
  withinSeconds: boolean;
  /** Needed within the hour: under the batch tolerance threshold (batch only guarantees 24 h). */
  withinTheHour: boolean;
  /** The whole answer takes longer than a watcher waits for the first words. */
  slow: boolean;
  /** The answer is longer than a watcher should get in one piece. */
  long: boolean;
  /** What batch saves per month over direct calls; null where the model has no batch API. */
  batchSaving: number | null;
}

export function situation(x: DecisionInput): Situation {
  const t = x.thresholds;
  const tol = x.toleranceS;
  const { monthly } = x.cost;
  return {
    input: x,
    watched: x.userFacing && tol < t.queue_min_tolerance_s.value,
    withinSeconds: tol < t.batch_min_tolerance_s.value && tol < t.queue_min_tolerance_s.value,
    withinTheHour: tol < t.batch_min_tolerance_s.value,
    slow: x.latency.totalS > t.stream_total_time_s.value,
    long: x.outputTokens > t.stream_output_tokens.value,
    batchSaving: monthly.batch === null || monthly.direct === null ? null : monthly.direct - monthly.batch,
  };
}

interface Rule {
  id: string;
  pattern: Pattern;
  /** Direct calls fed from a queue (minutes-to-hours tolerance) rather than a caller blocking on them. */
  viaQueue?: boolean;
  when(s: Situation): boolean;
}

/** The decision rules, in order: the first whose `when` holds decides. The last always holds. */
export const RULES = [
  // Each step of a model chain feeds the next model, whether a person waits on the chain or it is needed within seconds.
  { id: 'chain-direct', pattern: 'direct', when: (s) => s.input.task === 'chain' && (s.watched || s.withinSeconds) },
  { id: 'watched-stream', pattern: 'streaming', when: (s) => s.watched && (s.slow || s.long) },
  { id: 'watched-direct', pattern: 'direct', when: (s) => s.watched },
  { id: 'realtime-direct', pattern: 'direct', when: (s) => s.withinSeconds },
  { id: 'queue-direct', pattern: 'direct', viaQueue: true, when: (s) => s.withinTheHour },
  // From here on no one waits: batch, unless it is not offered or not worth its machinery.
  { id: 'no-batch-api', pattern: 'direct', viaQueue: true, when: (s) => s.batchSaving === null },
  { id: 'batch-saving-too-small', pattern: 'direct', viaQueue: true, when: (s) => s.batchSaving! <= 0 || s.batchSaving! < s.input.minBatchSavingUsd },
  { id: 'batch', pattern: 'batch', when: () => true },
] as const satisfies readonly Rule[];

export type DecisionRule = (typeof RULES)[number]['id'];

export function decidePattern(x: DecisionInput): Decision {
  const s = situation(x);
  const rule = RULES.find((r) => r.when(s))!;
  return { pattern: rule.pattern, viaQueue: 'viaQueue' in rule ? rule.viaQueue : false, rule: rule.id, ...explainDecision(rule, x) };
}

/** A rule's sentences: its reasons and warnings, and why not each pattern it did not choose. */
interface Explanation {
  reasons: string[];
  warnings: string[];
  whyNot: Partial<PerPattern<string>>;
}

/** The phrases several rules' sentences share, worked out once. */
interface Words {
  s: Situation;
  x: DecisionInput;
  lat: LatencyEstimate;
  tol: number;
  /** "450 ms to the first token + 450 tokens at 85 tok/s" */
  speed: string;
  /** "$50.00/month (50%)": what batch saves. */
  saving: string;
  /** "$50.00/month threshold (set your own with …)" */
  threshold: string;
}

/** The reasons, warnings and alternatives (with their costs and why not) of the rule that decided. */
export function explainDecision(rule: (typeof RULES)[number], x: DecisionInput): Pick<Decision, 'reasons' | 'warnings' | 'alternatives'> {
  const s = situation(x);
  const { monthly, overhead } = x.cost;
  const lat = x.latency;
  const words: Words = {
    s,
    x,
    lat,
    tol: x.toleranceS,
    speed: x.outputTokens === 0 ? 'one round trip, no output tokens' : `${duration(lat.ttftS)} to the first token + ${count(x.outputTokens, 0)} tokens at ${count(lat.outputTokensPerS, 0)} tok/s`,
    saving: s.batchSaving === null ? '' : `${usd(s.batchSaving)}/month (${percent(s.batchSaving / (monthly.direct || 1))})`,
    threshold: `${usd(x.minBatchSavingUsd)}/month threshold${x.minBatchSavingFrom === 'catalog' ? ' (set your own with --min-batch-saving or settings.min_batch_saving_usd)' : x.minBatchSavingFrom === 'file' ? ' (settings.min_batch_saving_usd)' : ' (--min-batch-saving)'}`,
  };
  const { reasons, warnings, whyNot } = EXPLAIN[rule.id](words);
  const chosen = rule.pattern;
  const base = monthly[chosen];
  return {
    reasons,
    warnings,
    alternatives: PATTERNS.filter((p) => p !== chosen).map((p) => ({
      pattern: p,
      costUsdPerMonth: monthly[p],
      overheadUsdPerMonth: overhead[p],
      deltaUsdPerMonth: monthly[p] === null || base === null ? null : monthly[p]! - base,
      // A pattern the model does not offer says so, whatever the rule.
      whyNot: p === 'streaming' && monthly.streaming === null ? `${x.modelId} returns one response (an embedding model): nothing to stream` : p === 'batch' && monthly.batch === null ? `${x.modelId} has no batch API` : whyNot[p]!,
    })),
  };
}

/** Each rule's sentences. */
const EXPLAIN: Record<DecisionRule, (w: Words) => Explanation> = {
  'chain-direct': (w) => {
    if (!w.s.watched) return realtime(w, 'each step of a model chain feeds the next model', { streaming: CHAIN_STREAMING, batch: batchNeededSooner(w) });
    const { lat } = w;
    return {
      reasons: [`each step of a model chain feeds the next model: call every step directly; streaming between models adds complexity for no one (this step takes ${duration(lat.totalS)}: ${w.speed})`],
      warnings: w.s.slow ? [`a person waits on this chain and this step alone takes ${duration(lat.totalS)}: show progress between steps, or stream only the final step`] : [],
      whyNot: { streaming: CHAIN_STREAMING, batch: batchPersonWaits(w) },
    };
  },
  'watched-stream': (w) => {
    const { lat, tol, x } = w;
    const t = x.thresholds;
    const why = [
      w.s.slow ? `it takes ${duration(lat.totalS)} in total (${w.speed})` : undefined,
      w.s.long ? `the answer is ${count(x.outputTokens, 0)} tokens long (over ${count(t.stream_output_tokens.value, 0)})` : undefined,
    ]
      .filter(Boolean)
      .join(' and ');
    return {
      reasons: [`${watcher(w)} and ${why}: stream it, so the first words appear after ${duration(lat.ttftS)} (people read more than ${duration(t.stream_total_time_s.value)} of nothing as broken)`],
      warnings: lat.ttftS > tol ? [`even streamed, the first token takes ${duration(lat.ttftS)}, beyond the ${duration(tol)} tolerance: pick a model with a faster first token`] : [],
      whyNot: { direct: `same price, but the person sees nothing for ${duration(lat.totalS)}`, batch: batchPersonWaits(w) },
    };
  },
  'watched-direct': (w) => {
    const { lat, tol, x } = w;
    const t = x.thresholds;
    const clause = x.task ? TASK_CLAUSE[x.task] : undefined;
    return {
      reasons: [
        `${watcher(w)}, but the whole answer arrives in ${duration(lat.totalS)} (${w.speed}), under ${duration(t.stream_total_time_s.value)}, and is ${count(x.outputTokens, 0)} tokens (at most ${count(t.stream_output_tokens.value, 0)}): one direct call; streaming would add SSE parsing for no visible gain`,
        ...(clause ? [clause] : []),
      ],
      warnings: lat.totalS > tol ? [`the answer takes ${duration(lat.totalS)}, beyond the ${duration(tol)} tolerance`] : [],
      whyNot: { streaming: `same price; adds SSE parsing and partial-response handling for a ${duration(lat.totalS)} answer`, batch: batchPersonWaits(w) },
    };
  },
  'realtime-direct': (w) => realtime(w, w.x.task ? TASK_CLAUSE[w.x.task] : undefined, { streaming: NO_ONE_WATCHES, batch: batchNeededSooner(w) }),
  'queue-direct': (w) => {
    const { lat, tol, x } = w;
    const clause = x.task === 'chain' ? 'each step of a model chain feeds the next model' : x.task ? TASK_CLAUSE[x.task] : undefined;
    return {
      reasons: [
        `${clause ? `${clause}; ` : ''}the result is needed within ${duration(tol)}: put requests on a queue and call directly — batch APIs only guarantee ${duration(lat.batchGuaranteeS)} (most finish within ~${duration(lat.batchTypicalS)})`,
        ...(w.s.batchSaving !== null && w.s.batchSaving > 0 ? [`batch would save ${w.saving} if you accept the risk that a batch takes longer than ${duration(tol)}`] : []),
      ],
      warnings: [],
      whyNot: { streaming: NO_ONE_WATCHES, batch: `${cheaper(w.s.batchSaving)} if you accept the ${duration(lat.batchGuaranteeS)} guarantee (most finish within ~${duration(lat.batchTypicalS)})` },
    };
  },
  'no-batch-api': (w) => ({
    reasons: [`no one waits for the result (tolerance ${duration(w.tol)}), but ${w.x.modelId} has no batch API: call directly from a queue at an even rate`],
    warnings: [],
    whyNot: { streaming: NO_ONE_WATCHES, batch: batchNotWorthIt(w) },
  }),
  'batch-saving-too-small': (w) => {
    const saving = w.s.batchSaving!;
    return {
      reasons: [
        saving <= 0
          ? `no one waits for the result (tolerance ${duration(w.tol)}), but batch would cost ${usd(-saving)}/month more than direct: the prompt-cache discount does not stack with ${w.x.modelId}'s batch prices, so cached tokens cost more in a batch; call directly from a queue`
          : `no one waits for the result (tolerance ${duration(w.tol)}), but batch would save only ${w.saving}, under the ${w.threshold}: call directly from a queue and skip the batch machinery (job submission, polling, result matching)`,
      ],
      warnings: [],
      whyNot: { streaming: NO_ONE_WATCHES, batch: batchNotWorthIt(w) },
    };
  },
  batch: (w) => {
    const { lat, tol, x } = w;
    const { monthly } = x.cost;
    const clause = x.task ? TASK_CLAUSE[x.task] : undefined;
    const cadence = cadenceText(x.batchCadence, tol, lat);
    return {
      reasons: [`${clause ? `${clause}; ` : ''}no one waits for the result (tolerance ${duration(tol)}): batch costs ${usd(monthly.batch)} instead of ${usd(monthly.direct)} per month, saving ${w.saving}, above the ${w.threshold}`, cadence.reason],
      warnings: cadence.warning ? [cadence.warning] : [],
      whyNot: {
        direct: `${usd((monthly.direct ?? 0) - (monthly.batch ?? 0))}/month more for results no one waits for`,
        streaming: `${usd((monthly.streaming ?? 0) - (monthly.batch ?? 0))}/month more, and SSE parsing for output no one watches`,
      },
    };
  },
};

const NO_ONE_WATCHES = 'same price; no one watches the output, so SSE parsing and partial responses buy nothing';
const CHAIN_STREAMING = 'same price; the output feeds the next model, which needs the whole answer: SSE parsing and partial responses buy nothing';

/** Under ~5 s a person stares at the screen; up to a minute they wait but tolerate it (seed 003). */
function watcher(w: Words): string {
  return w.tol < w.x.thresholds.interactive_tolerance_s.value ? 'a person watches the output' : `a person waits for the output (up to ${duration(w.tol)})`;
}

/** No one watches, but the result is needed within seconds: one direct call. */
function realtime(w: Words, clause: string | undefined, whyNot: Explanation['whyNot']): Explanation {
  const { lat, tol, x } = w;
  const shortTokens = x.thresholds.short_output_tokens.value;
  const short = !clause && x.outputTokens > 0 && x.outputTokens <= shortTokens ? `the output is short (${count(x.outputTokens, 0)} tokens, at most ${count(shortTokens, 0)}), ` : '';
  return {
    reasons: [`${clause ? `${clause}; ` : ''}${short}no person watches the output and it is needed within ${duration(tol)}: a direct call (${duration(lat.totalS)}: ${w.speed})${x.cost.monthly.streaming === null ? '' : '; streaming would only add SSE parsing'}`],
    warnings: lat.totalS > tol ? [`a call takes ${duration(lat.totalS)} (${w.speed}) but must finish within ${duration(tol)}: pick a faster model or cap the output length`] : [],
    whyNot,
  };
}

function batchPersonWaits(w: Words): string {
  return `${cheaper(w.s.batchSaving)}, but results take minutes to hours (${duration(w.lat.batchGuaranteeS)} guarantee) and a person is waiting`;
}

function batchNeededSooner(w: Words): string {
  return `${cheaper(w.s.batchSaving)}, but needed within ${duration(w.tol)} and batch only guarantees ${duration(w.lat.batchGuaranteeS)}`;
}

function batchNotWorthIt(w: Words): string {
  const saving = w.s.batchSaving;
  return saving !== null && saving <= 0 ? `costs ${usd(-saving)}/month more: the cache discount does not stack with batch` : `saves only ${usd(saving)}/month, under the ${usd(w.x.minBatchSavingUsd)} threshold`;
}

/** "$12.00/month cheaper", or "$3.00/month dearer" where caching makes batch cost more. */
function cheaper(saving: number | null): string {
  return saving !== null && saving < 0 ? `${usd(-saving)}/month dearer (the cache discount does not stack with batch)` : `${usd(saving)}/month cheaper`;
}

/**
 * How often to submit, and why: a request waits up to one interval for the next submission, then the
 * turnaround. Warns where the typical case misses the tolerance, and that a tolerance inside the provider's
 * guarantee is met typically, not guaranteed.
 */
function cadenceText(c: BatchCadence, tol: number, lat: LatencyEstimate): { reason: string; warning?: string } {
  const every = duration(c.everyS);
  const turnaround = duration(lat.batchTypicalS);
  if (!c.meetsTypically) {
    return {
      reason: `submit a batch every ${every} (the shortest interval aip suggests, data/thresholds.yaml)`,
      warning: `batch cannot meet the ${duration(tol)} tolerance in the typical case: waiting for the next submission (up to ${every}) plus the typical ~${turnaround} turnaround takes up to ${duration(c.everyS + lat.batchTypicalS)}; call directly from a queue instead, or accept results later than ${duration(tol)}`,
    };
  }
  const room = c.withMargin ? '' : ', with little room for a batch slower than typical';
  const tight = c.tightened;
  const why = tight
    ? ` (not every ${duration(tight.fromEveryS)}: that leaves ${percent(tight.fromShare, 1)} of requests within the tolerance, ${tight.fromShare < tight.minShare ? 'under' : 'too close to'} the ${percent(tight.minShare)} threshold; every ${every} gives ${percent(tight.share, 1)}, room for batches slower than typical)`
    : '';
  const reason = `submit a batch every ${every}: a request waits at most ${every} for the next batch + ~${turnaround} turnaround, inside the ${duration(tol)} tolerance${room}${why}`;
  if (c.guaranteed) return { reason };
  // The oldest request of a batch is due (tolerance − interval) after the submission; fall back before that.
  const fallbackAfter = Math.max(tol - c.everyS - c.marginS, lat.batchTypicalS);
  return {
    reason,
    warning: `batch APIs guarantee results only within ${duration(lat.batchGuaranteeS)} of submission, so the ${duration(tol)} tolerance is met typically, not guaranteed: send what is unfinished ${duration(fallbackAfter)} after a submission as direct calls (its oldest requests are due ${duration(tol - c.everyS)} after it)`,
  };
}
