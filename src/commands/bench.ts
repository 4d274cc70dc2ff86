// `aip bench`: live micro-benchmark of direct, streaming and batch against the built-in simulator (default),
// an OpenAI-compatible server or Anthropic, through the resilient client. Options → plan → run → render.
import type { BenchOptions } from '../bench/options.js';
import { VERSION } from '../core/version.js';
import { loadCatalog } from '../io/catalog/load.js';
import type { Context } from '../io/context.js';

export async function benchCommand(ctx: Context, opts: BenchOptions): Promise<number> {
  const { checkRunOptions, pickWorkload, resolveBenchPlan } = await import('../bench/plan.js');
  const checked = checkRunOptions(opts, ctx.env);
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  // Where the results go is checked now: a run must not end (and spend) only to find --out unwritable.
  // Each replaces only an earlier file of its own kind (or any with --force), never an input of the run or a link.
  const { checkOutput, openOutputStream, writeOutput } = await import('../io/write-output.js');
  const outputs = (await import('../bench/outputs.js')).benchOutputs(opts, ctx.cwd, ctx.catalog);
  const outFile = opts.output ?? opts.out;
  if (outputs.json) await checkOutput(outputs.json);
  if (outputs.log) await checkOutput(outputs.log);
  const { loadWorkloadFile } = await import('../io/workload-files.js');
  const workload = opts.workload !== undefined ? pickWorkload(await loadWorkloadFile(opts.workload, { catalog, cwd: ctx.cwd }), opts) : undefined;
  const { readPromptFiles } = await import('../io/prompt-inputs.js');
  const setup = await resolveBenchPlan(opts, checked, { catalog, workload, readPrompts: (files) => readPromptFiles(files, ctx.cwd) });

  const { runBenchSession } = await import('../bench/session.js');
  const { benchNotes, benchProgress, renderReport, reportHeader } = await import('../render/bench.js');
  const { progressBar } = await import('../render/kit/progress.js');
  const bar = ctx.stderr.isTTY === true && !ctx.quiet ? benchProgress(progressBar(ctx.stderr, ctx.stderrColor, { minIntervalMs: PROGRESS_REPAINT_MS })) : undefined;
  let session: Awaited<ReturnType<typeof runBenchSession>>;
  try {
    session = await runBenchSession(setup, catalog, {
      signal: ctx.signal,
      now: () => ctx.now(),
      ...(outputs.log ? { openLog: () => openOutputStream(outputs.log!) } : {}),
      ...(bar ? { onProgress: (e) => bar.update(e) } : {}),
    });
  } finally {
    bar?.clear();
  }

  const { benchDocument, thresholdVerdicts } = await import('../bench/document.js');
  const { result } = session;
  const verdicts = thresholdVerdicts(setup, result);
  const { brokenPatterns } = await import('../bench/gates.js');
  const broken = result.interrupted ? [] : brokenPatterns(result.patterns, opts.maxErrorRate, result.stopped_by);
  const json = `${JSON.stringify(benchDocument(setup, session, verdicts, VERSION, broken), null, 2)}\n`;
  if (outputs.json) await writeOutput(outputs.json, json);
  if (ctx.json) ctx.out(json.trimEnd());
  else {
    const { palette } = await import('../render/kit/color.js');
    ctx.out(renderReport(reportHeader(setup), result, verdicts, palette(ctx.color), benchNotes(setup, result, outFile), { quiet: ctx.quiet, broken, width: ctx.width }));
  }
  // A broken run never passes. The report says why; with --json, stdout holds only the document, so stderr says it.
  if (ctx.json) for (const b of broken) ctx.err(`aip bench: ${b.pattern} FAILED: ${b.problem}`);
  if (result.interrupted) return 130;
  // A pattern the server would not serve within the run (retry-after beyond it) did not measure what was asked.
  if (broken.length > 0 || verdicts.some((v) => !v.passed) || result.spend_capped || Object.keys(result.retry_after_s).length > 0) return 1;
  return 0;
}

/** The progress line repaints at most this often: often enough to look live, rarely enough to cost nothing. */
const PROGRESS_REPAINT_MS = 100;
