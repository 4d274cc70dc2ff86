// `aip check --format github`: GitHub Actions workflow commands (::error / ::notice) pointing at the lines
// of the workload file, so a crossed threshold shows on the pull request's diff.
import { describeCrossing, describeWorkloadChange, monthlyDelta } from './describe.js';
import type { DriverKind, WorkloadDiff } from '../../core/check/diff.js';
import type { CheckReport } from '../../core/check/report.js';
import { describeRetired, type ThresholdOutcome } from '../../core/check/thresholds.js';
import { inline } from '../../core/safe-text.js';

/** Workflow-command escaping: data may not carry raw newlines or %; properties not : or , either. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface Where {
  file?: string;
  line?: number;
}

/** Title and message are built from describe.ts's plain style (untrusted words already shown safely). */
function command(kind: 'error' | 'warning' | 'notice', where: Where, title: string, message: string): string {
  const props = [where.file ? `file=${escapeProperty(inline(where.file))}` : '', where.line ? `line=${where.line}` : '', `title=${escapeProperty(title)}`].filter(Boolean).join(',');
  return `::${kind} ${props}::${escapeData(message)}`;
}

/** The key of the workload entry that a driver changed, to put the annotation on that line. */
const KEY_OF: Partial<Record<DriverKind, string>> = { volume: 'volume', input_tokens: 'input', cached_fraction: 'input', output_tokens: 'output', model: 'model', pricing: 'pricing', pattern: 'latency', service_tier: 'latency' };

function lineOf(w: WorkloadDiff): number | undefined {
  const p = w.after;
  if (!p) return undefined;
  const top = [...w.drivers].sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd))[0];
  const key = top ? KEY_OF[top.kinds[0]!] : undefined;
  return (key && p.lines?.[key]) || p.line;
}

/** `pathOf` turns a workload file as given into the path GitHub knows (relative to the repository root). */
export function renderGithub(report: CheckReport, pathOf: (file: string) => string): string {
  const out: string[] = [];
  const at = (w: WorkloadDiff | undefined): Where => {
    const file = w?.after?.file ?? w?.before?.file;
    return { ...(file ? { file: pathOf(file) } : {}), ...(w && lineOf(w) ? { line: lineOf(w)! } : {}) };
  };
  // A total threshold points at the workload that added most; a file threshold at its check: line.
  const biggest = [...report.diff.workloads].filter((w) => w.after).sort((a, b) => b.deltaUsd - a.deltaUsd)[0];
  const whereCrossed = (o: ThresholdOutcome): Where => {
    if (o.workload) return at(o.workload);
    // A threshold read from the base revision has its line there, not in the pull request's file.
    if (o.rule.source.file) return { file: pathOf(o.rule.source.file), ...(o.rule.source.line && !o.rule.source.revision ? { line: o.rule.source.line } : {}) };
    return at(biggest);
  };
  for (const o of report.verdict.outcomes.filter((x) => x.crossed)) {
    out.push(command('error', whereCrossed(o), 'aip check: cost threshold crossed', describeCrossing(o)));
  }
  for (const r of report.verdict.retired ?? []) out.push(command('error', { file: pathOf(r.file), line: r.line }, 'aip check: retired model', inline(describeRetired(r))));
  // GitHub shows only the first 10 warnings (and notices) of a step: the largest changes go first.
  const changed = report.diff.workloads.filter((w) => w.status !== 'unchanged').sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd));
  for (const w of changed) {
    const name = inline(w.name);
    const message = `${name}: ${monthlyDelta(w.deltaUsd, w.deltaPct)}. ${describeWorkloadChange(w).join('; ')}`;
    out.push(command(w.deltaUsd > 0.005 ? 'warning' : 'notice', at(w), `aip check: ${name} ${monthlyDelta(w.deltaUsd, w.deltaPct)}`, message));
  }
  const d = report.diff;
  out.push(`aip check: projected LLM spend ${monthlyDelta(d.deltaUsd, d.deltaPct)} against ${inline(report.baseline.label)} — ${report.verdict.failed ? 'FAIL' : 'pass'}`);
  for (const note of report.notes) out.push(`aip check: ${inline(note)}`);
  return out.join('\n');
}
