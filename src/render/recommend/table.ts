// The terminal rendering of a recommendation: one block per workload (pattern, reasons, cost of each
// pattern, latency, limits, resilience plan, warnings) and the portfolio summary. Returns a string.
import { inline } from '../../core/safe-text.js';
import { PATTERNS } from '../../core/recommend/pattern.js';
import { palette, stripColor, type Palette } from '../kit/color.js';
import { compact, count, duration, percent, usd } from '../../core/format.js';
import { renderColumns, renderTable } from '../kit/table.js';
import type { RecommendReport, WorkloadRecommendation } from '../../core/recommend/build.js';
import { optionsLines } from './options.js';

export interface TableRenderOptions {
  color: boolean;
  quiet: boolean;
  /** Rendered charts by workload name (--chart). */
  charts?: Map<string, string>;
  /** Wrap prose to this many columns (a terminal's width); undefined = never wrap (pipes, files). */
  width?: number;
}


export function renderRecommendTable(report: RecommendReport, opts: TableRenderOptions): string {
  const c = palette(opts.color);
  const blocks: string[] = [];
  if (!opts.quiet) for (const r of report.workloads) blocks.push(workloadBlock(r, c, opts.charts?.get(r.workload.name)));
  blocks.push(portfolio(report, c, opts.quiet, opts.color));
  const text = blocks.join('\n\n');
  return opts.width ? wrapProse(text, Math.max(60, opts.width)) : text;
}

export function patternLabel(r: WorkloadRecommendation): string {
  const tier = r.options.chosen.serviceTier === 'standard' ? '' : ` · ${r.options.chosen.serviceTier}`;
  return `${r.decision.viaQueue && r.decision.pattern === 'direct' ? 'direct (from a queue)' : r.decision.pattern}${tier}`;
}

