// Which fault, if any, a request meets: forced by the x-aip-fault header, or rolled at the configured rates.
import type { Random } from '../core/random.js';
import { parseFraction } from '../core/workload/units.js';

export const FAULT_KINDS = ['429', '500', '503', '529', 'timeout', 'drop', 'stall', 'malformed', 'batch-item-error', 'batch-expire', 'invalid-json', 'tool-error', 'shed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultRates = Partial<Record<FaultKind, number>>;

/** The pause of a `stall` fault before scaling, s: past the typical 60 s idle timeouts, so a client's watchdog fires. */
export const DEFAULT_STALL_SECONDS = 120;

/** The header a client sends to force one fault on one request, e.g. `x-aip-fault: 429`. */
export const FAULT_HEADER = 'x-aip-fault';

/** Faults that answer a request with an HTTP error before any body. */
export const STATUS_FAULTS: readonly FaultKind[] = ['429', '500', '503', '529'];
/** Faults that break a response in flight (they need a body to break). */
export const STREAM_FAULTS: readonly FaultKind[] = ['drop', 'stall', 'malformed'];
/** Faults of a whole request (before its body). */
export const REQUEST_FAULTS: readonly FaultKind[] = [...STATUS_FAULTS, 'timeout'];

export function isFaultKind(s: string): s is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(s);
}

/** "KIND:RATE" (rate in [0, 1], or a percentage such as 5%); RATE may be left out, meaning 1. Throws an Error with a user-facing message. */
export function parseFaultSpec(spec: string): { kind: FaultKind; rate: number } {
  const colon = spec.lastIndexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim().toLowerCase();
  const rateText = colon < 0 ? '1' : spec.slice(colon + 1).trim();
  if (!isFaultKind(kind)) throw new Error(`unknown fault kind "${kind}"; expected one of ${FAULT_KINDS.join(', ')}`);
  // 0.05 or "5%", as fractions are written everywhere in aip; "5" gets "did you mean 0.05 (or "5%")?".
  const parsed = parseFraction(rateText);
  if (rateText === '' || !parsed.ok) throw new Error(`fault rate "${rateText}" must be a fraction of requests from 0 to 1, or a percentage (0.05 or 5%)${!parsed.ok && parsed.hint ? `: ${parsed.hint}` : ''}`);
  return { kind, rate: parsed.fraction };
}

export function parseFaultSpecs(specs: readonly string[]): FaultRates {
  const rates: FaultRates = {};
  for (const s of specs) {
    const { kind, rate } = parseFaultSpec(s);
    rates[kind] = rate;
  }
  return rates;
}

/** The header's forced faults: "429", "drop", "batch-item-error:0.5", or a comma list of these. */
export function forcedFaults(header: string | string[] | undefined): FaultRates | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '') return undefined;
  return parseFaultSpecs(text.split(',').map((s) => s.trim()).filter(Boolean));
}

/**
 * The first of `kinds` that strikes. Forced faults (rate from the header, 1 unless given) replace the
 * configured rates for this request, so a test can force one fault and know no other will fire.
 */
export function rollFault(kinds: readonly FaultKind[], rates: FaultRates, rng: Random): FaultKind | undefined {
  for (const kind of kinds) {
    const rate = rates[kind];
    if (rate !== undefined && rate > 0 && (rate >= 1 || rng.uniform() < rate)) return kind;
  }
  return undefined;
}
