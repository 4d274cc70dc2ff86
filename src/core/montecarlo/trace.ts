// A trace file of request timestamps → arrivals per minute, the shape a simulation replays (pure: text in).
import { UsageError } from '../errors.js';
import { MINUTES_PER_MONTH } from './arrivals.js';

export interface Trace {
  /** Arrivals per minute from the first timestamp (at most a month long). */
  perMinute: Float64Array;
  requests: number;
  /** Minutes the trace spans (≥ 1). */
  spanMinutes: number;
}

const EXPECTED = 'one timestamp per line: seconds or milliseconds since the Unix epoch, or an ISO 8601 date-time (a CSV takes the first column; # starts a comment)';

/**
 * Reads timestamps, one per line. Numbers above 1e11 are milliseconds, others seconds; anything else must
 * be an ISO 8601 date-time. A trace longer than 30 days is cut at 30 days.
 */
export function parseTrace(text: string, file: string): Trace {
  const times: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.replace(/#.*$/, '').split(',')[0]!.trim();
    if (line === '') continue;
    const ms = parseTimestamp(line);
    if (ms === undefined) {
      throw new UsageError(`"${truncate(line)}" is not a timestamp`, {
        code: 'E_TRACE_TIMESTAMP',
        file,
        line: i + 1,
        col: raw.indexOf(line) + 1,
        expected: EXPECTED,
        hint: i === 0 ? 'remove the header line, or start it with #' : 'fix or remove this line',
      });
    }
    times.push(ms);
  }
  if (times.length === 0) {
    throw new UsageError('the trace has no timestamps', { code: 'E_TRACE_EMPTY', file, expected: EXPECTED });
  }
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const spanMinutes = Math.min(MINUTES_PER_MONTH, Math.floor((last - first) / 60_000) + 1);
  const perMinute = new Float64Array(spanMinutes);
  let requests = 0;
  for (const t of times) {
    const m = Math.floor((t - first) / 60_000);
    if (m < spanMinutes) {
      perMinute[m] = perMinute[m]! + 1;
      requests += 1;
    }
  }
  return { perMinute, requests, spanMinutes };
}

function parseTimestamp(s: string): number | undefined {
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    return n > 1e11 ? n : n * 1000;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : undefined;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
