// Words for the check's findings, shared by every human format (table, markdown, annotations):
// the monthly delta, each driver, each threshold.
import { count, usd } from '../../core/format.js';
import { inline } from '../../core/safe-text.js';
import { shortChoiceLabel } from '../../core/recommend/choice-label.js';
import type { Driver, DriverKind, FileTokenChange, WorkloadDiff, WorkloadPoint } from '../../core/check/diff.js';
import { fileKey, tidy, type ThresholdOutcome, type ThresholdKind, type ThresholdRule } from '../../core/check/thresholds.js';

/** "$1,240.00": money as every human format shows it. */
export function money(value: number): string {
  return usd(tidy(value));
}

/** "+$1,240.00" / "-$12.50" / "$0.00". */
export function signedUsd(value: number): string {
  return Math.abs(value) < 0.005 ? '$0.00' : usd(tidy(value), { sign: true });
}

/** "+38%", "-2.5%", "+0%"; null → "new" style callers decide. */
export function signedPercent(pct: number): string {
  const digits = Math.abs(pct) >= 10 || Number.isInteger(pct) ? 0 : 1;
  const text = Math.abs(pct).toFixed(digits);
  if (Number(text) === 0) return '0%';
  return `${pct > 0 ? '+' : '-'}${text}%`;
}

/** "+$1,240.00/month (+38%)" — the summary of a change. */
export function monthlyDelta(deltaUsd: number, deltaPct: number | null): string {
  const pct = deltaPct === null ? '' : ` (${signedPercent(deltaPct)})`;
  return `${signedUsd(deltaUsd)}/month${Math.abs(deltaUsd) < 0.005 ? '' : pct}`;
}

/** "direct", "queued direct" or "direct flex": the recommended choice, named as recommend's table names it. */
export function optionName(p: WorkloadPoint | null | undefined): string | undefined {
  return p ? shortChoiceLabel(p) : undefined;
}

/** The percent column: "+38%", "new", "removed", "0%". */
export function changeLabel(w: WorkloadDiff): string {
  if (w.status === 'added') return 'new';
  if (w.status === 'removed') return 'removed';
  return w.deltaPct === null ? '-' : signedPercent(w.deltaPct);
}

const KIND_LABEL: Record<DriverKind, string> = {
  catalog_price: 'catalog prices',
  pricing: 'pricing override',
  volume: 'volume',
  input_tokens: 'input',
  cached_fraction: 'cached input',
  output_tokens: 'output',
  model: 'model',
  pattern: 'pattern',
  service_tier: 'service tier',
};

function show(kind: DriverKind, value: string | number | null, style: Style): string {
  if (value === null) return '-';
  if (typeof value === 'string') return style.text(value);
  switch (kind) {
    case 'volume':
      return count(value, 0);
    case 'cached_fraction':
      return `${Math.round(value * 1000) / 10}%`;
    case 'catalog_price':
      return money(value);
    default:
      return count(value, 0);
  }
}

const UNIT: Partial<Record<DriverKind, string>> = { volume: ' requests/month', input_tokens: ' tokens/request', output_tokens: ' tokens/request' };

/**
 * How a format shows untrusted text: file paths, and names and values that come from the files (workload
 * and model names, latencies, pricing keys). Terminal and log formats show control characters visibly
 * (core/safe-text.ts); markdown puts them in code spans.
 */
export interface Style {
  path(p: string): string;
  text(t: string): string;
}

export const PLAIN: Style = { path: inline, text: inline };

/** "prompts/system.md +340 tokens (1,000 → 1,340)", "prompts/new.md new (200 tokens)". */
export function describeFileChange(f: FileTokenChange, style: Style = PLAIN): string {
  const path = style.path(f.path);
  if (f.before === null) return `${path} new (${count(f.after, 0)} tokens)`;
  if (f.after === null) return `${path} removed (was ${count(f.before, 0)} tokens)`;
  const d = f.after - f.before;
  return `${path} ${d > 0 ? '+' : '-'}${count(Math.abs(d), 0)} token${Math.abs(d) === 1 ? '' : 's'} (${count(f.before, 0)} → ${count(f.after, 0)})`;
}

/** What changed in one driver, without its dollar effect. */
export function describeDriver(d: Driver, style: Style = PLAIN): string {
  const kinds = d.kinds;
  if (kinds.length === 1 && kinds[0] === 'catalog_price') {
    return `catalog prices changed since the baseline was written (${show('catalog_price', d.before, style)} → ${show('catalog_price', d.after, style)} for the same workload)`;
  }
  const label = kinds.map((k) => KIND_LABEL[k]).join(' + ');
  const one = kinds.length === 1 ? kinds[0]! : undefined;
  const from = one ? show(one, d.before, style) : style.text(String(d.before));
  const to = one ? show(one, d.after, style) : style.text(String(d.after));
  let text = `${label} ${from} → ${to}${one ? (UNIT[one] ?? '') : ''}`;
  const notes = [...(d.meanOfFiles ? [`mean over ${d.meanOfFiles} prompt files`] : []), ...(d.because ?? []).map((b) => style.text(b))];
  if (notes.length > 0) text += ` (${notes.join('; ')})`;
  if (d.files && d.files.length > 0) text += `: ${d.files.map((f) => describeFileChange(f, style)).join(', ')}`;
  if (d.givesUp) text += `; made real-time, it gives up ${d.givesUp.option} at ${money(d.givesUp.usdPerMonth)}/month`;
  return text;
}

