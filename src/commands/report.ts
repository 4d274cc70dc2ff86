// aip report FILE... -o report.html: one self-contained HTML page of the recommendation (the same document
// `aip recommend --json` prints and the cost curves of --chart) and the Monte Carlo month (`aip simulate`'s
// engine with a fixed seed). Thin: load → recommend and simulate in core → the page in render → one file.
import { isAbsolute, resolve } from 'node:path';
import { VERSION } from '../core/version.js';
import { InterruptedError, UsageError } from '../core/errors.js';
import { buildRecommendation } from '../core/recommend/build.js';
import { recommendJson } from '../core/recommend/document.js';
import { simulateWorkloads } from '../io/simulate-threads.js';
import { loadCatalog } from '../io/catalog/load.js';
import type { Context } from '../io/context.js';
import { diskTokenCountCache } from '../io/token-cache.js';
import { loadWorkloadFiles } from '../io/workload-files.js';
import { checkOutput, writeOutput } from '../io/write-output.js';
import { costCurve } from '../render/recommend/chart.js';
import { progressBar } from '../render/kit/progress.js';
import { REPORT_GENERATOR, renderReportPage } from '../render/report/page.js';
import { SIMULATE_DEFAULTS, wholeNumber, workloadFilesOrDefault } from './options.js';

interface ReportOptions {
  output?: string;
  force?: boolean;
  seed?: string;
  runs?: string;
  minBatchSaving?: number;
  allowOutside?: boolean;
}

const MAX_RUNS = 100_000;

export async function reportCommand(ctx: Context, given: string[], opts: ReportOptions): Promise<number> {
  if (ctx.json) {
    throw new UsageError('aip report writes an HTML page, not JSON', { code: 'E_FORMAT', option: '--json', expected: 'no --json', hint: 'for the figures as JSON use "aip recommend --json --chart" and "aip simulate --json"' });
  }
  const files = workloadFilesOrDefault(ctx, given, 'report');
  const seed = wholeNumber('--seed', opts.seed ?? `${SIMULATE_DEFAULTS.seed}`, 0, 2 ** 32 - 1, 'a whole number from 0 to 4294967295, e.g. --seed 7');
  const runs = wholeNumber('--runs', opts.runs ?? `${SIMULATE_DEFAULTS.runs}`, 1, MAX_RUNS, `a whole number from 1 to ${MAX_RUNS}, e.g. --runs 200`);
  const abs = (f: string) => (isAbsolute(f) ? f : resolve(ctx.cwd, f));
  const toFile = opts.output !== undefined && opts.output !== '-';
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const tokenCache = diskTokenCountCache(ctx.env);
  const today = ctx.now().toISOString().slice(0, 10);
  const loaded = await loadWorkloadFiles(files, { catalog, cwd: ctx.cwd, tokenCache, today, signal: ctx.signal, allowOutside: opts.allowOutside });
  tokenCache.save();

  const report = buildRecommendation(loaded, catalog, { now: ctx.now(), version: VERSION, minBatchSavingUsd: opts.minBatchSaving });
  const target = toFile
    ? {
        shown: opts.output!,
        path: abs(opts.output!),
        option: '-o',
        exampleName: 'report.html',
        what: 'the report',
        force: opts.force === true,
        // Re-running the report replaces the page it wrote before; any other file only with --force.
        ownFile: (text: string) => text.includes(REPORT_GENERATOR),
        refuse: {
          message: 'refusing to overwrite a file that is not an aip report',
          expected: 'a new file, or a report written by "aip report"',
          hint: 'choose another path, or add --force to replace it',
        },
        others: [
          ...files.map((f) => ({ path: abs(f), option: 'a workload file' })),
          ...report.workloads.flatMap((r) => r.workload.input.promptFiles.map((p) => ({ path: abs(p.path), option: 'a prompt file' }))),
          ...ctx.catalog.map((f) => ({ path: abs(f), option: '--catalog' })),
        ],
      }
    : undefined;
  // Before the simulation: a run never ends in an unwritable path or a refusal.
  if (target) await checkOutput(target);

  const bar = ctx.stderr.isTTY && !ctx.quiet ? progressBar(ctx.stderr, ctx.stderrColor) : undefined;
  const fileSaving = loaded.map((f) => f.settings.minBatchSavingUsd).find((v) => v !== undefined);
  const simulation = await simulateWorkloads(
    loaded.flatMap((f) => f.workloads),
    catalog,
    {
      seed,
      runs,
      months: 1,
      growthPct: 0,
      minBatchSavingUsd: opts.minBatchSaving ?? fileSaving,
      now: ctx.now(),
      version: VERSION,
      onProgress: bar ? (done, total, name) => bar.update(done, total, `simulating ${name}`) : undefined,
      pause: () => new Promise<void>((r) => setImmediate(r)),
      stopped: () => ctx.signal.aborted,
    },
    ctx.env,
  );
  bar?.clear();
  // Half a simulation is not a report to attach: nothing is written.
  if (simulation.interrupted) throw new InterruptedError();

  const page = renderReportPage({
    files,
    generatedOn: today,
    version: VERSION,
    doc: recommendJson(report),
    report,
    curves: report.workloads.map((r) => costCurve(r, catalog.thresholds.values)),
    simulation,
    catalog: { asOf: catalog.asOf, data: catalog.data, overlays: catalog.overlays, thresholds: catalog.thresholds.values },
  });
  if (!target) {
    ctx.out(page);
    return 0;
  }
  await writeOutput(target, page);
  if (!ctx.quiet) ctx.err(`wrote ${opts.output}: ${report.workloads.length} workload${report.workloads.length === 1 ? '' : 's'}, ${runs} simulated months each (seed ${seed}); open it in a browser or attach it`);
  return 0;
}
