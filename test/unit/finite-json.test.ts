import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finiteJson } from '../../src/render/kit/json.js';

describe('finiteJson', () => {
  it('writes what JSON.stringify writes when every number is finite (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => finiteJson(v) === JSON.stringify(v, null, 2) && finiteJson(v, 0) === JSON.stringify(v)),
      { numRuns: 500, seed: 20261206 },
    );
  });

  it('throws at the first non-finite number, naming its key, in objects, arrays and toJSON results', () => {
    expect(() => finiteJson({ a: 1, b: { c: [1, Number.NaN] } })).toThrow('a non-finite number (NaN) would be written to JSON as null, at key "1"');
    expect(() => finiteJson({ first: Infinity, second: Number.NaN })).toThrow('(Infinity) would be written to JSON as null, at key "first"');
    expect(() => finiteJson({ when: { toJSON: () => ({ ms: -Infinity }) } })).toThrow('at key "ms"');
    expect(() => finiteJson(Number.NaN)).toThrow('at key ""');
    expect(finiteJson({ skipped: undefined, n: null, d: new Date(0) })).toBe('{\n  "n": null,\n  "d": "1970-01-01T00:00:00.000Z"\n}');
  });
});
