// The terminal report of a run: one table (patterns as columns), the batch's turnaround, a latency
// histogram per pattern, the harness floor, breaker, spend and threshold verdicts. Returns a string.
import type { Palette } from './kit/color.js';
import { count, millis, percent, usdPrecise, usdSig } from '../core/format.js';
import { redactUrl } from '../core/safe-text.js';
import { fillLine, renderTable, wrapWords } from './kit/table.js';
import type { PatternFigures } from '../bench/collect.js';
import type { BrokenPattern, ThresholdVerdict } from '../bench/gates.js';
import type { BenchSetup } from '../bench/plan.js';
import type { BatchFigures, BenchResult, ProgressEvent } from '../bench/run.js';
import type { Pattern } from '../core/recommend/pattern.js';
import type { ProgressLine } from './kit/progress.js';
import type { Percentiles } from '../bench/stats.js';

export interface ReportHeader {
  target: string;
  model: string;
  detail: string;
}

/** The report's first line: where, which model, and the load. */
export function reportHeader(setup: BenchSetup): ReportHeader {
  const { target, load } = setup;
  const detail =
    load.ratePerS !== undefined
      ? `open loop ${load.ratePerS}/s${load.durationMs !== undefined ? ` for ${load.durationMs / 1000} s` : ''}`
      : `${load.requests ?? '∞'} requests${load.durationMs !== undefined ? ` or ${load.durationMs / 1000} s` : ''} at concurrency ${load.concurrency}`;
  const api = [setup.api === 'responses' ? 'Responses API' : '', setup.serviceTier ? `service tier ${setup.serviceTier}` : ''].filter(Boolean).join(', ');
  const where = target.name === 'sim' ? 'simulator' : `${target.name} ${redactUrl(target.baseUrl ?? '')}`;
  return { target: api ? `${where} (${api})` : where, model: setup.modelId, detail: `${detail}, warm-up ${load.warmup}, ${setup.maxTokens} output tokens max` };
}

/** The notes under the report: the target, the spend, why sending stopped, a batch left running, the file written. */
export function benchNotes(setup: BenchSetup, result: BenchResult, outFile: string | undefined): string[] {
  const sim = setup.simulator;
  const notes: string[] = [];
  if (setup.patternNote) notes.push(setup.patternNote);
  if (sim) {
    notes.push(
      `target: the built-in simulator in this process (latency ×${sim.latencyScale}, seed ${setup.seed}${Object.keys(sim.faults).length ? `, faults ${Object.entries(sim.faults).map(([k, v]) => `${k}:${v}`).join(',')}` : ''}); batch turnaround shortened to ~${sim.batchTurnaroundS * sim.latencyScale} s.`,
    );
  }
  if (setup.target.keyWithheld) {
    const host = new URL(setup.target.baseUrl!).host;
    notes.push(`${setup.target.keyWithheld} was not sent to ${host}: a key goes only to its provider's own host and to this machine (pass --send-key-to ${host} to send it there).`);
  }
  notes.push(`spend: ${result.spend_usd > 0 || setup.pricesFor(setup.modelId) ? usdPrecise(result.spend_usd) : 'unknown (no catalog price)'} at catalog list prices (warm-up included)${sim ? ' — what this run would cost on the real API; the simulator bills nothing' : ''}.`);
  const d = result.spend_detail;
  if (d.overruns > 0) {
    notes.push(`stopped: ${d.overruns} answer${d.overruns === 1 ? '' : 's'} reported usage above ${d.overruns === 1 ? 'its' : 'their'} reservation (+${usdPrecise(d.overrun_usd)}); requests in flight were cut and the run sent nothing more.`);
  } else if (result.spend_capped) notes.push(`stopped sending: the next request would have passed --max-spend $${setup.maxSpendUsd}.`);
  if (d.counted_locally > 0) notes.push(`${d.counted_locally} answer${d.counted_locally === 1 ? '' : 's'} came without usage: ${d.counted_locally === 1 ? 'its' : 'their'} tokens were counted by aip with the model's tokenizer.`);
  if (d.charged_worst_case > 0) notes.push(`${d.charged_worst_case} attempt${d.charged_worst_case === 1 ? '' : 's'} ended without an answer (timeout, lost connection, cut stream): each is counted at its worst case, as the server may bill it.`);
  for (const [pattern, s] of Object.entries(result.retry_after_s)) {
    notes.push(`${pattern} stopped: the server asked to wait ${s} s (retry-after), beyond what this run can wait; its figures cover what was measured before.`);
  }
  if (result.interrupted) notes.push('interrupted: figures cover what was measured before Ctrl-C.');
  const batchFig = result.patterns.batch as { batch_id: string | null; cancelled: boolean } | undefined;
  if (result.interrupted && batchFig?.batch_id && !batchFig.cancelled) notes.push(`batch ${batchFig.batch_id} was submitted and is still running (cancel it with --cancel-on-exit next time).`);
  if (outFile) notes.push(`wrote ${outFile}`);
  return notes;
}

