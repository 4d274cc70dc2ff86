// What the wizard's flow needs from the outside world: the catalog, the file system (prompt files,
// existing outputs) and the real workload loader, so that counts and previews are exactly what
// `aip recommend` will compute from the written file.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import type { Catalog, Model } from '../core/catalog/schema.js';
import { UsageError, UsageErrors } from '../core/errors.js';
import { schemaRefFor } from '../io/paths.js';
import { type WorkloadFile } from '../core/workload/normalise.js';
import { loadWorkloadFile } from '../io/workload-files.js';
import { diskFileSource } from '../io/file-source.js';
import type { FileSource } from '../core/workload/file-source.js';
import type { PromptCount, WizardDocument, WizardEnv } from './flow.js';
import { renderWorkloadFile } from './yaml-writer.js';

const toPosix = (p: string) => p.split(sep).join('/');

/** Prompt paths were typed relative to the working directory; the file holds them relative to itself. */
export function rebasePrompts(doc: WizardDocument, cwd: string, outputPath: string): WizardDocument {
  const fileDir = dirname(resolve(cwd, outputPath));
  return {
    ...doc,
    workloads: doc.workloads.map((w) => {
      if (!('prompt' in w.input) || isAbsolute(w.input.prompt)) return w;
      const rebased = toPosix(relative(fileDir, resolve(cwd, w.input.prompt))) || '.';
      return { ...w, input: { ...w.input, prompt: rebased } };
    }),
  };
}

export interface FileOptions {
  catalog: Catalog;
  cwd: string;
  writtenOn: string;
}

/** The text the wizard writes to `outputPath`. */
export function workloadFileText(doc: WizardDocument, outputPath: string, opts: FileOptions): string {
  return renderWorkloadFile(rebasePrompts(doc, opts.cwd, outputPath), {
    catalog: opts.catalog,
    schemaRef: schemaRefFor(opts.cwd, outputPath),
    fileName: outputPath,
    writtenOn: opts.writtenOn,
  });
}

/** A file source that holds one not-yet-written file in memory and reads everything else from disk. */
function withVirtualFile(path: string, text: string, cwd: string): FileSource {
  const disk = diskFileSource({ allowOutside: false, cwd });
  return { readText: (p) => (p === path ? Promise.resolve(text) : disk.readText(p)), glob: disk.glob };
}

/** The loader's message without its hint: the hints speak of editing a file, not of answering a question. */
function firstMessage(err: unknown): string {
  const e = err instanceof UsageErrors ? err.errors[0] : err;
  if (e instanceof UsageError) return e.message;
  throw err;
}

/** Load the document as `aip recommend` would load the written file (prompt files counted and all). */
export function loadDocument(doc: WizardDocument, outputPath: string, opts: FileOptions): Promise<WorkloadFile> {
  const abs = resolve(opts.cwd, outputPath);
  return loadWorkloadFile(outputPath, { catalog: opts.catalog, cwd: opts.cwd, source: withVirtualFile(abs, workloadFileText(doc, outputPath, opts), opts.cwd) });
}

/** Count a prompt file or glob with the loader itself: the same files, tokenizer and mean it will use. */
export async function countPrompt(pattern: string, model: Model, opts: FileOptions): Promise<PromptCount | string> {
  const probe = join(opts.cwd, '.aip-wizard-probe.yaml');
  const text = stringify({
    version: 1,
    workloads: [{ name: 'probe', model: model.id, volume: 1, latency: '1s', input: { prompt: pattern }, output: { tokens: 0 } }],
  });
  try {
    const file = await loadWorkloadFile(probe, { catalog: opts.catalog, cwd: opts.cwd, source: withVirtualFile(probe, text, opts.cwd) });
    const input = file.workloads[0]!.input;
    return { files: input.promptFiles.map((f) => f.path), tokens: input.tokens, method: input.method ?? 'tokenizer', approximate: input.approximate };
  } catch (err) {
    return firstMessage(err);
  }
}

export function makeWizardEnv(opts: FileOptions & { preview(file: WorkloadFile): string }): WizardEnv {
  return {
    catalog: opts.catalog,
    countPrompt: (pattern, model) => countPrompt(pattern, model, opts),
    fileExists: (path) => existsSync(resolve(opts.cwd, path)),
    isDirectory: (path) => statSync(resolve(opts.cwd, path), { throwIfNoEntry: false })?.isDirectory() === true,
    preview: async (doc, outputPath) => {
      try {
        return opts.preview(await loadDocument(doc, outputPath, opts));
      } catch (err) {
        return `  (no preview: ${firstMessage(err)})`;
      }
    },
  };
}
