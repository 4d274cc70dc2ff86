// Parsing the workload file's units: volumes ("12k/day" → requests per month) and latency tolerances
// ("30s", "overnight" → seconds). Pure; a month is 30 days (720 hours) everywhere. Messages never quote the
// text back (it may come from a file; the caller says where).

import { MAX_REQUESTS_PER_MONTH } from '../bounds.js';

export const SECONDS_PER_MONTH = 30 * 24 * 3600;
export const MINUTES_PER_MONTH = 30 * 24 * 60;

export type Parsed<T> = ({ ok: true } & T) | { ok: false; message: string; expected: string; hint?: string };

const PER: Record<string, number> = {
  s: SECONDS_PER_MONTH,
  sec: SECONDS_PER_MONTH,
  second: SECONDS_PER_MONTH,
  min: MINUTES_PER_MONTH,
  minute: MINUTES_PER_MONTH,
  h: 720,
  hour: 720,
  hr: 720,
  d: 30,
  day: 30,
  month: 1,
  mo: 1,
};
const SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, b: 1e9, B: 1e9 };

export const VOLUME_EXPECTED = 'requests per month as a number, or "12k/day", "300/hour", "20/min", "2/s", "1.5M/month"';
export const VOLUME_PATTERN = '^\\s*\\d[\\d_,]*(\\.\\d+)?\\s*[kKmMbB]?\\s*(/\\s*(s|sec|second|min|minute|h|hr|hour|d|day|mo|month)s?)?\\s*$';

/** "12k/day" → 360000 requests per month. */
export function parseVolume(value: number | string): Parsed<{ perMonth: number }> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return { ok: false, message: `${Number.isFinite(value) ? value : 'a non-finite number'} is not a positive number of requests`, expected: VOLUME_EXPECTED };
    return withinBound(value);
  }
  const text = value.trim();
  const m = /^(-?[\d_,]*\.?\d+)\s*([a-zA-Z]?)\s*(?:\/\s*([a-zA-Z]+))?$/.exec(text);
  if (!m) {
    const suggestion = volumeSuggestion(text);
    return { ok: false, message: 'not a volume', expected: VOLUME_EXPECTED, hint: suggestion ? `did you mean "${suggestion}"?` : 'write a number and a unit, e.g. "12k/day"' };
  }
  const number = Number(m[1]!.replace(/[_,]/g, ''));
  const suffix = m[2] ?? '';
  const unitRaw = m[3];
  if (!(suffix in SUFFIX)) {
    return { ok: false, message: 'unknown multiplier', expected: 'k (thousand) or M (million)', hint: `e.g. "${m[1]}k/day"` };
  }
  let per = 1;
  if (unitRaw !== undefined) {
    const unit = unitRaw.toLowerCase().replace(/s$/, '') || unitRaw.toLowerCase();
    const found = PER[unit] ?? PER[unitRaw.toLowerCase()];
    if (found === undefined) {
      return {
        ok: false,
        message: 'unknown unit',
        expected: 'one of /s, /min, /hour, /day, /month',
        hint: /^w(ee)?k/i.test(unitRaw) ? `a week is 7 days: write "${trimNumber((number * (SUFFIX[suffix] ?? 1)) / 7)}/day"` : 'e.g. "300/hour" or "12k/day"',
      };
    }
    per = found;
  }
  if (!Number.isFinite(number) || number <= 0) {
    return { ok: false, message: 'not a positive volume', expected: VOLUME_EXPECTED };
  }
  return withinBound(number * SUFFIX[suffix]! * per);
}

function withinBound(perMonth: number): Parsed<{ perMonth: number }> {
  if (perMonth > MAX_REQUESTS_PER_MONTH) return { ok: false, message: `above the maximum of ${MAX_REQUESTS_PER_MONTH.toExponential()} requests per month`, expected: VOLUME_EXPECTED };
  return { ok: true, perMonth };
}

function trimNumber(n: number): string {
  return String(Math.round(n * 10) / 10);
}

export const latencyKeywords = ['interactive', 'seconds', 'minutes', 'hours', 'overnight'] as const;
export type LatencyKeyword = (typeof latencyKeywords)[number];

export const DURATION_EXPECTED = 'a duration such as "800ms", "30s", "15m", "2h", "24h", or one of interactive, seconds, minutes, hours, overnight';
export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?\\s*(ms|s|sec|m|min|h|hr|hours?|d|days?)|interactive|seconds|minutes|hours|overnight)\\s*$';

const DURATION_UNIT: Record<string, number> = { ms: 0.001, s: 1, sec: 1, second: 1, seconds: 1, m: 60, min: 60, minute: 60, minutes: 60, h: 3600, hr: 3600, hour: 3600, hours: 3600, d: 86400, day: 86400, days: 86400 };

/** "5mins" → "5min", "2hrs" → "2h", "1 week" → "7d": the duration as it should be written (from the parsed number). */
function durationUnitHint(n: number, unit: string): string {
  const singular = unit.replace(/s$/, '');
  if (DURATION_UNIT[singular] !== undefined) return `did you mean "${n}${singular}"?`;
  if (/^(msecs?|millis(econds?)?|milliseconds?)$/.test(unit)) return `did you mean "${n}ms"?`;
  if (/^(secs?|seconds?)$/.test(unit)) return `did you mean "${n}s"?`;
  if (/^(mins?|minutes?)$/.test(unit)) return `did you mean "${n}m"?`;
  if (/^(hrs?|hours?)$/.test(unit)) return `did you mean "${n}h"?`;
  if (/^(w|wk|wks|weeks?)$/.test(unit)) return `did you mean "${trimNumber(n * 7)}d"?`;
  return 'use ms, s, m, h or d';
}