/** "volume 300,000 → 450,000 requests/month (+$400.00)". */
export function describeDriverWithDelta(d: Driver, style: Style = PLAIN): string {
  return `${describeDriver(d, style)} (${signedUsd(d.deltaUsd)})`;
}

/** The drivers of one workload, largest effect first; new and removed workloads say so. */
export function describeWorkloadChange(w: WorkloadDiff, style: Style = PLAIN): string[] {
  if (w.status === 'added') return [`new workload: ${style.text(w.after!.model)}, ${style.text(w.after!.pattern)}, ${count(w.after!.requestsPerMonth, 0)} requests/month`];
  if (w.status === 'removed') return ['removed workload'];
  const renamed = w.status === 'renamed' ? [`renamed ${style.text(w.previousName ?? '')} → ${style.text(w.name)}`] : [];
  return [...renamed, ...[...w.drivers].sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd)).map((d) => describeDriverWithDelta(d, style))];
}

/** The workload's name with what happened to it: "digest (new)", "digest (renamed from nightly-digest)". */
export function statusName(w: WorkloadDiff, note: (text: string) => string = (t) => t, style: Style = PLAIN): string {
  const name = style.text(w.name);
  if (w.status === 'added') return `${name} ${note('(new)')}`;
  if (w.status === 'removed') return `${name} ${note('(removed)')}`;
  if (w.status === 'renamed') return `${name} ${note('(renamed from')} ${style.text(w.previousName ?? '')}${note(')')}`;
  return name;
}

const THRESHOLD_LABEL: Record<ThresholdKind, string> = { max_increase_pct: 'max increase', max_increase_usd: 'max increase (USD)', budget_usd: 'budget' };

export function thresholdLabel(kind: ThresholdKind): string {
  return THRESHOLD_LABEL[kind];
}

export function formatLimit(rule: ThresholdRule): string {
  // A limit is a round figure the user typed: always in dollars and cents.
  return rule.kind === 'max_increase_pct' ? `${rule.limit}%` : `$${rule.limit.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}/month`;
}

export function formatActual(o: ThresholdOutcome): string {
  if (o.value === null) return 'n/a (no cost before)';
  if (o.rule.kind === 'max_increase_pct') return `${o.value > 0 ? '+' : ''}${o.value.toFixed(2)}%`;
  if (o.rule.kind === 'max_increase_usd') return signedUsd(o.value);
  return money(o.value);
}

/** Where a threshold was set: "--budget" or "workloads.yaml:4 (check.budget)". */
export function formatSource(rule: ThresholdRule, style: Style = PLAIN): string {
  if (rule.source.option) return rule.source.option;
  const at = `${style.path(rule.source.file ?? '')}${rule.source.line ? `:${rule.source.line}` : ''}${rule.source.revision ? ` at ${style.text(rule.source.revision)}` : ''}`;
  const key = rule.scope.kind === 'workload' ? `check.workloads.${style.text(rule.scope.name)}.${fileKey(rule.kind)}` : `check.${fileKey(rule.kind)}`;
  return `${at} (${key})`;
}

/** "total", "each workload: b", "support-chat". */
export function formatSubject(o: ThresholdOutcome, style: Style = PLAIN): string {
  const subject = styledSubject(o, style);
  return o.rule.scope.kind === 'each' ? `${subject} (per workload)` : subject;
}

/** The subject with its untrusted part styled: a workload's name, or the files of "total of a.yaml, b.yaml". */
function styledSubject(o: ThresholdOutcome, style: Style): string {
  if (o.workload) return style.text(o.subject);
  if (o.subject.startsWith('total of ')) return `total of ${style.text(o.subject.slice('total of '.length))}`;
  return o.subject === 'total' ? o.subject : style.text(o.subject);
}

/** One sentence for a crossed threshold: "total: monthly increase +38.00% is above the max increase of 10% (set by --max-increase)". */
export function describeCrossing(o: ThresholdOutcome, style: Style = PLAIN): string {
  const what = o.rule.kind === 'budget_usd' ? 'projected monthly cost' : 'monthly increase';
  return `${styledSubject(o, style)}: ${what} ${formatActual(o)} is above the ${thresholdLabel(o.rule.kind)} of ${formatLimit(o.rule)} (set by ${formatSource(o.rule, style)})`;
}

/** Threshold rows to show: every total and named rule; for per-workload rules the crossings, else the worst case. */
export function visibleOutcomes(outcomes: readonly ThresholdOutcome[]): ThresholdOutcome[] {
  const out: ThresholdOutcome[] = [];
  const seenEach = new Set<ThresholdRule>();
  for (const o of outcomes) {
    if (o.rule.scope.kind !== 'each') {
      out.push(o);
      continue;
    }
    if (seenEach.has(o.rule)) continue;
    seenEach.add(o.rule);
    const mine = outcomes.filter((x) => x.rule === o.rule);
    const crossed = mine.filter((x) => x.crossed);
    if (crossed.length > 0) out.push(...crossed);
    else {
      const worst = mine.filter((x) => x.value !== null).sort((a, b) => b.value! - a.value!)[0];
      if (worst) out.push(worst);
    }
  }
  return out;
}
