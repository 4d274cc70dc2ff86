// The terminal rendering of a recommendation: the portfolio summary first (summary.ts); with --details (or
// aip explain) one block per workload (pattern, reasons, cost of each pattern, latency, limits, resilience
// plan, its own warnings), then what the blocks share, printed once. Returns a string.
import { inline } from '../../core/safe-text.js';
import { PATTERNS } from '../../core/recommend/pattern.js';
import { palette, stripColor, type Palette } from '../kit/color.js';
import { compact, count, duration, percent, usd, usdSig } from '../../core/format.js';
import { renderColumns, wrapWords } from '../kit/table.js';
import { longChoiceLabel } from '../../core/recommend/choice-label.js';
import { renderSummary } from './summary.js';
import { groupWarnings, nameList, type WarningGroup } from './warnings.js';
import type { RecommendReport, WorkloadRecommendation } from '../../core/recommend/build.js';
import { optionsLines } from './options.js';

export interface TableRenderOptions {
  color: boolean;
  quiet: boolean;
  /** Rendered charts by workload name (--chart). */
  charts?: Map<string, string>;
  /** The columns to fit (ctx.width); undefined = never wrap (the wizard's own screen). */
  width?: number;
  /** --details: each workload's full block after the summary, and what they share once. */
  details?: boolean;
  /** aip explain: only these workloads' blocks (and what they share), no portfolio. */
  only?: readonly string[];
  /** The file(s) as typed, for the hint that tells how to see the details. */
  files?: readonly string[];
}

const UNBOUNDED = 10_000;

/**
 * The recommendation for a terminal. Summary first (the portfolio, the total, grouped warnings); with
 * `details`, then one block per workload and the material the blocks share, printed once; with `only`, the
 * blocks of the named workloads. Everything fits `width`.
 */
export function renderRecommendTable(report: RecommendReport, opts: TableRenderOptions): string {
  const c = palette(opts.color);
  const width = Math.max(40, opts.width ?? UNBOUNDED);
  const shown = opts.only ? report.workloads.filter((r) => opts.only!.includes(r.workload.name)) : report.workloads;
  const parts: string[] = [];
  if (!opts.only) {
    const files = (opts.files ?? []).join(' ') || 'FILE';
    const first = report.workloads[0]?.workload.name ?? 'NAME';
    const hint = opts.details ? undefined : `Why, cost per pattern, limits and resilience plan: aip recommend ${files} --details (all) or aip explain ${first} ${files} (one).`;
    parts.push(renderSummary(report, { c, width, quiet: opts.quiet, hint }));
  }
  const blocks = opts.details || opts.only;
  if (blocks && !opts.quiet) {
    const common = commonParts(shown);
    const explained = new Set<string>();
    const groups = groupWarnings({ ...report, workloads: shown, catalogWarnings: opts.only ? report.catalogWarnings : [] });
    const shared = new Set(groups.flatMap((g) => g.texts.filter((t) => t.workloads.length > 1).map((t) => t.text)));
    for (const r of shown) parts.push(wrapProse(workloadDetail(r, { c, common, sharedWarnings: shared, chart: opts.charts?.get(r.workload.name), explained }), width));
    parts.push(wrapProse(sharedSection(report, shown, common, groups, c), width));
  } else if (opts.charts && !opts.quiet) {
    for (const r of shown) {
      const chart = opts.charts.get(r.workload.name);
      if (chart) parts.push(wrapProse(chart, width));
    }
  }
  return parts.join('\n\n');
}

/** "direct (from a queue), priority tier": the recommended choice in prose and headings. */
export function patternLabel(r: WorkloadRecommendation): string {
  return longChoiceLabel({ pattern: r.decision.pattern, viaQueue: r.decision.viaQueue, serviceTier: r.options.chosen.serviceTier });
}

/** What every detail section is handed. */
export interface DetailContext {
  c: Palette;
  /** Plan items every shown workload shares: printed once under "Common to every workload", not per block. */
  common: ReadonlySet<string>;
  /** Warning texts given for more than one shown workload: printed once, with the workloads, after the blocks. */
  sharedWarnings: ReadonlySet<string>;
  chart?: string;
  /** Marks explained so far in this output (a legend the first time a mark appears). */
  explained: Set<string>;
}

/**
 * One workload's detail block, section by section. A new section (say, the service-tier options) is a
 * function from the recommendation to lines, added to this list where it should appear.
 */
export const DETAIL_SECTIONS: ReadonlyArray<(r: WorkloadRecommendation, d: DetailContext) => string[]> = [
  headerSection,
  costSection,
  optionsSection,
  runningSection,
  warningSection,
  chartSection,
];

