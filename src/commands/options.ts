// Command-line values, in one place: the parser of every option value (each failing with a message that names
// the option, exit 2), the output-format choice, and the defaults commands apply themselves. Light: the option
// table (table.ts) and so `aip --help` load it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { parseDurationMs, parseRate } from '../bench/gates.js';
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { parseDuration } from '../core/workload/units.js';
import type { Context } from '../io/context.js';

/** Parsers commander calls with the option's text; commander words the error ("error: option '--x <n>' argument …"). */
/** "40k", "1.5M" → 40000, 1500000 (counts take units on the command line as in the workload file); else Number(). */
function countValue(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM])\s*$/.exec(value);
  return m ? Number(m[1]) * (/k/i.test(m[2]!) ? 1e3 : 1e6) : Number(value);
}

export const parse = {
  positiveInt(value: string): number {
    const n = countValue(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number greater than 0.');
    return n;
  },
  nonNegativeNumber(value: string): number {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0.');
    return n;
  },
  nonNegativeInt(value: string): number {
    const n = countValue(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0.');
    return n;
  },
  /** A fraction 0..1, or a percentage "2%". */
  rate(value: string): number {
    const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
    const n = pct ? Number(pct[1]) / 100 : Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a fraction from 0 to 1, e.g. 0.02 or 2%.');
    return n;
  },
  collect(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  },
  /** "50" (MB), "50MB", "512KB", "1GB" → bytes; at least 1 KB, at most 4 GB. */
  size(value: string): number {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(kb?|mb?|gb?)?\s*$/i.exec(value);
    const unit = (m?.[2] ?? 'mb').toLowerCase()[0]!;
    const bytes = m ? Number(m[1]) * (unit === 'k' ? 1024 : unit === 'g' ? 1024 ** 3 : 1024 ** 2) : NaN;
    if (!(bytes >= 1024 && bytes <= 4 * 1024 ** 3)) throw new InvalidArgumentError('expected a size from 1KB to 4GB, e.g. 50 or 50MB.');
    return Math.floor(bytes);
  },
};

/** A duration with its unit (800ms, 1.5s, 2m) in ms, for commander. */
export function durationMs(option: string): (text: string) => number {
  return (text) => parseDurationMs(text, option);
}

/** A duration above 0, in ms, for commander. */
export function positiveDurationMs(option: string, expected = 'a duration such as 200ms or 2s'): (text: string) => number {
  return (text) => {
    const ms = parseDurationMs(text, option);
    if (!(ms > 0)) throw new UsageError('must be above 0', { option, expected, code: 'E_DURATION' });
    return ms;
  };
}

/** --duration: how long to send, in ms. */
export function runDurationMs(text: string): number {
  const ms = parseDurationMs(text, '--duration');
  if (ms <= 0) throw new UsageError('the duration must be above 0', { option: '--duration', expected: 'e.g. 30s', code: 'E_DURATION' });
  return ms;
}

/** --rate: requests per second (5/s, 2.5, 300/min). */
export function ratePerS(text: string): number {
  return parseRate(text);
}

/** Seconds above 0, where a bare number is seconds (e.g. --batch-turnaround 2, 1.5s or 500ms). */
export function positiveSeconds(option: string): (text: string) => number {
  return (text) => {
    const bare = Number(text);
    const expected = 'seconds above 0 (a bare number is seconds here), e.g. 2, 1.5s or 500ms';
    let s: number;
    try {
      s = Number.isFinite(bare) && text.trim() !== '' ? bare : parseDurationMs(text, option) / 1000;
    } catch (err) {
      // A bare number is seconds for this option only; say so rather than parseDurationMs's general wording.
      if (err instanceof UsageError) throw new UsageError(err.message, { option, expected, code: 'E_DURATION' });
      throw err;
    }
    if (!(s > 0)) throw new UsageError('must be above 0', { option, expected, code: 'E_DURATION' });
    return s;
  };
}

/** A whole number from min to max. */
export function wholeNumber(option: string, text: string, min: number, max: number, expected: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`"${text}" is not a valid value`, { code: 'E_OPTION', option, expected });
  }
  return n;
}

