// Typed user-facing errors: each names where it is, what was expected and, where it can, the fix.
import { inline } from './safe-text.js';

export interface Where {
  /** A file path as the user gave it (relative paths stay relative). */
  file?: string;
  line?: number;
  col?: number;
  /** A command-line option or argument, e.g. "--model". */
  option?: string;
  /** A field path inside the file, e.g. "workloads[2].volume". */
  field?: string;
}

export interface UsageErrorDetails extends Where {
  code?: string;
  expected?: string;
  hint?: string;
}

/** Bad input or usage: exit 2, printed without a stack trace. */
export class UsageError extends Error {
  readonly exitCode = 2;
  readonly code: string;
  readonly where: Where;
  readonly expected: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, details: UsageErrorDetails = {}) {
    super(message);
    this.name = 'UsageError';
    this.code = details.code ?? 'E_USAGE';
    const { code: _code, expected, hint, ...where } = details;
    this.where = where;
    this.expected = expected;
    this.hint = hint;
  }
}

/** Several problems found in one file: reported together, exit 2. */
export class UsageErrors extends Error {
  readonly exitCode = 2;
  constructor(readonly errors: UsageError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'UsageErrors';
  }
}

/** The user pressed Ctrl-C: exit 130 after partial results are written. */
export class InterruptedError extends Error {
  readonly exitCode = 130;
  constructor(message = 'interrupted') {
    super(message);
    this.name = 'InterruptedError';
  }
}

export function formatWhere(where: Where): string {
  const parts: string[] = [];
  if (where.file) {
    let loc = where.file;
    if (where.line !== undefined) {
      loc += `:${where.line}`;
      if (where.col !== undefined) loc += `:${where.col}`;
    }
    parts.push(loc);
  }
  if (where.option) parts.push(where.option);
  if (where.field) parts.push(where.field);
  return parts.join(': ');
}

/**
 * Lines of text for one usage error, without colour. Each part is one line by design: any control
 * character in it (a newline in a file name or key) is shown visibly, so it cannot start a line of its own.
 */
export function formatUsageError(err: UsageError): string[] {
  const where = formatWhere(err.where);
  const lines = [inline(`error: ${where ? `${where}: ` : ''}${err.message}`)];
  if (err.expected) lines.push(`  expected: ${inline(err.expected)}`);
  if (err.hint) lines.push(`  hint: ${inline(err.hint)}`);
  return lines;
}

/**
 * The line above several errors: "3 problems in workloads.yaml", or "5 problems: 3 in a.yaml, 2 in b.yaml";
 * undefined for a single error (it speaks for itself).
 */
export function problemCount(errors: readonly UsageError[]): string | undefined {
  if (errors.length < 2) return undefined;
  const byFile = new Map<string, number>();
  for (const e of errors) {
    const file = e.where.file ?? e.where.option ?? 'the command line';
    byFile.set(file, (byFile.get(file) ?? 0) + 1);
  }
  if (byFile.size === 1) return inline(`${errors.length} problems in ${[...byFile.keys()][0]!}`);
  return inline(`${errors.length} problems: ${[...byFile].map(([f, n]) => `${n} in ${f}`).join(', ')}`);
}
