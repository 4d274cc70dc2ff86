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

interface RecommendCommandOptions {
  format?: string;
  chart?: boolean;
  minBatchSaving?: number;
  allowOutside?: boolean;
}

export async function recommendCommand(ctx: Context, given: string[], opts: RecommendCommandOptions): Promise<number> {
  const files = workloadFilesOrDefault(ctx, given, 'recommend');
  const format = chooseFormat(ctx, opts.format, FORMATS.recommend);
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const tokenCache = diskTokenCountCache(ctx.env);
  const workloadFiles = await loadWorkloadFiles(files, { catalog, cwd: ctx.cwd, tokenCache, today: ctx.now().toISOString().slice(0, 10), signal: ctx.signal, allowOutside: opts.allowOutside });
  tokenCache.save();
  const report = buildRecommendation(workloadFiles, catalog, { now: ctx.now(), version: VERSION, minBatchSavingUsd: opts.minBatchSaving });
  const curves = opts.chart ? report.workloads.map((r) => costCurve(r, catalog.thresholds.values)) : [];

  if (format === 'json') {
    const doc = recommendJson(report);
    ctx.out(finiteJson(opts.chart ? { ...doc, charts: curves.map(chartJson) } : doc));
    return 0;
  }
  const charts = opts.chart ? new Map(curves.map((c) => [c.name, renderCostChart(c, palette(format === 'table' && ctx.color))])) : undefined;
  if (format === 'markdown') ctx.out(renderRecommendMarkdown(report, { charts }));
  else ctx.out(renderRecommendTable(report, { color: ctx.color, quiet: ctx.quiet, charts, width: ctx.stdout.isTTY ? ctx.stdout.columns : undefined }));
  return 0;
}

function chartJson(c: ReturnType<typeof costCurve>) {
  return {
    name: c.name,
    model: c.model,
    requests_per_month: c.requestsPerMonth,
    break_even_requests_per_month: c.breakEvenRequestsPerMonth === null ? null : Math.round(c.breakEvenRequestsPerMonth),
    min_batch_saving_usd: c.minBatchSavingUsd,
    points: c.points.map((p) => ({ requests_per_month: p.requestsPerMonth, direct: p.direct, streaming: p.streaming, batch: p.batch, pattern: p.pattern })),
  };
}
