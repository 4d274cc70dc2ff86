// aip simulate: options → workloads and catalog → the simulation core → a table with charts, or JSON.
import { finiteJson } from '../render/kit/json.js';
import { readInputFile } from '../io/file-source.js';
import { FileAccessError } from '../core/workload/file-source.js';
import { isAbsolute, resolve } from 'node:path';
import { VERSION } from '../core/version.js';
import type { Context } from '../io/context.js';
import { loadCatalog } from '../io/catalog/load.js';
import { InterruptedError, UsageError } from '../core/errors.js';
import { diskTokenCountCache } from '../io/token-cache.js';
import { latencyKeywordSeconds } from '../core/workload/normalise.js';
import { loadWorkloadFiles } from '../io/workload-files.js';
import { simulateWorkloads } from '../io/simulate-threads.js';
import { parseTrace } from '../core/montecarlo/trace.js';
import { simulationJson } from '../render/simulate/json.js';
import { simulationText } from '../render/simulate/text.js';
import { progressBar } from '../render/kit/progress.js';
import { closest } from '../core/suggest.js';
import { describeReadError } from '../core/parse/read-error.js';
import { FORMATS, SIMULATE_DEFAULTS, batchEvery, chooseFormat, monthlyGrowth, wholeNumber, workloadFilesOrDefault } from './options.js';

interface SimulateCliOptions {
  seed?: string;
  runs?: string;
  months?: string;
  growth?: string;
  trace?: string;
  format?: string;
  batchEvery?: string;
  allowOutside?: boolean;
  workload?: string;
}

const MAX_RUNS = 100_000;
const MAX_MONTHS = 120;

export async function simulateCommand(ctx: Context, given: string[], opts: SimulateCliOptions): Promise<number> {
  const files = workloadFilesOrDefault(ctx, given, 'simulate');
  const d = SIMULATE_DEFAULTS;
  const seed = wholeNumber('--seed', opts.seed ?? `${d.seed}`, 0, 2 ** 32 - 1, 'a whole number from 0 to 4294967295, e.g. --seed 7');
  const runs = wholeNumber('--runs', opts.runs ?? `${d.runs}`, 1, MAX_RUNS, `a whole number from 1 to ${MAX_RUNS}, e.g. --runs 200`);
  // --growth alone projects a year; --months alone projects flat volume.
  const months = wholeNumber('--months', opts.months ?? `${opts.growth === undefined ? d.months : d.monthsWithGrowth}`, 1, MAX_MONTHS, `a whole number of months from 1 to ${MAX_MONTHS}, e.g. --months 12`);
  const growthPct = monthlyGrowth(opts.growth);
  const format = chooseFormat(ctx, opts.format, FORMATS.simulate);
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const batchEveryS = opts.batchEvery === undefined ? undefined : batchEvery(opts.batchEvery, latencyKeywordSeconds(catalog));
  const trace = opts.trace === undefined ? undefined : { file: opts.trace, trace: parseTrace(await readTrace(ctx, opts.trace), opts.trace) };
  const tokenCache = diskTokenCountCache(ctx.env);
  const loaded = await loadWorkloadFiles(files, { catalog, cwd: ctx.cwd, tokenCache, today: ctx.now().toISOString().slice(0, 10), signal: ctx.signal, allowOutside: opts.allowOutside });
  tokenCache.save();
  const workloads = selectWorkload(loaded.flatMap((f) => f.workloads), opts.workload);
  const minBatchSavingUsd = loaded.map((f) => f.settings.minBatchSavingUsd).find((v) => v !== undefined);

  const bar = ctx.stderr.isTTY && !ctx.quiet ? progressBar(ctx.stderr, ctx.stderrColor) : undefined;
  const report = await simulateWorkloads(workloads, catalog, {
    seed,
    runs,
    months,
    growthPct,
    trace,
    batchEveryS,
    minBatchSavingUsd,
    now: ctx.now(),
    version: VERSION,
    onProgress: bar ? (done, total, name) => bar.update(done, total, `simulating ${name}`) : undefined,
    // Yield between runs so Ctrl-C is delivered and the bar repaints; the core itself is synchronous.
    pause: () => new Promise<void>((r) => setImmediate(r)),
    stopped: () => ctx.signal.aborted,
  }, ctx.env);
  bar?.clear();

  if (format === 'json') ctx.out(finiteJson(simulationJson(report, catalog, VERSION)));
  else ctx.out(simulationText(report, { color: ctx.color, quiet: ctx.quiet, width: ctx.width }));
  if (report.interrupted) throw new InterruptedError();
  return 0;
}

function selectWorkload<W extends { name: string }>(workloads: W[], name: string | undefined): W[] {
  if (name === undefined) return workloads;
  const found = workloads.filter((w) => w.name === name);
  if (found.length > 0) return found;
  const names = workloads.map((w) => w.name);
  const guess = closest(name, names, 1)[0];
  throw new UsageError(`no workload named "${name}"`, {
    code: 'E_OPTION',
    option: '--workload',
    expected: `one of: ${names.join(', ')}`,
    hint: guess ? `did you mean "${guess}"?` : undefined,
  });
}

async function readTrace(ctx: Context, file: string): Promise<string> {
  try {
    return await readInputFile(isAbsolute(file) ? file : resolve(ctx.cwd, file));
  } catch (err) {
    if (err instanceof FileAccessError) throw new UsageError(err.message, { code: err.code, file, option: '--trace', hint: err.hint });
    throw new UsageError(describeReadError(err, 'a trace file'), {
      code: 'E_TRACE_FILE',
      file,
      option: '--trace',
      expected: 'a text file of request timestamps, one per line',
    });
  }
}
