// Workload files from the disk (or another source): the core loader with the file system as its default source.
import type { LoadWorkloadOptions, WorkloadFile } from '../core/workload/normalise.js';
import { readWorkloadFile, readWorkloadFiles } from '../core/workload/normalise.js';
import { yieldToEventLoop } from './event-loop.js';
import { diskFileSource } from './file-source.js';

/**
 * `signal`: Ctrl-C stops a long token count (counts pause for the event loop between steps). `allowOutside`:
 * the disk source may read prompt files outside the workload file's repository (--allow-outside).
 */
type Options = Omit<LoadWorkloadOptions, 'source'> & Partial<Pick<LoadWorkloadOptions, 'source'>> & { signal?: AbortSignal; allowOutside?: boolean };

function withDefaults(opts: Options): LoadWorkloadOptions {
  const { signal, allowOutside, ...rest } = opts;
  return { ...rest, source: opts.source ?? diskFileSource({ allowOutside: allowOutside === true, cwd: opts.cwd }), cooperate: opts.cooperate ?? { pause: yieldToEventLoop, signal } };
}

export function loadWorkloadFile(file: string, opts: Options): Promise<WorkloadFile> {
  return readWorkloadFile(file, withDefaults(opts));
}

export function loadWorkloadFiles(files: readonly string[], opts: Options): Promise<WorkloadFile[]> {
  return readWorkloadFiles(files, withDefaults(opts));
}
