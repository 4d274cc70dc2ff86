// The files aip bench writes: the JSON result (-o/--output, --out) and the request log (--log). Each replaces
// only an earlier file of its own kind (or any file with --force), and never a file the run reads or the other.
import { isAbsolute, resolve } from 'node:path';
import type { OutputTarget } from '../io/write-output.js';

interface BenchOutputOptions {
  output?: string;
  out?: string;
  log?: string;
  force?: boolean;
  workload?: string;
  prompt?: string[];
}

export function benchOutputs(opts: BenchOutputOptions, cwd: string, catalogs: readonly string[]): { json?: OutputTarget; log?: OutputTarget } {
  const abs = (f: string) => (isAbsolute(f) ? f : resolve(cwd, f));
  const jsonFile = opts.output ?? opts.out;
  const jsonOption = opts.output !== undefined ? '--output' : '--out';
  const inputs = [
    ...(opts.workload !== undefined ? [{ path: abs(opts.workload), option: '--workload' }] : []),
    ...(opts.prompt ?? []).map((f) => ({ path: abs(f), option: '--prompt' })),
    ...catalogs.map((f) => ({ path: abs(f), option: '--catalog' })),
  ];
  const force = opts.force === true;
  const hint = 'choose another path, or add --force to replace it';
  return {
    ...(jsonFile !== undefined
      ? {
          json: {
            shown: jsonFile,
            path: abs(jsonFile),
            option: jsonOption,
            exampleName: 'bench.json',
            what: 'the result',
            force,
            ownFile: isBenchResult,
            refuse: { message: 'refusing to overwrite a file that is not an aip bench result', expected: 'a new file, or a result written by "aip bench -o"', hint },
            others: [...inputs, ...(opts.log !== undefined ? [{ path: abs(opts.log), option: '--log' }] : [])],
          },
        }
      : {}),
    ...(opts.log !== undefined
      ? {
          log: {
            shown: opts.log,
            path: abs(opts.log),
            option: '--log',
            exampleName: 'requests.jsonl',
            what: 'the request log',
            force,
            ownFile: isRequestLog,
            refuse: { message: 'refusing to overwrite a file that is not an aip request log', expected: 'a new file, or a log written by "aip bench --log"', hint },
            others: [...inputs, ...(jsonFile !== undefined ? [{ path: abs(jsonFile), option: jsonOption }] : [])],
          },
        }
      : {}),
  };
}

/** The JSON `aip bench -o` writes: { aip_version, target, …, patterns }. */
function isBenchResult(text: string): boolean {
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    return typeof doc.aip_version === 'string' && typeof doc.target === 'string' && typeof doc.patterns === 'object' && doc.patterns !== null;
  } catch {
    return false;
  }
}

/** The JSONL `aip bench --log` writes: every line an object with a timestamp and a pattern (the first decides). */
function isRequestLog(text: string): boolean {
  try {
    const first = JSON.parse(text.slice(0, text.indexOf('\n') + 1 || undefined)) as Record<string, unknown> | null;
    return typeof first?.ts === 'string' && typeof first.pattern === 'string';
  } catch {
    return false;
  }
}