/** "15m" → 900; a keyword → its seconds from the thresholds data. */
export function parseDuration(text: string, keywords: Record<LatencyKeyword, number>): Parsed<{ seconds: number; keyword?: LatencyKeyword }> {
  const t = text.trim().toLowerCase();
  if (t === 'todo') {
    return { ok: false, message: 'the latency tolerance is not set yet ("TODO", written by aip import: traffic cannot say how long a caller may wait)', expected: DURATION_EXPECTED, hint: 'set it, e.g. "3s" for a chat a person watches, "24h" for a nightly job' };
  }
  if ((latencyKeywords as readonly string[]).includes(t)) return { ok: true, seconds: keywords[t as LatencyKeyword], keyword: t as LatencyKeyword };
  const m = /^(-?\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(t);
  if (!m) return { ok: false, message: 'not a latency tolerance', expected: DURATION_EXPECTED };
  const n = Number(m[1]);
  const unit = m[2]!;
  if (unit === '') return { ok: false, message: 'a duration without a unit', expected: DURATION_EXPECTED, hint: `did you mean ${latencySuggestion(n)}?` };
  const factor = DURATION_UNIT[unit];
  if (factor === undefined) return { ok: false, message: 'unknown unit', expected: DURATION_EXPECTED, hint: durationUnitHint(n, unit) };
  if (!(n > 0)) return { ok: false, message: 'must be greater than 0', expected: DURATION_EXPECTED };
  return { ok: true, seconds: n * factor };
}

export const COUNT_EXPECTED = 'a whole number of tokens, e.g. 1200, "15k" or "1.5M"';

/**
 * A token count: a whole number, or text with a thousands multiplier ("15k", "1.5M", "12,000"). A near miss
 * gets the exact text to write, built from the parsed digits (never the file's own text).
 */
export function parseCount(value: number | string, max: number): Parsed<{ n: number }> {
  let n: number;
  if (typeof value === 'number') n = value;
  else {
    const m = /^\s*(\d[\d_,]*(?:\.\d+)?|\.\d+)\s*([kKmM]?)\s*(?:tokens?|tok)?\s*$/.exec(value);
    if (!m) return { ok: false, message: 'not a token count', expected: COUNT_EXPECTED };
    n = Number(m[1]!.replace(/[_,]/g, '')) * SUFFIX[m[2] ?? '']!;
  }
  // A number from the file is shown as written (digits only); text is not quoted back.
  const shown = typeof value === 'number' ? `${value} is` : 'text is';
  if (!Number.isFinite(n) || n < 0) return { ok: false, message: `${shown} below the minimum 0`, expected: COUNT_EXPECTED };
  if (!Number.isInteger(n)) {
    // "1.2345k" or 12.5: the nearest whole number is what was meant.
    return { ok: false, message: `${shown} not a whole number`, expected: COUNT_EXPECTED, hint: `did you mean ${Math.round(n)}?` };
  }
  if (n > max) return { ok: false, message: `above the maximum of ${max.toExponential()} tokens`, expected: COUNT_EXPECTED };
  return { ok: true, n };
}

export const FRACTION_EXPECTED = 'a fraction from 0 to 1, e.g. 0.65 or "65%"';

/**
 * A fraction: 0..1 as a number, or a percentage as text ("65%"). A number above 1 and at most 100 is most
 * likely a percentage: the hint says the two ways to write it.
 */
export function parseFraction(value: number | string): Parsed<{ fraction: number }> {
  let f: number;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 1 && value <= 100) {
      const frac = trimFraction(value / 100);
      return { ok: false, message: `${value} is above 1`, expected: FRACTION_EXPECTED, hint: `did you mean ${frac} (or "${value}%")?` };
    }
    f = value;
  } else {
    const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(value);
    if (!m) return { ok: false, message: 'not a fraction', expected: FRACTION_EXPECTED };
    const n = Number(m[1]);
    if (m[2] === '%') f = n / 100;
    else if (n > 1 && n <= 100) return { ok: false, message: 'above 1', expected: FRACTION_EXPECTED, hint: `did you mean ${trimFraction(n / 100)} (or "${n}%")?` };
    else f = n;
  }
  if (!Number.isFinite(f) || f < 0 || f > 1) return { ok: false, message: 'not between 0 and 1', expected: FRACTION_EXPECTED };
  return { ok: true, fraction: f };
}

/** 0.6500000001 → "0.65": at most 6 decimals, no trailing zeros. */
function trimFraction(f: number): string {
  return String(Number(f.toFixed(6)));
}

const UNIT_WORDS: Record<string, string> = { s: 's', sec: 's', second: 's', min: 'min', minute: 'min', h: 'hour', hr: 'hour', hour: 'hour', d: 'day', day: 'day', mo: 'month', month: 'month' };

/**
 * "10 per day", "10 a day", "10 requests/day", "10 req per hour" → "10/day": the volume as it should be
 * written, built from the parsed number, multiplier and unit; undefined when the text is not such a near miss.
 */
export function volumeSuggestion(text: string): string | undefined {
  const m = /^\s*(\d[\d_,]*(?:\.\d+)?)\s*([kKmMbB]?)\s*(?:req(?:uest)?s?|calls?|messages?|times?)?\s*(?:\/|per|a|an|each|every)\s*([a-zA-Z]+)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNIT_WORDS[m[3]!.toLowerCase().replace(/s$/, '')] ?? UNIT_WORDS[m[3]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Number(m[1]!.replace(/[_,]/g, ''));
  if (!Number.isFinite(n)) return undefined;
  return `${n}${m[2] ?? ''}/${unit}`;
}

/** A latency without a unit (3000, "3000") → "3000ms" when it reads as milliseconds, "30s" otherwise. */
export function latencySuggestion(n: number): string {
  return n >= 100 ? `"${n}ms"` : `"${n}s"`;
}
