// Property: number formatting for people never prints NaN, Infinity or "∞", and stays short whatever the
// number (no 300-digit dollar amounts from a hostile file).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compact, count, duration, percent, pricePerMillion, usd, usdPrecise } from '../../src/core/format.js';

const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, 1e15, 999_999_999_999_999.9, 1e21, 2 ** 53 + 1, -1e-300),
  fc.integer(),
);

const formatters: Array<[string, (n: number) => string, number]> = [
  ['usd', (n) => usd(n), 24],
  ['usd signed', (n) => usd(n, { sign: true }), 24],
  ['usd no cents', (n) => usd(n, { cents: false }), 24],
  ['usdPrecise', usdPrecise, 24],
  ['pricePerMillion', pricePerMillion, 24],
  ['count', (n) => count(n), 24],
  ['compact', compact, 12],
  ['percent', (n) => percent(n), 14],
  ['duration', duration, 14],
];

describe('number formatting (property)', () => {
  it.each(formatters)('%s: no NaN, Infinity or ∞, and a bounded length, for any double', (_name, format, max) => {
    fc.assert(
      fc.property(anyNumber, (n) => {
        const s = format(n);
        return !/NaN|Infinity|∞/.test(s) && s.length <= max && s.length > 0;
      }),
      { numRuns: 2000, seed: 20261206 },
    );
  });

  it('non-finite numbers show as "-"', () => {
    for (const f of [usd, usdPrecise, pricePerMillion, count, compact, percent, duration] as Array<(n: number) => string>) {
      for (const n of [NaN, Infinity, -Infinity]) expect(f(n)).toBe('-');
    }
  });

  it('ordinary amounts are unchanged: $1,240.50, $0.0042, $15.00, 1,200, 2.5M, 42%, 7.4 s', () => {
    expect([usd(1240.5), usd(0.0042), pricePerMillion(15), count(1200), compact(2_500_000), percent(0.42), duration(7.4)]).toEqual(['$1,240.50', '$0.0042', '$15.00', '1,200', '2.5M', '42%', '7.4 s']);
  });

  it('from 1e15 on, amounts are written with an exponent', () => {
    expect(usd(2e19)).toBe('$2.00e+19');
    expect(usd(-1e300)).toBe('-$1.00e+300');
    expect(usd(999_999_999_999_999)).toBe('$999,999,999,999,999.00');
  });
});
