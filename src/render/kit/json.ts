// JSON for machines: JSON.stringify writes NaN and ±Infinity as null, which in aip's documents also means
// "not available" (a pattern the model lacks). Input bounds (core/bounds.ts) keep every figure finite; this
// is the check that it stayed so: a non-finite number is an internal error naming where, never a silent null.

export function finiteJson(value: unknown, space: number | undefined = 2): string {
  return JSON.stringify(
    value,
    function (this: unknown, key: string, v: unknown) {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        throw new Error(`a non-finite number (${String(v)}) would be written to JSON as null, at key "${key}"`);
      }
      return v;
    },
    space,
  );
}
