// Number formatting for people: money, counts, durations. Machine output (--json) never goes through here.
// Never prints NaN, Infinity or "∞" (those show as "-"), and never more than about 20 characters: at 1e15 and
// beyond a number is written with an exponent ("$2.10e+19"), so a hostile file cannot fill a line with digits.

/** From here on numbers are written with an exponent. */
const HUGE = 1e15;

// toLocaleString builds a new Intl formatter on every call (slow across thousands of workloads): reuse them.
const formatters = new Map<string, Intl.NumberFormat>();
function grouped(value: number, minDigits: number, maxDigits: number): string {
  if (Math.abs(value) >= HUGE) return value.toExponential(2);
  // Whole numbers without forced decimals: plain digits with commas (the common case, and much faster).
  if (minDigits === 0 && Number.isInteger(value) && Math.abs(value) < 1e21) return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // The same text as Intl.NumberFormat (rounding half away from zero on the shortest decimal form) without
  // loading ICU's number formatting, which costs ~15 ms on the first call of a run (checked against Intl on
  // millions of values): a third of recommend's start-up.
  if (Math.abs(value) < 1e21) {
    let text = fixedDecimal(Math.abs(value), maxDigits);
    if (maxDigits > minDigits) text = text.replace(new RegExp(`(\\.\\d{${minDigits}}\\d*?)0+$`), '$1').replace(/\.$/, '');
    const [whole, fraction] = text.split('.');
    const digits = `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
    return value < 0 || Object.is(value, -0) ? `-${digits}` : digits;
  }
  const key = `${minDigits}:${maxDigits}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits })));
  return f.format(value);
}

/** A non-negative number below 1e21 to `digits` places, rounded half away from zero on its shortest decimal form. */
function fixedDecimal(abs: number, digits: number): string {
  const s = String(abs);
  if (s.includes('e')) return abs.toFixed(digits);
  const [whole, fraction = ''] = s.split('.');
  if (fraction.length <= digits) return digits ? `${whole}.${fraction.padEnd(digits, '0')}` : whole!;
  let n = BigInt(whole! + fraction.slice(0, digits));
  if (fraction[digits]! >= '5') n += 1n;
  const t = n.toString().padStart(digits + 1, '0');
  return digits ? `${t.slice(0, -digits)}.${t.slice(-digits)}` : t;
}

/** "$1,240.50", "$0.0042", "-" for null/undefined. */
export function usd(value: number | null | undefined, opts: { sign?: boolean; cents?: boolean } = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  let digits: number;
  if (opts.cents === false) digits = 0;
  else if (abs === 0 || abs >= 1) digits = 2;
  else if (abs >= 0.01) digits = 3;
  else digits = 4;
  const text = grouped(abs, digits, digits);
  const sign = value < 0 ? '-' : opts.sign && value > 0 ? '+' : '';
  return `${sign}$${text}`;
}

/**
 * Money with a fixed number of significant figures, for a column or a sentence where the cents of a large sum
 * are noise: usdSig(130.94, 3) → "$131", usdSig(2811.3, 3) → "$2,811" (whole dollars are never dropped),
 * usdSig(0.436, 3) → "$0.436", usdSig(0.0008, 2) → "$0.00080". A column calls it with one `sig` for every row.
 */
export function usdSig(value: number | null | undefined, sig = 3, opts: { sign?: boolean } = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  const digits = abs === 0 ? 0 : Math.min(10, Math.max(0, sig - 1 - Math.floor(Math.log10(abs))));
  const text = grouped(abs, digits, digits);
  const zero = /^[0.,]+$/.test(text);
  const sign = zero ? '' : value < 0 ? '-' : opts.sign && value > 0 ? '+' : '';
  return `${sign}$${text}`;
}

/** Small amounts with two significant digits instead of rounding to zero: "$0.00000030", "$0.0011", "$12.40". */
export function usdPrecise(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs === 0 || abs >= 0.01) return usd(value);
  const digits = Math.min(12, Math.ceil(-Math.log10(abs)) + 1);
  return `${value < 0 ? '-' : ''}$${abs.toFixed(digits)}`;
}

/** Price per 1M tokens, with the digits the price has (at least cents, at most 4): "$0.075", "$0.05", "$15.00". */
export function pricePerMillion(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  if (Math.abs(value) >= HUGE) return `${value < 0 ? '-' : ''}$${Math.abs(value).toExponential(2)}`;
  return `${value < 0 ? '-' : ''}$${Math.abs(value).toFixed(Math.min(4, Math.max(2, decimalsOf(Math.abs(value)))))}`;
}

function decimalsOf(n: number): number {
  const s = String(n);
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/** 1200 → "1,200"; 1.5 → "1.5". */
export function count(value: number | null | undefined, maxDigits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return grouped(value, 0, maxDigits);
}

/** 128000 → "128K", 1047576 → "1M", 2500000 → "2.5M". */
export function compact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= HUGE) return value.toExponential(1);
  if (abs >= 1e9) return `${trim(value / 1e9)}B`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e3) return `${trim(value / 1e3)}K`;
  return trim(value);
}

function trim(n: number): string {
  return n.toFixed(n >= 100 || Number.isInteger(n) ? 0 : 1).replace(/\.0$/, '');
}

/** 0.42 → "42%"; 0.005 → "0.5%". */
export function percent(fraction: number | null | undefined, digits?: number): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '-';
  const p = fraction * 100;
  if (!Number.isFinite(p)) return '-';
  if (Math.abs(p) >= 1e6) return `${p.toExponential(1)}%`;
  const d = digits ?? (Math.abs(p) >= 10 || Number.isInteger(p) ? 0 : 1);
  return `${p.toFixed(d)}%`;
}

/** Seconds for people: "850 ms", "7.4 s", "12 min", "3.5 h", "45 days". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  if (seconds < 0) return `-${duration(-seconds)}`;
  if (seconds >= 1e9) return `${seconds.toExponential(1)} s`;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds < 10 && !Number.isInteger(seconds) ? seconds.toFixed(1) : Math.round(seconds)} s`;
  if (seconds < 3600) return `${trim(seconds / 60)} min`;
  // Up to two days in hours ("24 h", "36 h"); beyond, days: never "1073 h".
  if (seconds < 172_800) return `${trim(seconds / 3600)} h`;
  return `${trim(seconds / 86_400)} days`;
}

/**
 * Milliseconds as a benchmark measures them, about three significant figures: "0.43 ms", "13.4 ms", "928 ms",
 * "1.21 s", "65.4 s"; a minute and more as duration() ("2.5 min", "3 days").
 */
export function millis(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 0) return `-${millis(-ms)}`;
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 99.95) return `${ms.toFixed(1)} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 9_995) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  return duration(ms / 1000);
}

/** Whole days between two ISO dates (b − a). */
export function daysBetween(a: string, b: Date): number {
  return Math.floor((b.getTime() - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
