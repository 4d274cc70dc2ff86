// Workload files from the disk (or another source): the core loader with the file system as its default source.
import type { LoadWorkloadOptions, WorkloadFile } from '../core/workload/normalise.js';
import { readWorkloadFile, readWorkloadFiles } from '../core/workload/normalise.js';
import { fsFileSource } from './file-source.js';

type Options = Omit<LoadWorkloadOptions, 'source'> & Partial<Pick<LoadWorkloadOptions, 'source'>>;

export function loadWorkloadFile(file: string, opts: Options): Promise<WorkloadFile> {
  return readWorkloadFile(file, { ...opts, source: opts.source ?? fsFileSource });
}

export function loadWorkloadFiles(files: readonly string[], opts: Options): Promise<WorkloadFile[]> {
  return readWorkloadFiles(files, { ...opts, source: opts.source ?? fsFileSource });
}