export function workloadDetail(r: WorkloadRecommendation, d: DetailContext): string {
  const sections = DETAIL_SECTIONS.map((s) => s(r, d)).filter((lines) => lines.length > 0);
  return sections.map((lines) => lines.join('\n')).join('\n\n');
}

function headerSection(r: WorkloadRecommendation, { c, explained }: DetailContext): string[] {
  const w = r.workload;
  const lines: string[] = [];
  // "~" marks an estimated count; the first one in the output says so.
  const tilde = w.input.approximate ? (explained.has('~') ? '~' : '~ (~ = estimated)') : '';
  if (w.input.approximate) explained.add('~');
  const facts = [
    w.model.id,
    `${count(w.requestsPerMonth, 0)} requests/month`,
    `${count(w.input.tokens, 0)}${tilde} in${w.input.cachedFraction > 0 ? ` (${percent(w.input.cachedFraction)} cached)` : ''} / ${count(w.output.tokens, 0)} out tokens`,
    `tolerance ${duration(w.toleranceSeconds)}`,
    ...(w.userFacing ? ['user-facing'] : []),
  ];
  lines.push(`${c.bold(inline(w.name))}  ${c.dim(`${inline(w.file)}:${w.line}`)}`);
  lines.push(`  ${facts.join(' · ')}`);
  lines.push(`  ${c.good(c.bold(`→ ${patternLabel(r).toUpperCase()}`))}`);
  for (const reason of r.decision.reasons) lines.push(`    ${reason}`);
  if (w.input.promptFiles.length > 0) {
    lines.push(`    ${c.dim(`input tokens: mean of ${w.input.promptFiles.map((f) => `${inline(f.path)} (${count(f.tokens, 0)})`).join(', ')}${w.input.extraTokens ? ` + ${count(w.input.extraTokens, 0)} extra` : ''}`)}`);
  }
  return lines;
}

function costSection(r: WorkloadRecommendation, { c }: DetailContext): string[] {
  const w = r.workload;
  const lines: string[] = [];
  // The patterns at the standard tier: where the choice is another tier, the row says so (its cost is in the options below).
  const tier = r.options.chosen.serviceTier;
  const mark = tier === 'standard' ? 'recommended' : `recommended: ${tier} tier`;
  const rows = PATTERNS.map((p) => {
    const chosen = p === r.decision.pattern;
    const cost = r.cost.monthly[p];
    return [chosen ? `${p} ◀` : p, usd(cost), cost === null ? '-' : cents(r.cost.overhead[p]), usdSig(r.cost.per1k[p], 3), chosen ? mark : cost === null ? 'not available' : ''];
  });
  // Plain aligned columns: a framed table per workload is slow across a thousand workloads and noisy.
  const table = renderColumns([{ header: 'pattern' }, { header: '$/month', align: 'right' }, { header: 'failures', align: 'right' }, { header: 'per 1K req', align: 'right' }, { header: '' }], rows).split('\n');
  lines.push(c.dim(indent(table[0]!, 2)), ...table.slice(1).map((l, i) => indent(rows[i]![0]!.endsWith('◀') ? c.good(l) : l, 2)));
  for (const a of r.decision.alternatives) lines.push(`  ${c.dim(`not ${a.pattern}: ${a.whyNot}`)}`);
  const f = r.cost.failures[r.decision.pattern];
  if (f && f.retries > 0) {
    const modes = r.cost.failureModes[r.decision.pattern].filter((m) => m.failsRequest).map((m) => `${m.kind.replace(/_/g, ' ')} ${Number((m.probability * 100).toPrecision(2))}%`);
    const wasted = f.wastedTokens.input + f.wastedTokens.output > 0 ? `; ~${compact(Math.round(f.wastedTokens.input * w.requestsPerMonth))} input + ${compact(Math.round(f.wastedTokens.output * w.requestsPerMonth))} output tokens/month billed for failed attempts` : '; failed attempts are not billed';
    lines.push(`  ${c.dim(`failures per attempt: ${modes.join(', ')} → ${count(f.retries, 3)} retries per request${wasted}`)}`);
  }
  const cw = r.cost.cacheWrites[r.decision.pattern];
  if (cw) lines.push(`  ${c.dim(`+ cache writes ${usd(cw)}/month (billed above the cached price; not in $/month)`)}`);
  if (r.cost.fallback) {
    const fb = r.cost.fallback;
    lines.push(`  ${c.dim(`fallback ${fb.model}: ${usd(fb.monthly[r.decision.pattern])}/month if it carried all traffic; expected failover spend ${failover(fb.failoverUsdPerMonth[r.decision.pattern])}/month`)}`);
  }
  return lines;
}