/** 0.4321 → "0.43 ms", 1234.5 → "1.23 s" (the one format module's benchmark milliseconds). */
export const ms = millis;

/** A threshold's measured value in the unit its metric name says: "742 ms", "2.0%", "$0.00030", "45.9". */
export function thresholdActual(threshold: string, actual: number): string {
  const metric = /^\s*[a-z]+\.([a-z0-9_.]+)/i.exec(threshold)?.[1] ?? '';
  if (/_ms(\.|$)/.test(metric)) return millis(actual);
  if (/_rate(\.|$)/.test(metric)) return percent(actual, 1);
  if (/usd/.test(metric)) return usdPrecise(actual);
  return count(actual, actual >= 100 ? 0 : actual >= 10 ? 1 : 2);
}

function errorsText(errors: Record<string, number>): string {
  const parts = Object.entries(errors).map(([k, n]) => `${k}×${n}`);
  return parts.length ? parts.join(' ') : '-';
}

/** `quiet` (--quiet) leaves out the latency histograms, as simulate's --quiet leaves out its charts. */
export function renderReport(
  header: ReportHeader,
  result: BenchResult,
  verdicts: ThresholdVerdict[],
  c: Palette,
  notes: string[],
  opts: { quiet?: boolean; broken?: BrokenPattern[]; width?: number } = {},
): string {
  const width = opts.width ?? 120;
  const wrap = (line: string, hang = '  ') => wrapWords(line, width, hang);
  // A pattern the target does not offer gets a line, not a column of dashes.
  const unavailable = (Object.keys(result.patterns) as Pattern[]).filter((p) => result.patterns[p]?.available === false);
  const patterns = (Object.keys(result.patterns) as Pattern[]).filter((p) => result.patterns[p] && result.patterns[p].available !== false);
  const lines: string[] = [fillLine([c.bold('aip bench'), header.target, c.bold(header.model), header.detail], ' · ', width, '  ', '')];
  for (const p of unavailable) lines.push(wrap(`${p}: not available at this target (${(result.patterns[p] as BatchFigures).not_available ?? 'no batch API'})`));
  if (patterns.length === 0) {
    lines.push('nothing was measured.');
    return lines.join('\n');
  }
  const fig = (p: Pattern) => result.patterns[p] as PatternFigures;
  lines.push(c.bold(wrap(answerLine(result, patterns, verdicts, opts.broken ?? []), '')));
  const row = (label: string, f: (x: PatternFigures, p: Pattern) => string): string[] => [label, ...patterns.map((p) => f(fig(p), p))];
  const percentileRows = (label: string, pick: (x: PatternFigures, p: Pattern) => Percentiles | null, stats: Array<keyof Percentiles>): string[][] =>
    stats.map((st) => row(`${label} ${st}`, (x, p) => ms(pick(x, p)?.[st])));
  const rows: string[][] = [
    row('requests', (x) => count(x.requests)),
    row('ok / failed', (x) => `${count(x.ok)} / ${x.failed > 0 ? c.bad(count(x.failed)) : '0'}`),
    row('failed attempts by class', (x) => errorsText(x.errors)),
    row('retries', (x) => count(x.retries)),
    ...percentileRows('TTFB', (x, p) => (p === 'batch' ? null : x.ttfb_ms), ['p50', 'p99']),
    ...percentileRows('TTFT', (x) => x.ttft_ms, ['p50', 'p95', 'p99']),
    ...percentileRows('latency', (x) => x.latency_ms, ['p50', 'p95', 'p99']),
    ...percentileRows('ITL', (x) => x.itl_ms, ['p50', 'p99']),
    row('TPOT p50', (x) => (x.tpot_ms ? ms(x.tpot_ms.p50) : '-')),
    ...(patterns.some((p) => fig(p).reasoning_ms || fig(p).reasoning_tokens > 0)
      ? [row('reasoning p50', (x) => (x.reasoning_ms ? ms(x.reasoning_ms.p50) : '-')), row('reasoning tokens', (x) => count(x.reasoning_tokens))]
      : []),
    row('output tok/s p50', (x) => (x.output_tokens_per_s ? count(x.output_tokens_per_s.p50, 1) : '-')),
    // Requests per second that nothing answered are no throughput.
    row('throughput', (x, p) => (p === 'batch' || x.throughput_rps === null || x.ok === 0 ? '-' : `${count(x.throughput_rps, 2)} req/s`)),
  ];
  if (patterns.some((p) => fig(p).goodput)) {
    rows.push(row('goodput (met SLO)', (x) => (x.goodput && x.goodput.fraction !== null ? `${count(x.goodput.good)} (${(x.goodput.fraction * 100).toFixed(0)}%)` : '-')));
  }
  if (patterns.some((p) => fig(p).partial > 0 || fig(p).fallbacks > 0)) {
    rows.push(row('partial / fallbacks', (x) => `${x.partial} / ${x.fallbacks}`));
  }
  if (patterns.some((p) => fig(p).skipped_spend_cap > 0 || fig(p).interrupted_in_flight > 0)) {
    rows.push(row('not sent (cap) / cut', (x) => `${x.skipped_spend_cap} / ${x.interrupted_in_flight}`));
  }
  // Two significant figures in every cell of the row: a run's cost is fractions of a cent.
  rows.push(row('cost of the run', (x) => (x.cost_usd === null ? '-' : usdSig(x.cost_usd, 2))));
  lines.push(renderTable([{ header: '' }, ...patterns.map((p) => ({ header: p, align: 'right' as const }))], rows, { color: c.bold('x') !== 'x', width }));

  const batch = result.patterns.batch as BatchFigures | undefined;
  if (batch && batch.available !== false) {
    const id = batch.batch_id ?? 'none';
    lines.push(
      wrap(`batch ${id}: ${batch.batch_status}${batch.turnaround_ms !== null ? `, turnaround ${ms(batch.turnaround_ms)} (submit ${ms(batch.submit_ms)}, ${batch.polls} polls)` : ''}${batch.cancelled ? ', cancelled' : ''}`),
    );
  }
  const chart = opts.quiet ? '' : latencyChart(result.latencies, patterns);
  if (chart) lines.push('', c.bold('latency of successful requests'), chart);

  lines.push('');
  const floor = result.harness.ttfb_floor_ms;
  lines.push(
    wrap(
      floor
        ? `harness TTFB floor: p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)} (${result.harness.probes} zero-work probes; every TTFB above includes it)`
        : `harness TTFB floor: not measured (${result.harness.error ?? 'no probe answered'})`,
    ),
  );
  for (const n of figureNotes(patterns.map((p) => [p, fig(p)]))) lines.push(c.dim(wrap(n)));
  for (const [model, b] of Object.entries(result.breaker)) {
    if (b.opened > 0) lines.push(wrap(`circuit breaker for ${model}: opened ${b.opened}×, closed ${b.closed}×, now ${b.state}`));
  }
  for (const n of notes) lines.push(c.dim(wrap(n)));
  for (const v of verdicts) {
    const actual = v.actual === null ? 'no data' : thresholdActual(v.threshold, v.actual);
    lines.push(wrap(`${v.passed ? c.good('pass') : c.bad('FAIL')} ${v.threshold} (actual ${actual})`));
  }
  for (const b of opts.broken ?? []) lines.push(wrap(`${c.bad('FAIL')} ${b.pattern}: ${b.problem}`));
  return lines.join('\n');
}

