// aip init: a starter workload file (aip.yaml) to edit, with a $schema line relative to it so editors check
// it from any clone of the repository. Never replaces an existing file.
import { isAbsolute, resolve } from 'node:path';
import { starterWorkloadFile } from '../core/workload/starter.js';
import type { Context } from '../io/context.js';
import { schemaRefFor } from '../io/paths.js';
import { writeOutput } from '../io/write-output.js';
import { DEFAULT_WORKLOAD_FILE } from './options.js';

interface InitOptions {
  output?: string;
}

export async function initCommand(ctx: Context, opts: InitOptions): Promise<number> {
  const file = opts.output ?? DEFAULT_WORKLOAD_FILE;
  const recommend = file === DEFAULT_WORKLOAD_FILE ? 'aip recommend' : `aip recommend ${file}`;
  const text = starterWorkloadFile({ schemaRef: schemaRefFor(ctx.cwd, file), fileName: file });
  await writeOutput(
    {
      shown: file,
      path: isAbsolute(file) ? file : resolve(ctx.cwd, file),
      option: '--output',
      exampleName: DEFAULT_WORKLOAD_FILE,
      what: 'the workload file',
      force: false,
      refuse: {
        message: 'already exists; aip init never replaces a file',
        code: 'E_EXISTS',
        expected: 'a file name that is not taken',
        hint: `edit it and run "${recommend}", or write the starter elsewhere: aip init -o other.yaml`,
      },
    },
    text,
  );
  if (!ctx.quiet) ctx.err(`wrote ${file}: two example workloads to edit into yours; then run "${recommend}" (or "aip wizard" to answer questions instead)`);
  return 0;
}
