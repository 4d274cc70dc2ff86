// What a command is handed: its I/O, environment, clock and global options. Commands never touch `process`.
import { safeOutput } from '../core/safe-text.js';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface InStream extends AsyncIterable<Buffer | string> {
  isTTY?: boolean;
}

export interface Proc {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  cwd(): string;
  /** Register a handler for SIGINT/SIGTERM; returns an unsubscribe function. Absent in tests that pass a fake. */
  on?(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off?(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  /** End the process at once (only the entry point calls this, on a second Ctrl-C). */
  exit?(code: number): never;
}

export interface GlobalOptions {
  json: boolean;
  quiet: boolean;
  catalog: string[];
  /** --max-input-size in bytes; undefined: the default (io/input-limits.ts). */
  maxInputBytes?: number;
}

export interface Context extends GlobalOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  /** Colour on stdout: only on a TTY and never with NO_COLOR. */
  color: boolean;
  /** Colour and progress on stderr. */
  stderrColor: boolean;
  /**
   * Columns of text for people on stdout: $COLUMNS when set, else the terminal's width, else 80 (a pipe or
   * a file). Tables stack and prose wraps to fit it; machine output ignores it.
   */
  width: number;
  /** The clock, injected so tests and the simulator control time. */
  now(): Date;
  /** Aborted when the user presses Ctrl-C (or SIGTERM). */
  signal: AbortSignal;
  /**
   * Write text to stdout; a trailing newline is added when missing. Control characters are shown visibly
   * and no line may start a GitHub workflow command unless `workflowCommands` (core/safe-text.ts).
   */
  out(text: string, opts?: { workflowCommands?: boolean }): void;
  /** Write a diagnostic to stderr (never stdout); a trailing newline is added when missing. Neutralised as out(). */
  err(text: string): void;
}

export function colorEnabled(stream: OutStream, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The width output for people must fit: $COLUMNS, else the stream's columns (a terminal), else 80; never under 40. */
export function outputWidth(stream: OutStream, env: Record<string, string | undefined>): number {
  const fromEnv = env.COLUMNS !== undefined && /^\d+$/.test(env.COLUMNS.trim()) ? Number(env.COLUMNS.trim()) : undefined;
  const columns = fromEnv ?? (stream.columns && stream.columns > 0 ? stream.columns : 80);
  return Math.max(40, Math.min(columns, 1000));
}

export function makeContext(proc: Proc, globals: GlobalOptions, signal: AbortSignal, now: () => Date = () => new Date()): Context {
  const line = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  const color = colorEnabled(proc.stdout, proc.env) && !globals.json;
  const stderrColor = colorEnabled(proc.stderr, proc.env);
  return {
    ...globals,
    env: proc.env,
    cwd: proc.cwd(),
    stdout: proc.stdout,
    stderr: proc.stderr,
    stdin: proc.stdin,
    color,
    stderrColor,
    width: outputWidth(proc.stdout, proc.env),
    now,
    signal,
    out: (s, opts) => void proc.stdout.write(safeOutput(line(s), { color, workflowCommands: opts?.workflowCommands })),
    err: (s) => void proc.stderr.write(safeOutput(line(s), { color: stderrColor })),
  };
}