/**
 * The answer first: how soon each pattern answered (p50), the requests that succeeded, the thresholds missed
 * and what the run would cost, in one sentence.
 */
function answerLine(result: BenchResult, patterns: Pattern[], verdicts: ThresholdVerdict[], broken: BrokenPattern[]): string {
  const parts: string[] = [];
  let requests = 0;
  let ok = 0;
  let cost: number | null = null;
  for (const p of patterns) {
    const f = result.patterns[p] as PatternFigures & Partial<BatchFigures>;
    requests += f.requests;
    ok += f.ok;
    if (f.cost_usd !== null) cost = (cost ?? 0) + f.cost_usd;
    if (p === 'batch') parts.push(f.turnaround_ms ? `batch came back in ${ms(f.turnaround_ms)}` : `batch ${f.batch_status ?? 'did not finish'}`);
    else if (f.ok === 0) parts.push(`${p} got no answer`);
    else if (p === 'streaming' && f.ttft_ms) parts.push(`streaming shows the first token in ${ms(f.ttft_ms.p50)} and ends in ${ms(f.latency_ms?.p50)}`);
    else parts.push(`${p} answers in ${ms(f.latency_ms?.p50)}`);
  }
  const missed = verdicts.filter((v) => !v.passed).length + broken.length;
  const gates = verdicts.length + broken.length === 0 ? '' : missed === 0 ? '; every threshold met' : `; ${missed} FAIL${missed === 1 ? '' : 's'} (below)`;
  const spend = cost === null || cost <= 0 ? '' : `, ${usdSig(cost, 2)} at list prices`;
  return `${ok > 0 ? 'Median: ' : ''}${parts.join(', ')}; ${count(ok)} of ${count(requests)} requests ok${spend}${gates}.`;
}