/** Service tiers × cache lifetimes (issue 13), when the workload has a choice of them. */
function optionsSection(r: WorkloadRecommendation, { c }: DetailContext): string[] {
  const rows = optionsLines(r, c);
  return rows.length > 0 ? [`  ${c.bold('options')}   ${c.dim('tiers × cache lifetimes; in tol. = share within the tolerance')}`, ...rows] : [];
}

function runningSection(r: WorkloadRecommendation, d: DetailContext): string[] {
  const { c } = d;
  const lines: string[] = [];
  const lat = r.latency;
  lines.push(
    r.decision.pattern === 'batch'
      ? `  ${c.bold('latency')}   batch turnaround typically ~${duration(lat.batchTypicalS)}, guaranteed within ${duration(lat.batchGuaranteeS)} ${c.dim("(the provider's stated figures)")}`
      : `  ${c.bold('latency')}   first token ${duration(lat.ttftS)}, total ${duration(lat.totalS)} (p95 ${duration(lat.totalP95S)}${lat.p95Given ? '' : ', assumed'}) ${c.dim(lat.measured ? `(${lat.measured})` : '(typical speeds: estimates)')}`,
  );
  lines.push(`  ${c.bold('limits')}    ${limitsLine(r, c)}`);
  const plan = planItems(r).filter((item) => !d.common.has(item));
  lines.push(`  ${c.bold('plan')}      ${plan.join(' · ')}${d.common.size > 0 ? c.dim(' · the common plan below') : ''}`);
  return lines;
}

function warningSection(r: WorkloadRecommendation, { c, sharedWarnings }: DetailContext): string[] {
  return r.warnings.filter((w) => !sharedWarnings.has(w)).map((w) => `  ${c.warn('warning:')} ${w}`);
}

function chartSection(_r: WorkloadRecommendation, { chart }: DetailContext): string[] {
  return chart ? [indent(chart, 2)] : [];
}

/** The resilience plan as items; those every workload shares are printed once (commonParts). */
function planItems(r: WorkloadRecommendation): string[] {
  const res = r.resilience;
  return [
    r.decision.pattern === 'batch' && res.batch ? `submit every ${duration(res.batch.submitEveryS)}, poll every ${res.batch.pollIntervalS} s, resubmit failed items by custom_id` : `timeout ${res.timeoutS} s`,
    ...(res.idleTimeoutS !== null ? [`idle ${res.idleTimeoutS} s between chunks`] : []),
    `retry ≤${res.retry.maxRetries}× (${res.retry.delaysS.map((d) => `${d} s`).join(', ')} + jitter, honour retry-after; not 4xx)`,
    `breaker after ${res.circuitBreaker.consecutiveFailures} failures, ${res.circuitBreaker.cooldownS} s cool-down`,
    res.fallback.model ? `fallback ${res.fallback.model}${res.fallback.suggested ? ' (suggested)' : ''}` : 'no fallback',
    `spend cap ${usd(res.spendCapUsdPerMonth, { cents: false })}/month`,
  ];
}

/** The plan items (retry, breaker) every shown workload shares, when there are several to share them. */
function commonParts(shown: readonly WorkloadRecommendation[]): Set<string> {
  if (shown.length < 2) return new Set();
  const [first, ...rest] = shown.map((r) => planItems(r).slice(r.resilience.idleTimeoutS !== null ? 2 : 1, -2));
  return new Set(first!.filter((item) => rest.every((items) => items.includes(item))));
}

/** What the blocks share, once: the common plan, shared warnings with their workloads, and the footnotes. */
function sharedSection(report: RecommendReport, shown: readonly WorkloadRecommendation[], common: ReadonlySet<string>, groups: WarningGroup[], c: Palette): string {
  const lines: string[] = [];
  if (common.size > 0) lines.push(c.bold('Common to every workload'), `  ${c.bold('plan')}      ${[...common].join(' · ')}`);
  const sharedTexts = groups.flatMap((g) => g.texts.filter((t) => t.workloads.length > 1 || t.workloads.length === 0).map((t) => ({ ...t, aboutData: g.aboutData })));
  if (sharedTexts.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(c.bold('Warnings shared by several workloads'));
    for (const t of sharedTexts) lines.push(`  ${t.aboutData ? c.dim('note:') : c.warn('warning:')} ${inline(t.text)}${t.workloads.length > 0 ? c.dim(` (${nameList(t.workloads.map(inline), 20)})`) : ''}`);
  }
  const notes: string[] = [`USD per month at list prices (catalog as of ${report.catalogAsOf}).`];
  notes.push(`"failures": expected extra spend from failed attempts and retries (data/failure_rates.yaml), net of requests that never succeed${shown.length === report.workloads.length ? ` — ${usd(report.totals.overheadRecommended, { sign: true })}/month for the recommended patterns${report.totals.cacheWritesRecommended ? `; cache writes ${usd(report.totals.cacheWritesRecommended)}/month` : ''}` : ''}.`);
  if (shown.some((r) => PATTERNS.some((p) => (r.cost.overhead[p] ?? 0) <= -0.005))) {
    // A negative overhead puzzles a reader: say where it comes from (the JSON keeps the plain number).
    notes.push('failures below zero: requests refused for good (content filter, retries exhausted) are never billed, which saves more than the retries cost.');
  }
  if (shown.some((r) => r.workload.input.approximate)) notes.push('~ after a token count: estimated with a stand-in tokenizer (see the note on estimates).');
  notes.push('Latencies are typical figures, not guarantees.');
  if (lines.length > 0) lines.push('');
  for (const n of notes) lines.push(c.dim(n));
  return lines.join('\n');
}

