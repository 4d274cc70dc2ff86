// Structured output and tool arguments: a JSON value generated from a JSON Schema (or Gemini's OpenAPI
// subset), deterministic for a seed, that validates against the schema; the schemas it cannot satisfy are
// refused with the reason; and the broken variants of the invalid-json and tool-error faults.
import type { Random } from '../core/random.js';

export type Schema = Record<string, unknown> | boolean;

/** A schema the simulator cannot produce a value for; `where` is the path in the schema (e.g. "properties.tags"). */
export class SchemaError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(message);
  }
}

const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'harbor', 'river', 'summit', 'meadow', 'signal', 'copper', 'amber', 'cedar'];
const MAX_DEPTH = 6;

interface Ctx {
  root: Record<string, unknown>;
  rng: Random;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function typeOf(s: Record<string, unknown>): string | undefined {
  let t = s.type;
  if (Array.isArray(t)) t = t.find((x) => typeof x === 'string' && x.toLowerCase() !== 'null') ?? t[0];
  if (typeof t === 'string') return t.toLowerCase(); // Gemini's Type enum is upper case (OBJECT, STRING, …)
  if (isObj(s.properties)) return 'object';
  if (s.items !== undefined || s.prefixItems !== undefined) return 'array';
  return undefined;
}

function resolveRef(ref: string, ctx: Ctx, where: string): Schema {
  if (ref === '#') return ctx.root;
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = m ? ctx.root[m[1]!] : undefined;
  const target = m && isObj(defs) ? defs[decodeURIComponent(m[2]!).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  if (target === undefined) throw new SchemaError(where, `reference ${ref} cannot be resolved`);
  return target as Schema;
}

function pick<T>(xs: readonly T[], rng: Random): T {
  return xs[Math.floor(rng.uniform() * xs.length)]!;
}

function phrase(rng: Random, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(WORDS, rng));
  return out.join(' ');
}

function str(s: Record<string, unknown>, ctx: Ctx, where: string): string {
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  if (min > max) throw new SchemaError(where, `minLength ${min} is greater than maxLength ${max}`);
  const format = typeof s.format === 'string' ? s.format : undefined;
  let value: string;
  switch (format) {
    case 'date-time':
      value = '2026-01-15T09:30:00Z';
      break;
    case 'date':
      value = '2026-01-15';
      break;
    case 'time':
      value = '09:30:00';
      break;
    case 'email':
      value = 'user@example.com';
      break;
    case 'uri':
    case 'url':
      value = 'https://example.com/';
      break;
    case 'uuid': {
      const hex = Array.from({ length: 32 }, () => Math.floor(ctx.rng.uniform() * 16).toString(16)).join('');
      value = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
      break;
    }
    case 'ipv4':
      value = '192.0.2.1';
      break;
    case 'hostname':
      value = 'example.com';
      break;
    default:
      value = phrase(ctx.rng, 1 + Math.floor(ctx.rng.uniform() * 3));
  }
  if (typeof s.pattern === 'string') {
    let re: RegExp;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      throw new SchemaError(where, `pattern ${JSON.stringify(s.pattern)} is not a valid regular expression`);
    }
    const candidates = [value, 'alpha', 'ALPHA', 'a', 'A', '0', '1', '12345', 'abc123', 'A1', 'a-b', '2026-01-15', 'user@example.com', 'https://example.com/'];
    const hit = candidates.find((c) => re.test(c) && c.length >= min && c.length <= max);
    if (hit === undefined) throw new SchemaError(where, `no string the simulator can make matches the pattern ${JSON.stringify(s.pattern)}`);
    return hit;
  }
  while (value.length < min) value += `-${pick(WORDS, ctx.rng)}`;
  if (value.length > max) value = value.slice(0, max);
  return value;
}

function num(s: Record<string, unknown>, ctx: Ctx, where: string, integer: boolean): number {
  let lo = typeof s.minimum === 'number' ? s.minimum : -Infinity;
  let hi = typeof s.maximum === 'number' ? s.maximum : Infinity;
  const exLo = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : s.exclusiveMinimum === true ? lo : undefined;
  const exHi = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : s.exclusiveMaximum === true ? hi : undefined;
  const step = typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : integer ? 1 : 0;
  if (exLo !== undefined) lo = Math.max(lo, exLo + (step || 1e-6));
  if (exHi !== undefined) hi = Math.min(hi, exHi - (step || 1e-6));
  // Without bounds: small values (counts, scores), as a model writes them.
  if (!Number.isFinite(lo) && !Number.isFinite(hi)) {
    lo = integer ? 1 : 0;
    hi = 10;
  } else if (!Number.isFinite(lo)) lo = hi - 10;
  else if (!Number.isFinite(hi)) hi = lo + 10;
  if (lo > hi) throw new SchemaError(where, `no number lies between minimum ${lo} and maximum ${hi}`);
  if (step > 0) {
    const first = Math.ceil(lo / step);
    const last = Math.floor(hi / step);
    if (first > last) throw new SchemaError(where, `no multiple of ${step} lies between ${lo} and ${hi}`);
    return (first + Math.floor(ctx.rng.uniform() * (last - first + 1))) * step;
  }
  return Math.round((lo + ctx.rng.uniform() * (hi - lo)) * 100) / 100;
}

