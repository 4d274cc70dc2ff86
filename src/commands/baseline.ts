// aip baseline: write the baseline file `aip check --baseline FILE` compares with — the `aip recommend --json`
// document plus, per workload, its file and prompt-file token counts and pricing override (for the drivers).
import { diskTokenCountCache } from '../io/token-cache.js';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { loadCatalog } from '../io/catalog/load.js';
import { baselineDocument } from '../core/check/baseline-doc.js';
import { loadSnapshot, recommendEngine } from '../io/check-snapshot.js';
import type { Context } from '../io/context.js';
import { UsageError } from '../core/errors.js';

export interface BaselineOptions {
  output?: string;
  force?: boolean;
}

export async function baselineCommand(ctx: Context, files: string[], opts: BaselineOptions): Promise<number> {
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const tokenCache = diskTokenCountCache(ctx.env);
  const snapshot = await loadSnapshot(files, { catalog, cwd: ctx.cwd, recommend: await recommendEngine(ctx), tokenCache });
  tokenCache.save();
  const text = `${JSON.stringify(baselineDocument(snapshot), null, 2)}\n`;
  if (!opts.output || opts.output === '-') {
    ctx.out(text);
    return 0;
  }
  const path = isAbsolute(opts.output) ? opts.output : resolve(ctx.cwd, opts.output);
  await refuseToClobber(path, opts.output, opts.force === true);
  // Write then rename: a CI job killed mid-write never leaves half a baseline behind.
  const tmp = `${path}.aip-tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    throw new UsageError(`cannot write the baseline (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      code: 'E_OUTPUT',
      file: opts.output,
      option: '-o',
      expected: 'a path in an existing, writable directory',
      hint: 'create the directory first, or choose another path',
    });
  }
  if (!ctx.quiet) ctx.err(`wrote ${opts.output}: ${snapshot.workloads.length} workload${snapshot.workloads.length === 1 ? '' : 's'}; compare with "aip check ${files.join(' ')} --baseline ${opts.output}"`);
  return 0;
}

/**
 * Refreshing a baseline is the point of the command, so an existing aip baseline is replaced; any other
 * existing file (a workload file given to -o by mistake, say) is kept unless --force.
 */
async function refuseToClobber(path: string, given: string, force: boolean): Promise<void> {
  if (force) return;
  let existing: string;
  try {
    existing = await readFile(path, 'utf8');
  } catch {
    return; // nothing there (or unreadable: the write will say why)
  }
  if (isBaselineText(existing)) return;
  throw new UsageError('refusing to overwrite a file that is not an aip baseline', {
    code: 'E_OUTPUT_EXISTS',
    file: given,
    option: '-o',
    expected: 'a new file, or an existing baseline written by "aip baseline"',
    hint: 'choose another path, or add --force to replace it',
  });
}

function isBaselineText(text: string): boolean {
  try {
    const data = JSON.parse(text) as { aip_version?: unknown; workloads?: unknown };
    return typeof data.aip_version === 'string' && Array.isArray(data.workloads);
  } catch {
    return false;
  }
}
