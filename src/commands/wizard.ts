// aip wizard: asks about a feature, shows the recommendation as it goes, writes a workload file that
// `aip recommend` reads unchanged, then prints that recommendation.
import { lstatSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { VERSION } from '../core/version.js';
import { loadCatalog } from '../io/catalog/load.js';
import type { Context } from '../io/context.js';
import { UsageError } from '../core/errors.js';
import { palette } from '../render/kit/color.js';
import { checkExisting, writeOutput, type OutputTarget } from '../io/write-output.js';
import { loadWorkloadFile } from '../io/workload-files.js';
import { makeWizardEnv, workloadFileText } from '../wizard/env.js';
import { runWizard } from '../wizard/flow.js';
import { renderPreview, renderResult } from '../wizard/preview.js';
import { wrapWords } from '../render/kit/table.js';
import { requireTerminal, terminalAsk } from '../wizard/terminal.js';
import { WIZARD_DEFAULTS } from './options.js';

interface WizardOptions {
  output?: string;
}

export async function wizardCommand(ctx: Context, opts: WizardOptions): Promise<number> {
  // Refuse before anything else: without a terminal no question can be answered.
  requireTerminal(ctx);
  const output = opts.output ?? WIZARD_DEFAULTS.output;
  const before = lstatSync(resolve(ctx.cwd, output), { throwIfNoEntry: false });
  if (before?.isDirectory()) {
    throw new UsageError(`${output} is a directory`, { code: 'E_OUTPUT', option: '--output', expected: 'the workload file to write', hint: `e.g. -o ${output.replace(/\/$/, '')}/aip.yaml` });
  }
  // A link (or a device, or a --catalog file) is refused now, before any question; an existing file is asked about.
  if (before) await checkExisting(wizardTarget(ctx, output, true));
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const ask = await terminalAsk(ctx);
  const files = { catalog, cwd: ctx.cwd, writtenOn: ctx.now().toISOString().slice(0, 10) };
  const c = palette(ctx.stderrColor);
  const recommendOptions = { now: ctx.now(), version: VERSION };
  const env = makeWizardEnv({ ...files, preview: (file) => renderPreview(file, catalog, recommendOptions, c, ctx.width) });
  ask.note(wrapWords(`${c.bold('aip wizard')} ${c.dim('· a few questions about one LLM feature; Enter takes the suggested answer, Ctrl-C quits without writing.')}`, ctx.width, '  '));

  const { document, outputPath, replace } = await runWizard(ask, env, { outputPath: output });
  const text = workloadFileText(document, outputPath, files);
  const target = wizardTarget(ctx, outputPath, replace);
  await mkdir(dirname(target.path), { recursive: true }).catch(() => undefined); // a failure is named by the write
  await writeOutput(target, text);
  // Entries from --catalog are part of the answers: the same flags are needed to read the file again.
  const again = ['aip recommend', ...ctx.catalog.map((f) => `--catalog ${f}`), outputPath].join(' ');
  ask.note(wrapWords(`${c.good('✔')} wrote ${outputPath} ${c.dim(`(check it any time: ${again})`)}`, ctx.width, '  '));
  ask.note('');

  // What `aip recommend` says about the file as written: loaded from disk by the same loader.
  const file = await loadWorkloadFile(outputPath, { catalog, cwd: ctx.cwd });
  ctx.out(renderResult(file, catalog, recommendOptions, { json: ctx.json, color: ctx.color, quiet: ctx.quiet, width: ctx.width }));
  return 0;
}

/** The workload file the wizard writes: an existing one is replaced only where the user said so. */
function wizardTarget(ctx: Context, outputPath: string, replace: boolean): OutputTarget {
  return {
    shown: outputPath,
    path: resolve(ctx.cwd, outputPath),
    option: '--output',
    exampleName: 'aip.yaml',
    what: 'the workload file',
    force: replace,
    refuse: {
      message: `${outputPath} appeared while the wizard ran; it was left as it is`,
      code: 'E_EXISTS',
      expected: 'a file name that is not taken',
      hint: `run "aip wizard -o another.yaml", or remove ${outputPath} first`,
    },
    others: ctx.catalog.map((f) => ({ path: resolve(ctx.cwd, f), option: '--catalog' })),
  };
}