const HINTED = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems'];

/**
 * Constraints a client moved into the description because the provider's schema dialect lacks them (the
 * AI SDK writes "minimum: 1; maximum: 12." for Anthropic): a model reads them, so the simulator does too.
 */
function withHints(s: Record<string, unknown>): Record<string, unknown> {
  if (typeof s.description !== 'string') return s;
  let out = s;
  for (const m of s.description.matchAll(/\b([a-zA-Z]+):\s*(-?\d+(?:\.\d+)?)/g)) {
    const key = m[1]!;
    if (HINTED.includes(key) && !(key in s)) out = { ...out, [key]: Number(m[2]) };
  }
  return out;
}

function gen(schema: Schema, ctx: Ctx, where: string, depth: number): unknown {
  if (schema === true) return phrase(ctx.rng, 2);
  if (schema === false) throw new SchemaError(where, 'the schema `false` accepts no value');
  if (!isObj(schema)) throw new SchemaError(where, 'a schema must be an object or a boolean');
  if (depth > MAX_DEPTH * 4) throw new SchemaError(where, 'the schema nests (or recurses) too deeply');
  const s = withHints(schema);
  if (typeof s.$ref === 'string') return gen(resolveRef(s.$ref, ctx, where), ctx, where, depth + 1);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) {
    if (s.enum.length === 0) throw new SchemaError(`${where}.enum`, 'enum is empty');
    return pick(s.enum, ctx.rng);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key];
    if (Array.isArray(options)) {
      if (options.length === 0) throw new SchemaError(`${where}.${key}`, `${key} is empty`);
      // The first option that can be satisfied (skipping null when there is another), for a readable value.
      const ordered = [...options].sort((a, b) => Number(isObj(a) && a.type === 'null') - Number(isObj(b) && b.type === 'null'));
      let last: unknown;
      for (const [i, o] of ordered.entries()) {
        try {
          return gen(o as Schema, ctx, `${where}.${key}[${i}]`, depth + 1);
        } catch (e) {
          last = e;
        }
      }
      throw last;
    }
  }
  if (Array.isArray(s.allOf)) {
    const merged: Record<string, unknown> = { ...s, allOf: undefined };
    const props: Record<string, unknown> = { ...(isObj(s.properties) ? s.properties : {}) };
    const required = new Set<string>(Array.isArray(s.required) ? (s.required as string[]) : []);
    for (const part of s.allOf) {
      const p = isObj(part) && typeof part.$ref === 'string' ? resolveRef(part.$ref, ctx, where) : part;
      if (!isObj(p)) continue;
      Object.assign(merged, { ...p, properties: undefined, required: undefined });
      if (isObj(p.properties)) Object.assign(props, p.properties);
      if (Array.isArray(p.required)) for (const r of p.required) required.add(String(r));
    }
    delete merged.allOf;
    return gen({ ...merged, properties: props, required: [...required] }, ctx, where, depth + 1);
  }
  const type = typeOf(s);
  switch (type) {
    case 'object': {
      const props = isObj(s.properties) ? s.properties : {};
      const required = Array.isArray(s.required) ? (s.required as unknown[]).map(String) : [];
      for (const r of required) if (!(r in props) && s.additionalProperties === false) throw new SchemaError(`${where}.required`, `"${r}" is required but not among the properties`);
      const out: Record<string, unknown> = {};
      // Past the depth limit only the required properties are made, so recursive schemas end.
      const keys = depth >= MAX_DEPTH ? required.filter((k) => k in props) : Object.keys(props);
      for (const k of keys) out[k] = gen(props[k] as Schema, ctx, `${where}.properties.${k}`, depth + 1);
      for (const r of required) if (!(r in out)) out[r] = phrase(ctx.rng, 1);
      const minProps = typeof s.minProperties === 'number' ? s.minProperties : 0;
      if (minProps > Object.keys(out).length) {
        if (s.additionalProperties === false) throw new SchemaError(where, `minProperties ${minProps} cannot be met without additional properties`);
        const extra = isObj(s.additionalProperties) ? (s.additionalProperties as Schema) : true;
        for (let i = Object.keys(out).length; i < minProps; i++) out[`${pick(WORDS, ctx.rng)}_${i}`] = gen(extra, ctx, `${where}.additionalProperties`, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      const max = typeof s.maxItems === 'number' ? s.maxItems : Infinity;
      if (min > max) throw new SchemaError(where, `minItems ${min} is greater than maxItems ${max}`);
      // Tuples: prefixItems (2020-12), or an items array (draft-07, with additionalItems for the rest).
      const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]) : Array.isArray(s.items) ? (s.items as Schema[]) : [];
      const rest = Array.isArray(s.items) ? (s.additionalItems as Schema | undefined) : (s.items as Schema | undefined);
      const n = Math.max(min, Math.min(depth >= MAX_DEPTH ? 0 : 2, max), Math.min(prefix.length, max));
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const item = i < prefix.length ? prefix[i]! : rest === undefined ? true : rest;
        if (item === false && i >= prefix.length) throw new SchemaError(`${where}.items`, `${n} items are required but items is false`);
        out.push(gen(item, ctx, `${where}.items`, depth + 1));
      }
      if (s.uniqueItems === true && new Set(out.map((v) => JSON.stringify(v))).size < out.length) {
        // Distinct strings or numbers are easy to make; anything else is left as generated.
        for (let i = 0; i < out.length; i++) if (typeof out[i] === 'string') out[i] = `${out[i] as string} ${i + 1}`;
      }
      return out;
    }
    case 'string':
      return str(s, ctx, where);
    case 'integer':
      return num(s, ctx, where, true);
    case 'number':
      return num(s, ctx, where, false);
    case 'boolean':
      return ctx.rng.uniform() < 0.5;
    case 'null':
      return null;
    case undefined:
      return phrase(ctx.rng, 2);
    default:
      throw new SchemaError(`${where}.type`, `type "${String(s.type)}" is not a JSON Schema type`);
  }
}

