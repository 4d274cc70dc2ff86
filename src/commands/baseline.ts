// aip baseline: write the baseline file `aip check --baseline FILE` compares with — the `aip recommend --json`
// document plus, per workload, its file and prompt-file token counts and pricing override (for the drivers).
import { finiteJson } from '../render/kit/json.js';
import { diskTokenCountCache } from '../io/token-cache.js';
import { isAbsolute, resolve } from 'node:path';
import { loadCatalog } from '../io/catalog/load.js';
import { baselineDocument } from '../core/check/baseline-doc.js';
import { loadSnapshot, recommendEngine } from '../io/check-snapshot.js';
import type { Context } from '../io/context.js';
import { workloadFilesOrDefault } from './options.js';
import { writeOutput } from '../io/write-output.js';

export interface BaselineOptions {
  output?: string;
  force?: boolean;
}

export async function baselineCommand(ctx: Context, given: string[], opts: BaselineOptions): Promise<number> {
  const files = workloadFilesOrDefault(ctx, given, 'baseline');
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const tokenCache = diskTokenCountCache(ctx.env);
  const snapshot = await loadSnapshot(files, { catalog, cwd: ctx.cwd, recommend: await recommendEngine(ctx), tokenCache });
  tokenCache.save();
  const text = `${finiteJson(baselineDocument(snapshot))}\n`;
  if (!opts.output || opts.output === '-') {
    ctx.out(text);
    return 0;
  }
  const abs = (f: string) => (isAbsolute(f) ? f : resolve(ctx.cwd, f));
  const promptFiles = snapshot.recommendation.workloads.flatMap((w) => w.tokens.prompt_files.map((p) => p.path));
  // Refreshing a baseline is the point of the command, so an existing aip baseline is replaced; any other
  // existing file (a workload file given to -o by mistake, say) is kept unless --force.
  await writeOutput(
    {
      shown: opts.output,
      path: abs(opts.output),
      option: '-o',
      exampleName: 'aip-baseline.json',
      what: 'the baseline',
      force: opts.force === true,
      ownFile: isBaselineText,
      refuse: {
        message: 'refusing to overwrite a file that is not an aip baseline',
        expected: 'a new file, or an existing baseline written by "aip baseline"',
        hint: 'choose another path, or add --force to replace it',
      },
      others: [
        ...files.map((f) => ({ path: abs(f), option: 'a workload file' })),
        ...promptFiles.map((f) => ({ path: abs(f), option: 'a prompt file' })),
        ...ctx.catalog.map((f) => ({ path: abs(f), option: '--catalog' })),
      ],
    },
    text,
  );
  if (!ctx.quiet) ctx.err(`wrote ${opts.output}: ${snapshot.workloads.length} workload${snapshot.workloads.length === 1 ? '' : 's'}; compare with "aip check ${files.join(' ')} --baseline ${opts.output}"`);
  return 0;
}

function isBaselineText(text: string): boolean {
  try {
    const data = JSON.parse(text) as { aip_version?: unknown; workloads?: unknown };
    return typeof data.aip_version === 'string' && Array.isArray(data.workloads);
  } catch {
    return false;
  }
}
