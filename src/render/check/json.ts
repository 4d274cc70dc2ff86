// `aip check --format json` (and --json): one document, plain numbers, snake_case like `aip recommend --json`.
import type { Driver, WorkloadDiff, WorkloadPoint } from '../../core/check/diff.js';
import type { CheckReport } from '../../core/check/report.js';

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const roundPct = (n: number | null) => (n === null ? null : Math.round(n * 1e4) / 1e4);

function side(p: WorkloadPoint | null) {
  if (!p) return null;
  return {
    model: p.model,
    pattern: p.pattern,
    service_tier: p.serviceTier ?? 'standard',
    requests_per_month: p.requestsPerMonth,
    tokens: { input: p.inputTokens, output: p.outputTokens, cached_fraction: p.cachedFraction },
    cost_usd_per_month: round(p.costUsdPerMonth),
    ...(p.promptFiles ? { prompt_files: p.promptFiles } : {}),
  };
}

function driver(d: Driver) {
  return {
    kind: d.kinds.join('+'),
    delta_usd_per_month: round(d.deltaUsd),
    before: d.before,
    after: d.after,
    ...(d.files ? { files: d.files } : {}),
    ...(d.meanOfFiles ? { mean_of_files: d.meanOfFiles } : {}),
    ...(d.because ? { because: d.because } : {}),
    ...(d.givesUp ? { gives_up: { option: d.givesUp.option, usd_per_month: Math.round(d.givesUp.usdPerMonth * 1e6) / 1e6, latency_before: d.givesUp.latencyBefore, latency_after: d.givesUp.latencyAfter } } : {}),
  };
}

function workload(w: WorkloadDiff) {
  return {
    name: w.name,
    status: w.status,
    ...(w.status === 'renamed' ? { previous_name: w.previousName } : {}),
    file: w.after?.file ?? w.before?.file ?? null,
    line: w.after?.line ?? null,
    before: side(w.before),
    after: side(w.after),
    delta_usd_per_month: round(w.deltaUsd),
    delta_pct: roundPct(w.deltaPct),
    drivers: w.drivers.map(driver),
  };
}

export function checkJson(report: CheckReport) {
  const { diff, verdict } = report;
  return {
    aip_version: report.aipVersion,
    catalog_as_of: report.catalogAsOf,
    baseline: {
      kind: report.baseline.kind,
      label: report.baseline.label,
      ...(report.baseline.commit ? { commit: report.baseline.commit } : {}),
      ...(report.baseline.aipVersion ? { aip_version: report.baseline.aipVersion } : {}),
      ...(report.baseline.catalogAsOf ? { catalog_as_of: report.baseline.catalogAsOf } : {}),
    },
    total: { before_usd_per_month: round(diff.beforeUsd), after_usd_per_month: round(diff.afterUsd), delta_usd_per_month: round(diff.deltaUsd), delta_pct: roundPct(diff.deltaPct) },
    workloads: diff.workloads.map(workload),
    thresholds: verdict.outcomes.map((o) => ({
      kind: o.rule.kind,
      scope: o.rule.scope.kind,
      subject: o.subject,
      limit: o.rule.limit,
      value: o.value === null ? null : round(o.value),
      crossed: o.crossed,
      source: o.rule.source,
    })),
    verdict: verdict.failed ? 'fail' : 'pass',
    retired_models: (verdict.retired ?? []).map((r) => ({ workload: r.workload, file: r.file, line: r.line, model: r.model, retired_on: r.retiresOn ?? null, successor: r.successor ?? null })),
    notes: report.notes,
  };
}
