// `aip check --format markdown`: the pull-request comment — summary line with the monthly delta, a
// per-workload before/after/delta table, the drivers, the thresholds and the verdict.
import { describeRetired } from '../../core/check/thresholds.js';
import {
  changeLabel,
  money,
  describeCrossing,
  describeWorkloadChange,
  formatActual,
  formatLimit,
  formatSource,
  formatSubject,
  monthlyDelta,
  signedPercent,
  signedUsd,
  thresholdLabel,
  visibleOutcomes,
  statusName,
  optionName,
} from './describe.js';
import type { WorkloadDiff } from '../../core/check/diff.js';
import type { CheckReport } from '../../core/check/report.js';
import { mdCode, mdText } from '../../core/safe-text.js';
import type { Style } from './describe.js';

/** Lets a workflow find and update its earlier comment instead of adding a new one per push. */
export const COMMENT_MARKER = '<!-- aip-check -->';

// Untrusted text (names, paths, values from the files, which a pull request controls) goes in code spans:
// no mention, HTML, link, image or </details> can come through. In table cells pipes are escaped too.
const TEXT: Style = { path: (p) => mdCode(p), text: (t) => mdCode(t) };
const CELL: Style = { path: (p) => mdCode(p, { inTable: true }), text: (t) => mdCode(t, { inTable: true }) };
const code = TEXT.text;

function changed(before: string | undefined, after: string | undefined): string {
  if (before === undefined) return after === undefined ? '-' : CELL.text(after);
  if (after === undefined) return CELL.text(before);
  return before === after ? CELL.text(after) : `${CELL.text(before)} → ${CELL.text(after)}`;
}

function workloadRow(w: WorkloadDiff): string[] {
  return [
    statusName(w, (t) => t, CELL),
    changed(w.before?.model, w.after?.model),
    changed(optionName(w.before), optionName(w.after)),
    w.before ? money(w.beforeUsd) : '-',
    w.after ? money(w.afterUsd) : '-',
    signedUsd(w.deltaUsd),
    changeLabel(w),
  ];
}

export function renderMarkdown(report: CheckReport): string {
  const { diff, verdict } = report;
  const crossed = verdict.outcomes.filter((o) => o.crossed);
  const status = verdict.failed ? `❌ ${crossed.length} threshold${crossed.length === 1 ? '' : 's'} crossed` : report.rules.length > 0 ? '✅ within thresholds' : 'ℹ️ no thresholds set';
  const out: string[] = [COMMENT_MARKER];
  const headline = Math.abs(diff.deltaUsd) < 0.005 ? 'no change in projected LLM spend' : `projected LLM spend ${monthlyDelta(diff.deltaUsd, diff.deltaPct)}`;
  out.push(`### aip check: ${headline} — ${status}`, '');
  const base = report.baseline.commit ? `${code(report.baseline.label)} (${code(report.baseline.commit.slice(0, 12))})` : code(report.baseline.label);
  out.push(`**${money(diff.beforeUsd)} → ${money(diff.afterUsd)} per month** compared with ${base}.`, '');

  out.push('| workload | model | choice | before | after | delta | change |', '| --- | --- | --- | ---: | ---: | ---: | ---: |');
  // In a pull request the rows that moved matter; unchanged ones fold away so a long portfolio stays readable.
  const unchanged = diff.workloads.filter((w) => w.status === 'unchanged');
  const fold = unchanged.length > 0 && unchanged.length < diff.workloads.length;
  for (const w of fold ? diff.workloads.filter((x) => x.status !== 'unchanged') : diff.workloads) out.push(`| ${workloadRow(w).join(' | ')} |`);
  const totalPct = diff.deltaPct === null ? (diff.afterUsd > 0 ? 'new' : '-') : signedPercent(diff.deltaPct);
  out.push(`| **total** | | | **${money(diff.beforeUsd)}** | **${money(diff.afterUsd)}** | **${signedUsd(diff.deltaUsd)}** | **${totalPct}** |`, '');
  if (fold) {
    const sum = unchanged.reduce((t, w) => t + w.afterUsd, 0);
    out.push(`<details><summary>${unchanged.length} unchanged workload${unchanged.length === 1 ? '' : 's'} (${money(sum)}/month, included in the total)</summary>`, '');
    out.push('| workload | model | choice | monthly |', '| --- | --- | --- | ---: |');
    for (const w of unchanged) out.push(`| ${CELL.text(w.name)} | ${changed(undefined, w.after?.model)} | ${changed(undefined, optionName(w.after))} | ${money(w.afterUsd)} |`);
    out.push('', '</details>', '');
  }

  const movers = diff.workloads.filter((w) => w.status !== 'unchanged');
  if (movers.length > 0) {
    out.push('#### What drove the change', '');
    for (const w of movers) {
      const lines = describeWorkloadChange(w, TEXT);
      out.push(`- **${TEXT.text(w.name)}** ${signedUsd(w.deltaUsd)}/month${lines.length === 1 ? `: ${lines[0]}` : ''}`);
      if (lines.length > 1) for (const l of lines) out.push(`  - ${l}`);
    }
    out.push('');
  }

  out.push('#### Thresholds', '');
  if (report.rules.length === 0) {
    out.push('None set: this check only reports. Set `--max-increase`, `--max-increase-usd` or `--budget`, or a `check:` key in the workload file.', '');
  } else {
    out.push('| threshold | applies to | limit | actual | set by | result |', '| --- | --- | ---: | ---: | --- | --- |');
    for (const o of visibleOutcomes(verdict.outcomes)) {
      out.push(`| ${thresholdLabel(o.rule.kind)} | ${formatSubject(o, CELL)} | ${formatLimit(o.rule)} | ${formatActual(o)} | ${formatSource(o.rule, CELL)} | ${o.crossed ? '❌ crossed' : '✅ ok'} |`);
    }
    out.push('');
  }

  if (verdict.failed) {
    out.push(`**Verdict: fail.** ${[...crossed.map((o) => describeCrossing(o, TEXT)), ...(verdict.retired ?? []).map((r) => mdText(describeRetired(r)))].join('; ')}.`);
  } else {
    out.push(`**Verdict: pass.**`);
  }
  out.push('');
  for (const note of report.notes) out.push(`> ${mdText(note)}`);
  if (report.notes.length > 0) out.push('');
  out.push(
    `<sub>Estimates: list prices from the aip catalog (as of ${report.catalogAsOf}) for the option recommended for each workload; expected retry and failure overhead is not included. aip ${report.aipVersion}.</sub>`,
  );
  return out.join('\n');
}
