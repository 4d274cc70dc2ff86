// Run aip in-process with injected I/O (command tests), or as a user does via bin/aip.js (end-to-end).
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { run } from '../../src/cli.js';
import type { InStream, OutStream, Proc } from '../../src/io/context.js';
import { BIN, ROOT } from './paths.js';

export { BIN, ROOT };

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
  /** The injected clock. Defaults to a fixed date so age warnings are deterministic. */
  now?: Date;
  tty?: boolean;
  /** The width of stdout and stderr, as a terminal reports it (process.stdout.columns). */
  columns?: number;
}

export const FIXED_NOW = new Date('2026-11-25T12:00:00Z');

class Capture implements OutStream {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** aip in-process: argv without "node aip". */
export async function runAip(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture(opts.tty ?? false, opts.columns);
  const stderr = new Capture(opts.tty ?? false, opts.columns);
  const stdin = Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]) as unknown as InStream;
  (stdin as { isTTY?: boolean }).isTTY = opts.tty ?? false;
  const proc: Proc = {
    argv: ['node', 'aip', ...args],
    env: { NO_COLOR: '1', ...opts.env },
    stdout,
    stderr,
    stdin,
    cwd: () => opts.cwd ?? ROOT,
  };
  const now = opts.now ?? FIXED_NOW;
  const code = await run(proc, () => new Date(now));
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The built bin/aip.js in a child process, as a user runs it. */
export function runBin(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      // No token-count cache unless a test asks for one: every run counts afresh, as on a new machine.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', AIP_NO_CACHE: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}
