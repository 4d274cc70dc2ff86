// JSON for machines: JSON.stringify writes NaN and ±Infinity as null, which in aip's documents also means
// "not available" (a pattern the model lacks). Input bounds (core/bounds.ts) keep every figure finite; this
// is the check that it stayed so: a non-finite number is an internal error naming where, never a silent null.

export function finiteJson(value: unknown, space: number | undefined = 2): string {
  // A walk over what JSON.stringify writes, then JSON.stringify without a replacer: a replacer function takes
  // V8 off its fast path (recommend's JSON on 1,000 workloads is 11 MB).
  assertFinite(value, '');
  return JSON.stringify(value, null, space);
}

/** Throws at the first non-finite number JSON.stringify would write, in its order, naming its key. */
function assertFinite(v: unknown, key: string): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`a non-finite number (${String(v)}) would be written to JSON as null, at key "${key}"`);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return assertFinite((toJSON as (k: string) => unknown).call(v, key), key);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) assertFinite(v[i], String(i));
    return;
  }
  for (const k of Object.keys(v)) assertFinite((v as Record<string, unknown>)[k], k);
}
