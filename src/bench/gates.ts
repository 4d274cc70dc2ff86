// Parsing and checking what the user asks of a run: --threshold expressions (a CI gate, exit 1 when one is
// missed) and --slo targets (goodput: requests that met every target).
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { PATTERNS } from '../core/recommend/pattern.js';
import type { StopReason } from './load.js';

export type Comparison = '<' | '<=' | '>' | '>=' | '==';

export interface Threshold {
  /** As the user wrote it. */
  text: string;
  pattern: string;
  /** Path inside the pattern's figures, e.g. ["ttft_ms", "p95"] or ["errors_rate"]. */
  path: string[];
  op: Comparison;
  value: number;
}

export interface ThresholdVerdict {
  threshold: string;
  actual: number | null;
  passed: boolean;
}

const EXPR = /^\s*([a-z]+)\.([a-z0-9_.]+)\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/i;

export function parseThreshold(text: string): Threshold {
  const m = EXPR.exec(text);
  const expected = 'PATTERN.METRIC[.STAT] OP NUMBER, e.g. streaming.ttft_ms.p95<800 or direct.errors_rate<0.01';
  if (!m) throw new UsageError(`cannot read the threshold "${text}"`, { option: '--threshold', expected, code: 'E_THRESHOLD' });
  const [, pattern, path, op, value] = m as unknown as [string, string, string, Comparison, string];
  if (!(PATTERNS as readonly string[]).includes(pattern)) {
    const [near] = closest(pattern, PATTERNS);
    throw new UsageError(`unknown pattern "${pattern}" in threshold "${text}"`, {
      option: '--threshold',
      expected: `one of ${PATTERNS.join(', ')}`,
      ...(near ? { hint: `did you mean ${near}?` } : {}),
      code: 'E_THRESHOLD',
    });
  }
  return { text: text.trim(), pattern, path: path.split('.'), op, value: Number(value) };
}

/** Metrics a threshold may name beyond the figures themselves: rates over the measured requests. */
export function derivedMetrics(figures: { requests: number; ok: number; failed: number; retries: number }): Record<string, number | null> {
  const per = (n: number) => (figures.requests > 0 ? n / figures.requests : null);
  return { errors_rate: per(figures.failed), error_rate: per(figures.failed), ok_rate: per(figures.ok), retries_rate: per(figures.retries) };
}

/** Names a threshold can use on these figures (for "did you mean"). */
function metricNames(obj: Record<string, unknown>, prefix = ''): string[] {
  const names: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'number') names.push(prefix + k);
    else if (v && typeof v === 'object' && !Array.isArray(v)) names.push(...metricNames(v as Record<string, unknown>, `${prefix}${k}.`));
  }
  return names;
}

/** The figure names a threshold may use (values irrelevant): checked before the run. */
export function emptyFigures(): Record<string, unknown> {
  const p = { p50: 0, p95: 0, p99: 0 };
  return {
    requests: 0, ok: 0, failed: 0, errors: {}, retries: 0, partial: 0, fallbacks: 0, skipped_spend_cap: 0, interrupted_in_flight: 0,
    ttfb_ms: p, ttft_ms: p, latency_ms: p, itl_ms: p, tpot_ms: p, output_tokens_per_s: p,
    goodput: { good: 0, fraction: 0, per_s: 0 }, duration_s: 0, throughput_rps: 0, cost_usd: 0, turnaround_ms: 0, submit_ms: 0, polls: 0,
    reasoning_ms: p, reasoning_tokens: 0, usage_estimated: 0, no_terminal_event: 0, itl_coalesced_tokens: 0,
  };
}

/**
 * Check a threshold against a pattern's figures. A metric that does not exist is a usage error (exit 2);
 * one that exists but has no data (null: nothing measured) fails the threshold — a gate must not pass blind.
 */
export function checkThreshold(t: Threshold, figures: Record<string, unknown> | undefined, knownShape: Record<string, unknown>): ThresholdVerdict {
  const shape = { ...knownShape, ...derivedMetrics({ requests: 0, ok: 0, failed: 0, retries: 0 }) };
  const name = t.path.join('.');
  const names = metricNames(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v === null ? 0 : v])));
  const known = names.includes(name) || lookup(shape, t.path) !== undefined;
  if (!known) {
    const [near] = closest(name, names);
    throw new UsageError(`unknown metric "${name}" in threshold "${t.text}"`, {
      option: '--threshold',
      expected: 'a figure of the pattern, e.g. ttft_ms.p95, latency_ms.p99, output_tokens_per_s.p50, errors_rate, retries, cost_usd',
      ...(near ? { hint: `did you mean ${t.pattern}.${near}?` } : {}),
      code: 'E_THRESHOLD',
    });
  }
  if (!figures) return { threshold: t.text, actual: null, passed: false };
  const all = { ...figures, ...derivedMetrics(figures as { requests: number; ok: number; failed: number; retries: number }) };
  const v = lookup(all, t.path);
  const actual = typeof v === 'number' ? v : null;
  if (actual === null) return { threshold: t.text, actual, passed: false };
  const passed =
    t.op === '<' ? actual < t.value : t.op === '<=' ? actual <= t.value : t.op === '>' ? actual > t.value : t.op === '>=' ? actual >= t.value : actual === t.value;
  return { threshold: t.text, actual, passed };
}

