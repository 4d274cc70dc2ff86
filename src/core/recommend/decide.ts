// The decision engine (pure): which pattern a workload should use, by SPEC.md's decision rules with the
// thresholds from data/thresholds.yaml, with plain-language reasons that cite the numbers, the
// alternatives and what they cost, and the warnings that come with the choice.
import type { Thresholds } from '../catalog/schema.js';
import { PATTERNS, type Pattern, type PerPattern } from './pattern.js';
import type { WorkloadCost } from './cost/workload-cost.js';
import type { BatchCadence } from './cadence.js';
import type { LatencyEstimate } from './latency.js';
import { count, duration as formatDuration, percent, usd } from '../format.js';
import type { TaskKind } from '../workload/schema.js';

export type DecisionRule = 'watched-stream' | 'watched-direct' | 'chain-direct' | 'realtime-direct' | 'queue-direct' | 'batch' | 'batch-saving-too-small' | 'no-batch-api';

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

export function decidePattern(x: DecisionInput): Decision {
  const t = x.thresholds;
  const { monthly } = x.cost;
  const lat = x.latency;
  const tol = x.toleranceS;
  const reasons: string[] = [];
  const warnings: string[] = [];
  const speed = x.outputTokens === 0 ? 'one round trip, no output tokens' : `${duration(lat.ttftS)} to the first token + ${count(x.outputTokens, 0)} tokens at ${count(lat.outputTokensPerS, 0)} tok/s`;
  const watched = x.userFacing && tol < t.queue_min_tolerance_s.value;
  const batchSaving = monthly.batch === null || monthly.direct === null ? null : monthly.direct - monthly.batch;
  const savingText = batchSaving === null ? '' : `${usd(batchSaving)}/month (${percent(batchSaving / (monthly.direct || 1))})`;
  const thresholdText = `${usd(x.minBatchSavingUsd)}/month threshold${x.minBatchSavingFrom === 'catalog' ? ' (set your own with --min-batch-saving or settings.min_batch_saving_usd)' : x.minBatchSavingFrom === 'file' ? ' (settings.min_batch_saving_usd)' : ' (--min-batch-saving)'}`;
  let pattern: Pattern;
  let rule: DecisionRule;
  let viaQueue = false;

  if (watched) {
    const streamTime = t.stream_total_time_s.value;
    const streamTokens = t.stream_output_tokens.value;
    const slow = lat.totalS > streamTime;
    const long = x.outputTokens > streamTokens;
    // Under ~5 s a person stares at the screen; up to a minute they wait but tolerate it (seed 003).
    const who = tol < t.interactive_tolerance_s.value ? 'a person watches the output' : `a person waits for the output (up to ${duration(tol)})`;
    if (x.task === 'chain') {
      pattern = 'direct';
      rule = 'chain-direct';
      reasons.push(`each step of a model chain feeds the next model: call every step directly; streaming between models adds complexity for no one (this step takes ${duration(lat.totalS)}: ${speed})`);
      if (slow) warnings.push(`a person waits on this chain and this step alone takes ${duration(lat.totalS)}: show progress between steps, or stream only the final step`);
    } else if (slow || long) {
      pattern = 'streaming';
      rule = 'watched-stream';
      const why = [slow ? `it takes ${duration(lat.totalS)} in total (${speed})` : undefined, long ? `the answer is ${count(x.outputTokens, 0)} tokens long (over ${count(streamTokens, 0)})` : undefined].filter(Boolean).join(' and ');
      reasons.push(`${who} and ${why}: stream it, so the first words appear after ${duration(lat.ttftS)} (people read more than ${duration(streamTime)} of nothing as broken)`);
      if (lat.ttftS > tol) warnings.push(`even streamed, the first token takes ${duration(lat.ttftS)}, beyond the ${duration(tol)} tolerance: pick a model with a faster first token`);
    } else {
      pattern = 'direct';
      rule = 'watched-direct';
      reasons.push(`${who}, but the whole answer arrives in ${duration(lat.totalS)} (${speed}), under ${duration(streamTime)}, and is ${count(x.outputTokens, 0)} tokens (at most ${count(streamTokens, 0)}): one direct call; streaming would add SSE parsing for no visible gain`);
      if (lat.totalS > tol) warnings.push(`the answer takes ${duration(lat.totalS)}, beyond the ${duration(tol)} tolerance`);
    }
    if (x.task && TASK_CLAUSE[x.task] && pattern === 'direct' && x.task !== 'chain') reasons.push(`${TASK_CLAUSE[x.task]}`);
  } else if (tol < t.batch_min_tolerance_s.value) {
    const clause = x.task === 'chain' ? 'each step of a model chain feeds the next model' : x.task ? TASK_CLAUSE[x.task] : undefined;
    if (tol < t.queue_min_tolerance_s.value) {
      pattern = 'direct';
      rule = x.task === 'chain' ? 'chain-direct' : 'realtime-direct';
      const short = !clause && x.outputTokens > 0 && x.outputTokens <= t.short_output_tokens.value ? `the output is short (${count(x.outputTokens, 0)} tokens, at most ${count(t.short_output_tokens.value, 0)}), ` : '';
      reasons.push(`${clause ? `${clause}; ` : ''}${short}no person watches the output and it is needed within ${duration(tol)}: a direct call (${duration(lat.totalS)}: ${speed})${monthly.streaming === null ? '' : '; streaming would only add SSE parsing'}`);
      if (lat.totalS > tol) warnings.push(`a call takes ${duration(lat.totalS)} (${speed}) but must finish within ${duration(tol)}: pick a faster model or cap the output length`);
    } else {
      pattern = 'direct';
      viaQueue = true;
      rule = 'queue-direct';
      reasons.push(`${clause ? `${clause}; ` : ''}the result is needed within ${duration(tol)}: put requests on a queue and call directly — batch APIs only guarantee ${duration(lat.batchGuaranteeS)} (most finish within ~${duration(lat.batchTypicalS)})`);
      if (batchSaving !== null && batchSaving > 0) {
        reasons.push(`batch would save ${savingText} if you accept the risk that a batch takes longer than ${duration(tol)}`);
      }
    }
  } else {
    const clause = x.task ? TASK_CLAUSE[x.task] : undefined;
    if (monthly.batch === null || batchSaving === null) {
      pattern = 'direct';
      viaQueue = true;
      rule = 'no-batch-api';
      reasons.push(`no one waits for the result (tolerance ${duration(tol)}), but ${x.modelId} has no batch API: call directly from a queue at an even rate`);
    } else if (batchSaving <= 0) {
      pattern = 'direct';
      viaQueue = true;
      rule = 'batch-saving-too-small';
      reasons.push(
        `no one waits for the result (tolerance ${duration(tol)}), but batch would cost ${usd(-batchSaving)}/month more than direct: the prompt-cache discount does not stack with ${x.modelId}'s batch prices, so cached tokens cost more in a batch; call directly from a queue`,
      );
    } else if (batchSaving < x.minBatchSavingUsd) {
      pattern = 'direct';
      viaQueue = true;
      rule = 'batch-saving-too-small';
      reasons.push(`no one waits for the result (tolerance ${duration(tol)}), but batch would save only ${savingText}, under the ${thresholdText}: call directly from a queue and skip the batch machinery (job submission, polling, result matching)`);
    } else {
      pattern = 'batch';
      rule = 'batch';
      reasons.push(`${clause ? `${clause}; ` : ''}no one waits for the result (tolerance ${duration(tol)}): batch costs ${usd(monthly.batch)} instead of ${usd(monthly.direct)} per month, saving ${savingText}, above the ${thresholdText}`);
      const cadence = cadenceText(x.batchCadence, tol, lat);
      reasons.push(cadence.reason);
      if (cadence.warning) warnings.push(cadence.warning);
    }
  }
  return { pattern, viaQueue, rule, reasons, warnings, alternatives: alternatives(pattern, rule, x, lat, batchSaving) };
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
  const reason = `submit a batch every ${every}: a request waits at most ${every} for the next batch + ~${turnaround} turnaround, inside the ${duration(tol)} tolerance${room}`;
  if (c.guaranteed) return { reason };
  // The oldest request of a batch is due (tolerance − interval) after the submission; fall back before that.
  const fallbackAfter = Math.max(tol - c.everyS - c.marginS, lat.batchTypicalS);
  return {
    reason,
    warning: `batch APIs guarantee results only within ${duration(lat.batchGuaranteeS)} of submission, so the ${duration(tol)} tolerance is met typically, not guaranteed: send what is unfinished ${duration(fallbackAfter)} after a submission as direct calls (its oldest requests are due ${duration(tol - c.everyS)} after it)`,
  };
}

