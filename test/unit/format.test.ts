// Formatting for people: prices per 1M tokens, small per-call costs, wrapped warnings.
import { describe, expect, it } from 'vitest';
import { millis, pricePerMillion, usdPrecise } from '../../src/core/format.js';
import { wrap } from '../../src/render/kit/wrap.js';

describe('pricePerMillion shows the digits a price has, at least cents', () => {
  it.each([
    [15, '$15.00'],
    [0.15, '$0.15'],
    [0.075, '$0.075'],
    [0.05, '$0.05'],
    [0.0625, '$0.0625'],
    [0.005, '$0.005'],
    [null, '-'],
  ])('%s → %s', (value, text) => {
    expect(pricePerMillion(value)).toBe(text);
  });
});

describe('usdPrecise keeps two significant digits of tiny costs', () => {
  it.each([
    [3e-7, '$0.00000030'], // 2 tokens × $0.15 per 1M
    [0.0011, '$0.0011'],
    [0.000056, '$0.000056'],
    [12.4, '$12.40'],
    [0, '$0.00'],
  ])('%s → %s', (value, text) => {
    expect(usdPrecise(value)).toBe(text);
  });
});

describe('wrap', () => {
  it('breaks at spaces within the width and indents the continuation', () => {
    expect(wrap('warning: one two three four five', 17)).toBe('warning: one two\n  three four five');
    expect(wrap('warning: one two three four five', 16)).toBe('warning: one two\n  three four\n  five');
    expect(wrap('short', 16)).toBe('short');
  });
});

describe('millis: measured times to about three significant figures', () => {
  it('ms below a second, then s, then minutes, hours and days as duration()', () => {
    expect(millis(0.4321)).toBe('0.43 ms');
    expect(millis(13.44)).toBe('13.4 ms');
    expect(millis(742.399)).toBe('742 ms');
    expect(millis(999.6)).toBe('1.00 s');
    expect(millis(1205)).toBe('1.21 s');
    expect(millis(65_432)).toBe('1.1 min');
    expect(millis(1073 * 3_600_000)).toBe('44.7 days'); // never "1073 h"
    expect(millis(null)).toBe('-');
    expect(millis(Number.NaN)).toBe('-');
  });
});