function workloadBlock(r: WorkloadRecommendation, c: Palette, chart: string | undefined): string {
  const w = r.workload;
  const lines: string[] = [];
  const facts = [
    w.model.id,
    `${count(w.requestsPerMonth, 0)} requests/month`,
    `${count(w.input.tokens, 0)}${w.input.approximate ? '~' : ''} in${w.input.cachedFraction > 0 ? ` (${percent(w.input.cachedFraction)} cached)` : ''} / ${count(w.output.tokens, 0)} out tokens`,
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
  lines.push('');
  const rows = PATTERNS.map((p) => {
    const chosen = p === r.decision.pattern;
    const cost = r.cost.monthly[p];
    return [chosen ? `${p} ◀` : p, usd(cost), cost === null ? '-' : cents(r.cost.overhead[p]), usd(r.cost.per1k[p]), chosen ? 'recommended' : cost === null ? 'not available' : ''];
  });
  // Plain aligned columns: a framed table per workload is slow across a thousand workloads and noisy.
  const table = renderColumns([{ header: 'pattern' }, { header: '$/month', align: 'right' }, { header: 'failures', align: 'right' }, { header: 'per 1K req', align: 'right' }, { header: '' }], rows).split('\n');
  lines.push(c.dim(indent(table[0]!, 2)), ...table.slice(1).map((l, i) => indent(rows[i]![0]!.endsWith('◀') ? c.good(l) : l, 2)));
  if (PATTERNS.some((p) => (r.cost.overhead[p] ?? 0) <= -0.005)) {
    // A negative overhead puzzles a reader: say where it comes from (the JSON keeps the plain number).
    lines.push(`  ${c.dim('failures below zero: requests refused for good (content filter, retries exhausted) are never billed, which saves more than the retries cost')}`);
  }
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
  lines.push('');
  const lat = r.latency;
  lines.push(
    r.decision.pattern === 'batch'
      ? `  ${c.bold('latency')}   batch turnaround typically ~${duration(lat.batchTypicalS)}, guaranteed within ${duration(lat.batchGuaranteeS)} ${c.dim("(the provider's stated figures)")}`
      : `  ${c.bold('latency')}   first token ${duration(lat.ttftS)}, total ${duration(lat.totalS)} (p95 ${duration(lat.totalP95S)}${lat.p95Given ? '' : ', assumed'}) ${c.dim(lat.measured ? `(${lat.measured})` : '(typical speeds: estimates)')}`,
  );
  lines.push(`  ${c.bold('limits')}    ${limitsLine(r, c)}`);
  const res = r.resilience;
  const plan = [
    r.decision.pattern === 'batch' && res.batch ? `submit every ${duration(res.batch.submitEveryS)}, poll every ${res.batch.pollIntervalS} s, resubmit failed items by custom_id` : `timeout ${res.timeoutS} s`,
    ...(res.idleTimeoutS !== null ? [`idle ${res.idleTimeoutS} s between chunks`] : []),
    `retry ≤${res.retry.maxRetries}× (${res.retry.delaysS.map((d) => `${d} s`).join(', ')} + jitter, honour retry-after; not 4xx)`,
    `breaker after ${res.circuitBreaker.consecutiveFailures} failures, ${res.circuitBreaker.cooldownS} s cool-down`,
    res.fallback.model ? `fallback ${res.fallback.model}${res.fallback.suggested ? ' (suggested)' : ''}` : 'no fallback',
    `spend cap ${usd(res.spendCapUsdPerMonth, { cents: false })}/month`,
  ];
  lines.push(`  ${c.bold('plan')}      ${plan.join(' · ')}`);
  for (const warning of r.warnings) lines.push(`  ${c.warn('warning:')} ${warning}`);
  const optionRows = optionsLines(r, c);
  if (optionRows.length > 0) lines.push('', `  ${c.bold('options')}   ${c.dim('tiers × cache lifetimes; in tol. = share within the tolerance')}`, ...optionRows);
  if (chart) lines.push('', indent(chart, 2));
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

function limitsLine(r: WorkloadRecommendation, c: Palette): string {
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

function portfolio(report: RecommendReport, c: Palette, quiet: boolean, color: boolean): string {
  const rows = report.workloads.map((r) => [inline(r.workload.name), patternLabel(r), usd(r.recommendedCostUsdPerMonth), usd(r.cost.monthly.direct), usd((r.cost.monthly.direct ?? 0) - r.recommendedCostUsdPerMonth), r.fits === false ? c.bad('no') : r.fits === null ? '?' : nearLimit(r) ? c.warn('near') : 'yes']);
  const t = report.totals;
  const footer = [c.bold('total'), '', c.bold(usd(t.recommended)), usd(t.allDirect), c.bold(usd(t.saving)), ''];
  if (rows.length > 100) {
    // cli-table3 slows down quadratically with rows; a long portfolio gets plain aligned columns.
    const columns = [{ header: 'workload' }, { header: 'pattern' }, { header: 'recommended', align: 'right' as const }, { header: 'all direct', align: 'right' as const }, { header: 'saving', align: 'right' as const }, { header: 'fits' }];
    const plain = renderColumns(columns, rows.map((r) => r.map(stripColor)), { footer: [footer.map(stripColor)] });
    return [c.bold(`Portfolio: ${report.mix}`), plain, summaryLines(report, c, quiet)].join('\n');
  }
  const right = { align: 'right' as const };
  const table = renderTable(
    [{ header: 'workload' }, { header: 'pattern' }, { header: 'recommended', ...right }, { header: 'all direct', ...right }, { header: 'saving', ...right }, { header: 'fits' }],
    rows,
    { color, footer: [footer] },
  );
  return [c.bold(`Portfolio: ${report.mix}`), table, summaryLines(report, c, quiet)].join('\n');
}

function summaryLines(report: RecommendReport, c: Palette, quiet: boolean): string {
  const t = report.totals;
  const lines: string[] = [];
  const pct = t.allDirect > 0 ? ` (${percent(t.saving / t.allDirect)})` : '';
  lines.push(`Recommended ${c.bold(usd(t.recommended))}/month against ${usd(t.allDirect)} with every workload direct: ${t.saving > 0 ? `saves ${c.good(usd(t.saving))}/month${pct}` : 'no saving'}.`);
  if (!quiet) {
    for (const w of report.catalogWarnings) lines.push(c.warn(`warning: ${inline(w)}`));
    lines.push(c.dim(`USD per month at list prices (catalog as of ${report.catalogAsOf}). "failures": expected extra spend from failed attempts and retries (data/failure_rates.yaml), net of requests that never succeed — ${usd(t.overheadRecommended, { sign: true })}/month for the recommended patterns${t.cacheWritesRecommended ? `; cache writes ${usd(t.cacheWritesRecommended)}/month` : ''}. Latencies are typical figures, not guarantees.${fitsNote(report)}`));
  }
  return lines.join('\n');
}

/** The recommended pattern fits but its peak uses the near-limit share of a real-time limit. */
function nearLimit(r: WorkloadRecommendation): boolean {
  return r.decision.pattern !== 'batch' && r.limits.nearLimits.length > 0;
}

/** What "?" and "near" in the fits column mean, when they appear. */
function fitsNote(report: RecommendReport): string {
  const notes: string[] = [];
  if (report.workloads.some((r) => r.fits === null)) notes.push('"?": no published limits (rate limits, or the batch queue for batch) for that model and tier');
  if (report.workloads.some((r) => r.fits === true && nearLimit(r))) notes.push('"near": fits, but the peak uses most of a limit and bursts will queue (see its warning)');
  return notes.length > 0 ? ` fits ${notes.join('; ')}.` : '';
}

/** Rows padded to their column widths (cells without colour codes), two spaces apart. */
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
    const hang = ' '.repeat(label ?? lead + 2);
    let current = ' '.repeat(lead);
    let currentWidth = lead;
    let first = true;
    for (const word of line.slice(lead).split(' ')) {
      const w = [...stripColor(word)].length;
      if (!first && currentWidth + 1 + w > width) {
        out.push(current);
        current = hang + word;
        currentWidth = hang.length + w;
      } else {
        current += (first ? '' : ' ') + word;
        currentWidth += (first ? 0 : 1) + w;
      }
      first = false;
    }
    out.push(current);
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