/** A value that validates against `schema`; throws SchemaError when the simulator cannot make one. */
export function valueFor(schema: Schema, rng: Random): unknown {
  return gen(schema, { root: isObj(schema) ? schema : {}, rng }, '(root)', 0);
}

/**
 * OpenAI's strict-mode rules (Structured Outputs): every object sets additionalProperties: false and
 * lists every property in `required`. Returns the first breach in OpenAI's words, or undefined.
 */
export function strictModeProblem(schema: Schema): string | undefined {
  const walk = (s: unknown, context: string[]): string | undefined => {
    if (!isObj(s)) return undefined;
    const ctxText = `context=(${context.map((c) => `'${c}'`).join(', ')}${context.length === 1 ? ',' : ''})`;
    if (typeOf(s) === 'object' && isObj(s.properties)) {
      if (s.additionalProperties !== false) return `In ${ctxText}, 'additionalProperties' is required to be supplied and to be false.`;
      const req = Array.isArray(s.required) ? (s.required as unknown[]).map(String) : [];
      const missing = Object.keys(s.properties).filter((k) => !req.includes(k));
      if (missing.length > 0) return `In ${ctxText}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
      for (const [k, v] of Object.entries(s.properties)) {
        const p = walk(v, [...context, 'properties', k]);
        if (p) return p;
      }
    }
    if (typeOf(s) === 'array' && s.items === undefined && s.prefixItems === undefined) return `In ${ctxText}, array schema missing items.`;
    if (isObj(s.items)) {
      const p = walk(s.items, [...context, 'items']);
      if (p) return p;
    }
    for (const key of ['anyOf', '$defs', 'definitions'] as const) {
      const v = s[key];
      const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : isObj(v) ? Object.entries(v) : [];
      for (const [k, x] of entries) {
        const p = walk(x, [...context, key, k]);
        if (p) return p;
      }
    }
    return undefined;
  };
  return walk(schema, []);
}

/**
 * The broken output of the invalid-json fault: either cut in the middle (a truncated stream of JSON) or
 * whole JSON that breaks the schema (a required property missing, or the root replaced by a string).
 */
export function brokenJson(value: unknown, schema: Schema, rng: Random): string {
  const text = JSON.stringify(value);
  if (rng.uniform() < 0.5 || !isObj(value)) return text.slice(0, Math.max(1, text.length >> 1));
  const required = isObj(schema) && Array.isArray(schema.required) ? (schema.required as unknown[]).map(String) : [];
  const drop = required.find((k) => k in value) ?? Object.keys(value)[0];
  if (drop === undefined) return JSON.stringify('not an object');
  const copy = { ...value };
  delete copy[drop];
  return JSON.stringify(copy);
}