/** "$12.00/month cheaper", or "$3.00/month dearer" where caching makes batch cost more. */
function cheaper(saving: number | null): string {
  return saving !== null && saving < 0 ? `${usd(-saving)}/month dearer (the cache discount does not stack with batch)` : `${usd(saving)}/month cheaper`;
}

function alternatives(chosen: Pattern, rule: DecisionRule, x: DecisionInput, lat: LatencyEstimate, batchSaving: number | null): Alternative[] {
  const { monthly, overhead } = x.cost;
  const base = monthly[chosen];
  const whyNot: PerPattern<string> = {
    direct:
      chosen === 'streaming'
        ? `same price, but the person sees nothing for ${duration(lat.totalS)}`
        : `${usd((monthly.direct ?? 0) - (monthly.batch ?? 0))}/month more for results no one waits for`,
    streaming:
      monthly.streaming === null
        ? `${x.modelId} returns one response (an embedding model): nothing to stream`
        : chosen === 'direct' && (rule === 'watched-direct')
        ? `same price; adds SSE parsing and partial-response handling for a ${duration(lat.totalS)} answer`
        : rule === 'chain-direct'
          ? 'same price; the output feeds the next model, which needs the whole answer: SSE parsing and partial responses buy nothing'
          : chosen === 'direct'
          ? 'same price; no one watches the output, so SSE parsing and partial responses buy nothing'
          : `${usd((monthly.streaming ?? 0) - (monthly.batch ?? 0))}/month more, and SSE parsing for output no one watches`,
    batch:
      monthly.batch === null
        ? `${x.modelId} has no batch API`
        : rule === 'watched-stream' || rule === 'watched-direct' || (rule === 'chain-direct' && x.userFacing)
          ? `${cheaper(batchSaving)}, but results take minutes to hours (${duration(lat.batchGuaranteeS)} guarantee) and a person is waiting`
          : rule === 'realtime-direct' || rule === 'chain-direct'
            ? `${cheaper(batchSaving)}, but needed within ${duration(x.toleranceS)} and batch only guarantees ${duration(lat.batchGuaranteeS)}`
            : rule === 'queue-direct'
              ? `${cheaper(batchSaving)} if you accept the ${duration(lat.batchGuaranteeS)} guarantee (most finish within ~${duration(lat.batchTypicalS)})`
              : batchSaving !== null && batchSaving <= 0
                ? `costs ${usd(-batchSaving)}/month more: the cache discount does not stack with batch`
                : `saves only ${usd(batchSaving)}/month, under the ${usd(x.minBatchSavingUsd)} threshold`,
  };
  return PATTERNS
    .filter((p) => p !== chosen)
    .map((p) => ({
      pattern: p,
      costUsdPerMonth: monthly[p],
      overheadUsdPerMonth: overhead[p],
      deltaUsdPerMonth: monthly[p] === null || base === null ? null : monthly[p]! - base,
      whyNot: whyNot[p],
    }));
}