/** A tiny expected spend reads as "under $0.0001", not "$0.0000" (which looks like nothing can fail over). */
function failover(v: number | null): string {
  return v !== null && v > 0 && v < 0.00005 ? 'under $0.0001' : usd(v);
}

/** Overhead to the cent, signed: "+$2.56", "-$0.13", "$0.00". */
export function cents(v: number | null): string {
  if (v === null) return '-';
  const r = Math.round(v * 100) / 100;
  if (r === 0) return '$0.00';
  const abs = Math.abs(r);
  return `${r > 0 ? '+' : '-'}${abs >= 1 ? usd(abs) : `$${abs.toFixed(2)}`}`;
}

/** The limits of the recommended pattern, as terminal and Markdown both show them. */
export function limitsLine(r: WorkloadRecommendation, c: Palette): string {
  const l = r.limits;
  const lim = l.limits;
  const tier = `${l.provider} tier ${l.tier}${l.tierFromFile ? '' : ' (default)'}`;
  if (r.decision.pattern === 'batch') {
    const q = l.batch.queue;
    const queue = q ? `, queue ${compact(q.needed)} of ${compact(q.limit)} ${q.kind === 'tokens' ? 'input tokens' : 'requests'}` : '';
    const verdict = q ? (q.fits ? c.good('fits') : c.bad('exceeds the queue')) : c.dim('no published queue limit');
    return `${tier}: ${count(l.batch.requestsPerWindow, 0)} requests per ${duration(l.batch.windowS)} window → ${l.batch.batches} batch${l.batch.batches === 1 ? '' : 'es'}${queue} → ${verdict}`;
  }
  if (!lim) return `${tier}: peak ${count(l.peakRpm, 1)} req/min, ${compact(Math.round(l.peakTpm))} tok/min, concurrency ${count(l.concurrency, 1)} → ${c.warn('no published limits')}`;
  const parts = [`peak ${count(l.peakRpm, 1)} of ${compact(lim.rpm)} req/min`];
  if (lim.tpm !== undefined) parts.push(`${compact(Math.round(l.tpmCounts === 'input' ? l.peakItpm : l.peakTpm))} of ${compact(lim.tpm)} ${l.tpmCounts === 'input' ? 'input ' : ''}tok/min`);
  if (lim.itpm !== undefined) parts.push(`${compact(Math.round(l.peakItpm))} of ${compact(lim.itpm)} input tok/min`);
  if (lim.otpm !== undefined) parts.push(`${compact(Math.round(l.peakOtpm))} of ${compact(lim.otpm)} output tok/min`);
  parts.push(`concurrency ${count(l.concurrency, 1)}`);
  const near = l.nearLimits.length > 0 ? c.warn(`fits, near the limit${l.headroomTier ? `: tier ${l.headroomTier} leaves headroom` : ''}`) : undefined;
  const verdict = l.fits ? (near ?? c.good('fits')) : c.bad(`exceeded${l.fittingTier ? `: tier ${l.fittingTier} fits` : ''}`);
  return `${tier}: ${parts.join(', ')} → ${verdict}`;
}

/**
 * Wraps long prose lines at spaces with a hanging indent; tables and charts (box-drawing lines) stay as
 * they are. Colour codes contain no spaces, so a split never cuts one.
 */
export function wrapProse(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const visible = stripColor(line);
    if ([...visible].length <= width || /[│┤└┌├]/.test(visible)) {
      out.push(line);
      continue;
    }
    const lead = /^ */.exec(visible)![0].length;
    const label = /^ *(latency|limits|plan) +/.exec(visible)?.[0].length;
    out.push(wrapWords(line, width, ' '.repeat(label ?? lead + 2)));
  }
  return out.join('\n');
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}