/** --growth: percent per month (15 or 15%), above -100 and at most 1000; 0 when not given. */
export function monthlyGrowth(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text.trim().replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(n) || n <= -100 || n > 1000) {
    throw new UsageError(`"${text}" is not a monthly growth`, { code: 'E_OPTION', option: '--growth', expected: 'a percentage per month above -100 and at most 1000, e.g. --growth 15 or --growth 15%' });
  }
  return n;
}

/** --batch-every: a duration from 1 minute to 24 hours (latency keywords allowed, as in the workload file). */
export function batchEvery(text: string, keywords: Parameters<typeof parseDuration>[1]): number {
  const parsed = parseDuration(text, keywords);
  if (!parsed.ok || parsed.seconds < 60 || parsed.seconds > 86_400) {
    throw new UsageError(parsed.ok ? `"${text}" is outside 1 minute to 24 hours` : parsed.message, { code: 'E_OPTION', option: '--batch-every', expected: 'a duration from 1m to 24h, e.g. --batch-every 1h' });
  }
  return parsed.seconds;
}

/** The output formats of each command that has --format; the first is the default. */
export const FORMATS = {
  recommend: ['table', 'json', 'markdown'],
  check: ['table', 'markdown', 'json', 'github'],
  simulate: ['table', 'json'],
} as const;

/**
 * --json means --format json. Both given and disagreeing is a mistake worth saying (a script that
 * passes --json expects one JSON document), not something to resolve silently.
 */
export function chooseFormat<F extends string>(ctx: Context, given: string | undefined, allowed: readonly F[], fallback: F = allowed[0]!): F {
  if (given !== undefined && !(allowed as readonly string[]).includes(given)) {
    const alias: Record<string, string> = { md: 'markdown', text: 'table', txt: 'table', gh: 'github', annotations: 'github' };
    const guess = (alias[given.toLowerCase()] !== undefined && (allowed as readonly string[]).includes(alias[given.toLowerCase()]!) ? alias[given.toLowerCase()] : undefined) ?? closest(given, allowed, 1)[0];
    throw new UsageError(`unknown format "${given}"`, { code: 'E_FORMAT', option: '--format', expected: `one of: ${allowed.join(', ')}`, hint: guess ? `did you mean "${guess}"?` : undefined });
  }
  if (ctx.json) {
    if (given !== undefined && given !== 'json') {
      throw new UsageError(`--json and --format ${given} ask for different outputs`, { code: 'E_FORMAT', option: '--format', expected: 'one of them', hint: `drop --json for ${given}, or drop --format for JSON` });
    }
    return 'json' as F;
  }
  return (given as F | undefined) ?? fallback;
}

/** Defaults the commands apply themselves (where one depends on another option, or on data). */
export const SIMULATE_DEFAULTS = { seed: 1, runs: 100, months: 1, monthsWithGrowth: 12 };
/** The workload file "aip init" and "aip wizard" write, and recommend, simulate, check and baseline read when given none. */
export const DEFAULT_WORKLOAD_FILE = 'aip.yaml';
export const WIZARD_DEFAULTS = { output: DEFAULT_WORKLOAD_FILE };

/**
 * The workload files of a command: those given, or ./aip.yaml when there is one. With neither, an error that
 * says how to get a file.
 */
export function workloadFilesOrDefault(ctx: Context, files: readonly string[] | undefined, command: string): string[] {
  if (files && files.length > 0) return [...files];
  if (existsSync(resolve(ctx.cwd, DEFAULT_WORKLOAD_FILE))) return [DEFAULT_WORKLOAD_FILE];
  throw new UsageError(`no workload file given, and there is no ${DEFAULT_WORKLOAD_FILE} here`, {
    code: 'E_NO_FILE',
    expected: `a workload file: aip ${command} FILE, or ./${DEFAULT_WORKLOAD_FILE}`,
    hint: `run "aip init" for a starter ${DEFAULT_WORKLOAD_FILE} to edit, or "aip wizard" to write one from a few questions`,
  });
}
