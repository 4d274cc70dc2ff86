// aip recommend FILE...: workload files in, per workload the pattern, reasons, cost, limits and a
// resilience plan out (table, markdown or JSON), then the portfolio total. Thin: load → core → render.
import { finiteJson } from '../render/kit/json.js';
import { FORMATS, chooseFormat, workloadFilesOrDefault } from './options.js';
import { VERSION } from '../core/version.js';
import { loadCatalog } from '../io/catalog/load.js';
import type { Context } from '../io/context.js';
import { buildRecommendation } from '../core/recommend/build.js';
import { costCurve, renderCostChart } from '../render/recommend/chart.js';
import { recommendJson } from '../core/recommend/document.js';
import { renderRecommendMarkdown } from '../render/recommend/markdown.js';
import { renderRecommendTable } from '../render/recommend/table.js';
import { palette } from '../render/kit/color.js';
import { diskTokenCountCache } from '../io/token-cache.js';
import { loadWorkloadFiles } from '../io/workload-files.js';
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { inline } from '../core/safe-text.js';

interface RecommendCommandOptions {
  format?: string;
  chart?: boolean;
  details?: boolean;
  minBatchSaving?: number;
  allowOutside?: boolean;
}

export async function recommendCommand(ctx: Context, given: string[], opts: RecommendCommandOptions): Promise<number> {
  const files = workloadFilesOrDefault(ctx, given, 'recommend');
  const format = chooseFormat(ctx, opts.format, FORMATS.recommend);
  const { report, catalog } = await recommendation(ctx, files, opts);
  const curves = opts.chart ? report.workloads.map((r) => costCurve(r, catalog.thresholds.values)) : [];

  if (format === 'json') {
    const doc = recommendJson(report);
    ctx.out(finiteJson(opts.chart ? { ...doc, charts: curves.map(chartJson) } : doc));
    return 0;
  }
  const charts = opts.chart ? new Map(curves.map((c) => [c.name, renderCostChart(c, palette(format === 'table' && ctx.color))])) : undefined;
  if (format === 'markdown') ctx.out(renderRecommendMarkdown(report, { charts }));
  else ctx.out(renderRecommendTable(report, { color: ctx.color, quiet: ctx.quiet, charts, width: ctx.width, details: opts.details, files }));
  return 0;
}

async function recommendation(ctx: Context, files: string[], opts: RecommendCommandOptions) {
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const tokenCache = diskTokenCountCache(ctx.env);
  const workloadFiles = await loadWorkloadFiles(files, { catalog, cwd: ctx.cwd, tokenCache, today: ctx.now().toISOString().slice(0, 10), signal: ctx.signal, allowOutside: opts.allowOutside });
  tokenCache.save();
  const report = buildRecommendation(workloadFiles, catalog, { now: ctx.now(), version: VERSION, minBatchSavingUsd: opts.minBatchSaving });
  return { report, catalog };
}

/**
 * aip explain NAME [FILE...]: one workload's full block (recommend --details for one), or its entry of the
 * recommend JSON with --json. Without files, ./aip.yaml.
 */
export async function explainCommand(ctx: Context, name: string, files: string[], opts: RecommendCommandOptions): Promise<number> {
  const { report, catalog } = await recommendation(ctx, files.length > 0 ? files : ['aip.yaml'], opts);
  const matches = report.workloads.filter((r) => r.workload.name === name);
  if (matches.length === 0) {
    const names = report.workloads.map((r) => r.workload.name);
    const guess = closest(name, names, 1)[0];
    throw new UsageError(`no workload named "${inline(name)}"`, {
      code: 'E_UNKNOWN_WORKLOAD',
      expected: `one of: ${names.slice(0, 20).map(inline).join(', ')}${names.length > 20 ? ', …' : ''}`,
      hint: guess ? `did you mean "${inline(guess)}"?` : undefined,
    });
  }
  if (ctx.json) {
    const doc = recommendJson(report);
    ctx.out(finiteJson({ ...doc, workloads: doc.workloads.filter((w) => w.name === name) }));
    return 0;
  }
  const charts = opts.chart ? new Map(matches.map((r) => costCurve(r, catalog.thresholds.values)).map((c) => [c.name, renderCostChart(c, palette(ctx.color))])) : undefined;
  ctx.out(renderRecommendTable(report, { color: ctx.color, quiet: false, charts, width: ctx.width, only: [name] }));
  return 0;
}

function chartJson(c: ReturnType<typeof costCurve>) {
  return {
    name: c.name,
    model: c.model,
    requests_per_month: c.requestsPerMonth,
    break_even_requests_per_month: c.breakEvenRequestsPerMonth === null ? null : Math.round(c.breakEvenRequestsPerMonth),
    min_batch_saving_usd: c.minBatchSavingUsd,
    flex: c.flex === null ? null : { usd_per_request: c.flex.perRequest, break_even_requests_per_month: c.flex.breakEvenRequestsPerMonth === null ? null : Math.round(c.flex.breakEvenRequestsPerMonth) },
    provisioned: c.provisioned === null ? null : { units: c.provisioned.units, fee_usd_per_month: c.provisioned.feeUsdPerMonth, break_even_requests_per_month: c.provisioned.breakEvenRequestsPerMonth === null ? null : Math.round(c.provisioned.breakEvenRequestsPerMonth) },
    points: c.points.map((p) => ({ requests_per_month: p.requestsPerMonth, direct: p.direct, streaming: p.streaming, batch: p.batch, pattern: p.pattern })),
  };
}
