// The size limit on input files (workload, prompt, --catalog, baseline and trace files): 20 MB unless the
// global --max-input-size raises it. Set once per run by the entry point, read where files are read.
import { DEFAULT_MAX_INPUT_BYTES } from '../core/workload/file-source.js';

let maxInputBytes = DEFAULT_MAX_INPUT_BYTES;

/** Called by cli.ts at the start of every run (undefined: the default). */
export function setMaxInputBytes(bytes: number | undefined): void {
  maxInputBytes = bytes ?? DEFAULT_MAX_INPUT_BYTES;
}

export function getMaxInputBytes(): number {
  return maxInputBytes;
}