function lookup(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export interface Slo {
  ttftMs?: number;
  latencyMs?: number;
}

/**
 * "800ms", "1.5s", "2m". A bare number other than 0 is refused: "--timeout 5" read as 5 ms would make
 * every request time out, and read as 5 s would surprise someone else — the unit must be said.
 */
export function parseDurationMs(text: string, option: string): number {
  const expected = 'a duration with its unit, such as 800ms, 1.5s or 2m';
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/.exec(text);
  if (!m) throw new UsageError(`cannot read the duration "${text}"`, { option, expected, code: 'E_DURATION' });
  const n = Number(m[1]);
  if (m[2] === undefined && n !== 0) {
    throw new UsageError(`"${text.trim()}" has no unit`, { option, expected, hint: `did you mean ${n}s or ${n}ms?`, code: 'E_DURATION' });
  }
  const unit = m[2] ?? 'ms';
  return unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000;
}

export function parseSlo(text: string): Slo {
  const slo: Slo = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (!key || value === undefined) throw new UsageError(`cannot read "${part}"`, { option: '--slo', expected: 'ttft=DURATION,latency=DURATION, e.g. ttft=800ms,latency=5s', code: 'E_SLO' });
    if (key === 'ttft') slo.ttftMs = parseDurationMs(value, '--slo');
    else if (key === 'latency' || key === 'e2e') slo.latencyMs = parseDurationMs(value, '--slo');
    else {
      const [near] = closest(key, ['ttft', 'latency']);
      throw new UsageError(`unknown SLO target "${key}"`, { option: '--slo', expected: 'ttft and/or latency', ...(near ? { hint: `did you mean ${near}?` } : {}), code: 'E_SLO' });
    }
  }
  if (slo.ttftMs === undefined && slo.latencyMs === undefined) throw new UsageError('no target given', { option: '--slo', expected: 'ttft=DURATION,latency=DURATION', code: 'E_SLO' });
  return slo;
}

/** "5/s", "5", "300/min" → requests per second. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute))?\s*$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !(n > 0)) throw new UsageError(`cannot read the rate "${text}"`, { option: '--rate', expected: 'requests per second above 0, e.g. 5/s, 2.5 or 300/min', code: 'E_RATE' });
  return m[2] && m[2].startsWith('m') ? n / 60 : n;
}

/** A pattern whose run cannot pass, whatever the thresholds say. */
export interface BrokenPattern {
  pattern: string;
  /** One sentence: what went wrong, with the first error as the target gave it. */
  problem: string;
  first_error: { class: string; status: number | null; message: string } | null;
}

interface RunFigures {
  requests: number;
  ok: number;
  failed: number;
  available?: boolean;
  first_error?: BrokenPattern['first_error'];
  /** Batch: the provider's id and last status, when the batch was submitted. */
  batch_id?: string | null;
  batch_status?: string;
  cancelled?: boolean;
}

/**
 * A broken run never passes: a pattern that ran (and is offered by the target) with no successful request, or
 * with an error rate above --max-error-rate, or that --duration ended before anything was measured (a batch
 * still running). A pattern the target does not offer, or one cut by Ctrl-C or the spend cap before anything
 * was measured, is not broken.
 */
export function brokenPatterns(
  patterns: Partial<Record<string, RunFigures>>,
  maxErrorRate: number | undefined,
  stoppedBy: Partial<Record<string, StopReason>> = {},
): BrokenPattern[] {
  const out: BrokenPattern[] = [];
  for (const [pattern, f] of Object.entries(patterns)) {
    if (!f || f.available === false) continue;
    const firstError = f.first_error ?? null;
    const said = firstError ? `; first error: ${firstError.message}` : '';
    if (f.ok === 0 && f.requests === 0 && !firstError && stoppedBy[pattern] === 'duration') {
      // --duration ended before anything was measured: a batch still running at the provider, typically.
      const left = f.batch_id ? `; batch ${f.batch_id} was ${f.batch_status ?? 'running'}${f.cancelled ? ' and is cancelled' : ', is left running and may be billed (cancel it, or add --cancel-on-exit)'}` : '';
      out.push({ pattern, problem: `nothing measured within --duration${left}; give --duration longer than the turnaround, or leave it out`, first_error: null });
    } else if (f.ok === 0 && (f.requests > 0 || firstError)) {
      const how = f.requests > 0 ? `${f.failed} of ${f.requests} failed` : 'none was accepted';
      out.push({ pattern, problem: `no successful request (${how})${said}`, first_error: firstError });
    } else if (maxErrorRate !== undefined && f.requests > 0 && f.failed / f.requests > maxErrorRate) {
      const rate = f.failed / f.requests;
      out.push({ pattern, problem: `error rate ${(rate * 100).toFixed(1)}% is above --max-error-rate ${(maxErrorRate * 100).toFixed(1)}% (${f.failed} of ${f.requests} failed)${said}`, first_error: firstError });
    }
  }
  return out;
}