/** Fewer samples than this make p95 and p99 read close to the maximum. */
const FEW_SAMPLES = 100;

/** What a reader needs to know to trust the figures: thin percentiles, protocol differences, estimates. */
export function figureNotes(figures: Array<[Pattern, PatternFigures]>): string[] {
  const notes: string[] = [];
  const thin = figures.filter(([p, f]) => p !== 'batch' && f.samples && f.samples.latency_ms > 0 && f.samples.latency_ms < FEW_SAMPLES);
  if (thin.length > 0) {
    notes.push(
      `percentiles rest on fewer than ${FEW_SAMPLES} samples (${thin.map(([p, f]) => `${p}: ${f.samples.latency_ms}`).join(', ')}): p95 and p99 are close to the maximum; use --requests ${FEW_SAMPLES} or more for a tail.`,
    );
  }
  const noDone = figures.filter(([, f]) => f.no_terminal_event > 0);
  if (noDone.length > 0) {
    notes.push(
      `protocol difference: ${noDone.map(([p, f]) => `${f.no_terminal_event} ${p} stream${f.no_terminal_event === 1 ? '' : 's'}`).join(', ')} ended after the finish_reason without the terminal event ([DONE]); counted complete, as the official SDKs do, timed to the last event.`,
    );
  }
  const coalesced = figures.filter(([, f]) => f.itl_coalesced_tokens > 0);
  if (coalesced.length > 0) {
    notes.push(
      `ITL: ${coalesced.map(([p, f]) => `${f.itl_coalesced_tokens} ${p} tokens`).join(', ')} arrived several to one read; each read's interval was split evenly among its tokens.`,
    );
  }
  const estimated = figures.filter(([, f]) => f.usage_estimated > 0);
  if (estimated.length > 0) {
    notes.push(`usage estimated: the target sent no token counts for ${estimated.map(([p, f]) => `${f.usage_estimated} ${p}`).join(', ')} answers; aip counted them with the tokenizer (cost and TPOT rest on the count).`);
  }
  return notes;
}

/**
 * A histogram per live pattern, each over its own range: the shape of its latency distribution at a glance.
 * (Every item of a batch has the same latency — its turnaround — so batch has no chart.)
 */
export function latencyChart(latencies: Partial<Record<Pattern, number[]>>, patterns: Pattern[], buckets = 6, width = 30): string {
  const out: string[] = [];
  for (const p of patterns) {
    const values = latencies[p] ?? [];
    if (p === 'batch' || values.length === 0) continue;
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const n = hi > lo ? buckets : 1;
    const step = hi > lo ? (hi - lo) / n : 1;
    const counts = new Array<number>(n).fill(0);
    for (const v of values) counts[Math.min(n - 1, Math.floor((v - lo) / step))]! += 1;
    const peak = Math.max(...counts);
    out.push(`  ${p}`);
    counts.forEach((k, i) => {
      const from = lo + i * step;
      const to = hi > lo ? from + step : hi;
      const bar = '█'.repeat(Math.round((k / peak) * width)) || (k > 0 ? '▏' : '');
      out.push(`    ${ms(from).padStart(9)} – ${ms(to).padEnd(9)} ${bar} ${k > 0 ? k : ''}`.trimEnd());
    });
  }
  return out.join('\n');
}

/** bench's progress events on the shared progress line: a bar per pattern, or the batch's phase. */
export function benchProgress(line: ProgressLine): { update(e: ProgressEvent): void; clear(): void } {
  return {
    update(e) {
      const final = e.phase === 'done';
      if (e.phase === 'submitting' || e.phase === 'polling') line.status(`${e.pattern}: ${e.phase} ${e.detail ?? ''}`, final);
      else if (e.phase === 'warmup') line.status(`${e.pattern}: warming up`, final);
      else if (e.total !== undefined) line.update(e.done, e.total, e.pattern.padEnd(9), 'requests');
      else line.status(`${e.pattern.padEnd(9)} ${e.done} requests`, final);
    },
    clear: () => line.clear(),
  };
}

