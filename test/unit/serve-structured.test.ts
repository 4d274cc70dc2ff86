// Pure parts of the simulator's new realism: values generated from JSON Schemas (checked by an independent
// validator), schemas refused, OpenAI's strict-mode rules, the broken variants of the invalid-json fault,
// the reasoning budget split, and --tier parsing against the catalog's tiers.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { seededRandom } from '../../src/core/random.js';
import { limitsOf, parseTiers } from '../../src/provider-sim/limits.js';
import { brokenJson, SchemaError, strictModeProblem, valueFor } from '../../src/provider-sim/structured.js';
import { reasoningRatio, splitBudget } from '../../src/provider-sim/usage-model.js';
import { validates } from '../helpers/sim.js';

const schemas: Array<[string, object]> = [
  ['object with required', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a', 'b'], additionalProperties: false }],
  ['enum and const', { type: 'object', properties: { e: { enum: ['x', 'y', 3] }, c: { const: 'fixed' } }, required: ['e', 'c'] }],
  ['bounded numbers', { type: 'object', properties: { n: { type: 'number', minimum: 0.5, maximum: 0.75 }, i: { type: 'integer', exclusiveMinimum: 3, exclusiveMaximum: 5 }, m: { type: 'integer', multipleOf: 7, minimum: 20, maximum: 30 } }, required: ['n', 'i', 'm'] }],
  ['strings', { type: 'object', properties: { s: { type: 'string', minLength: 12, maxLength: 14 }, d: { type: 'string', format: 'date-time' }, u: { type: 'string', format: 'uuid' }, p: { type: 'string', pattern: '^[0-9]+$' } }, required: ['s', 'd', 'u', 'p'] }],
  ['arrays', { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 4, uniqueItems: true }],
  ['tuple (draft-07 items array)', { type: 'array', items: [{ type: 'integer' }, { type: 'boolean' }], additionalItems: false, minItems: 2 }],
  ['anyOf with null', { type: 'object', properties: { v: { anyOf: [{ type: 'null' }, { type: 'string' }] } }, required: ['v'] }],
  ['nullable type array', { type: 'object', properties: { v: { type: ['string', 'null'] } }, required: ['v'] }],
  ['allOf', { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'number' } }, required: ['b'] }] }],
  ['recursive $ref', { $defs: { node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['name', 'children'] } }, $ref: '#/$defs/node' }],
  ['minProperties', { type: 'object', additionalProperties: { type: 'integer' }, minProperties: 2 }],
];

describe('values from a schema', () => {
  it.each(schemas)('%s: validates, and the same seed gives the same value', (_name, schema) => {
    for (let seed = 1; seed <= 20; seed++) {
      const v = valueFor(schema as Record<string, unknown>, seededRandom(seed));
      expect(validates(schema, v)).toBe(true);
      expect(valueFor(schema as Record<string, unknown>, seededRandom(seed))).toEqual(v);
    }
  });

  it("Gemini's upper-case types and constraints moved into the description are honoured", () => {
    const gemini = { type: 'OBJECT', properties: { n: { type: 'INTEGER', description: 'minimum: 1; maximum: 3.' }, tags: { type: 'ARRAY', items: { type: 'STRING' } } }, required: ['n', 'tags'] };
    for (let seed = 1; seed <= 20; seed++) {
      const v = valueFor(gemini, seededRandom(seed)) as { n: number; tags: string[] };
      expect(v.n).toBeGreaterThanOrEqual(1);
      expect(v.n).toBeLessThanOrEqual(3);
      expect(Array.isArray(v.tags)).toBe(true);
    }
  });

  it.each([
    ['an empty enum', { enum: [] }, /enum is empty/],
    ['minItems above maxItems', { type: 'array', minItems: 3, maxItems: 1 }, /minItems 3 is greater than maxItems 1/],
    ['minLength above maxLength', { type: 'string', minLength: 4, maxLength: 2 }, /minLength 4/],
    ['no integer in range', { type: 'integer', minimum: 1.2, maximum: 1.8 }, /no multiple of 1/],
    ['an unmeetable pattern', { type: 'string', pattern: '^zz[q]{9}$' }, /pattern/],
    ['false', false, /accepts no value/],
    ['an unresolvable $ref', { $ref: '#/$defs/missing' }, /cannot be resolved/],
    ['an unknown type', { type: 'date' }, /not a JSON Schema type/],
  ])('refuses %s with the place and the reason', (_name, schema, message) => {
    expect(() => valueFor(schema as Record<string, unknown>, seededRandom(1))).toThrow(SchemaError);
    expect(() => valueFor(schema as Record<string, unknown>, seededRandom(1))).toThrow(message);
  });
});

describe("OpenAI's strict mode", () => {
  it('names the first object without additionalProperties: false, or with a property not required', () => {
    expect(strictModeProblem({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] })).toMatch(/context=\(\), 'additionalProperties' is required/);
    expect(strictModeProblem({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'], additionalProperties: false })).toMatch(/Missing 'b'/);
    expect(strictModeProblem({ type: 'object', properties: { o: { type: 'object', properties: { x: { type: 'string' } }, required: ['x'] } }, required: ['o'], additionalProperties: false })).toMatch(/context=\('properties', 'o'\)/);
    expect(strictModeProblem(schemas[0]![1] as Record<string, unknown>)).toBeUndefined();
  });
});

describe('the invalid-json fault', () => {
  it('is either cut JSON or whole JSON that breaks the schema: never a valid answer', () => {
    const schema = schemas[0]![1] as Record<string, unknown>;
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const rng = seededRandom(seed);
      const text = brokenJson(valueFor(schema, rng), schema, rng);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        kinds.add('cut');
        continue;
      }
      kinds.add('breaks the schema');
      expect(validates(schema, parsed)).toBe(false);
    }
    expect(kinds).toEqual(new Set(['cut', 'breaks the schema']));
  });
});

describe('reasoning budget', () => {
  it.each([
    // wanted visible, ratio, cap → reasoning, visible cap
    [100, 3, undefined, 300, undefined],
    [100, 3, 1000, 300, 700],
    [100, 3, 40, 30, 10],
    [100, 0, 40, 0, 40],
    [10, 1, 5, 3, 2],
  ])('%i visible at %f× with cap %s: %i reasoning, visible cap %s', (wanted, ratio, cap, reasoning, visibleCap) => {
    expect(splitBudget(wanted, ratio, cap)).toEqual({ reasoning, visibleCap });
  });

  it('applies to reasoning models and thinking Gemini models only; effort and thinkingBudget change it', async () => {
    const catalog = await loadCatalog();
    const m = (id: string) => catalog.models.find((x) => x.id === id)!;
    expect(reasoningRatio(m('gpt-4o-mini'), undefined)).toBe(0);
    expect(reasoningRatio(m('o4-mini'), undefined)).toBe(3);
    expect(reasoningRatio(m('o4-mini'), 'high')).toBe(8);
    expect(reasoningRatio(m('gemini-2.5-flash'), undefined)).toBe(3);
    expect(reasoningRatio(m('gemini-2.5-flash'), undefined, 0)).toBe(0);
    expect(reasoningRatio(m('gemini-2.5-flash-lite'), undefined)).toBe(0);
    expect(reasoningRatio(m('claude-haiku-4-5'), undefined)).toBe(0);
  });
});

describe('--tier', () => {
  it('a bare tier sets every provider that has it; PROVIDER:TIER one; unknown ones are refused with the list', async () => {
    const catalog = await loadCatalog();
    expect(parseTiers(catalog, ['2'])).toEqual({ openai: '2', anthropic: '2', google: '2' });
    expect(parseTiers(catalog, ['anthropic:build', 'gemini:free'])).toEqual({ anthropic: 'build', google: 'free' });
    expect(() => parseTiers(catalog, ['9'])).toThrow(/no provider has a tier "9"/);
    expect(() => parseTiers(catalog, ['openai:start'])).toThrow(/openai has no tier "start"; its tiers are 1, 2, 3, 4, 5/);
  });

  it("quotes the class's limits at the tier; gpt-4.1 above 128k input uses the long-context class", async () => {
    const catalog = await loadCatalog();
    const m = (id: string) => catalog.models.find((x) => x.id === id)!;
    expect(limitsOf(catalog, m('gpt-4o-mini'), {})).toMatchObject({ tier: '1', config: { rpm: 500, tpm: 200000 }, counts: 'input+output' });
    expect(limitsOf(catalog, m('gpt-4.1'), { openai: '5' }, 200_000)).toMatchObject({ config: { rpm: 4000, tpm: 10000000 } });
    expect(limitsOf(catalog, m('claude-haiku-4-5'), { anthropic: 'scale' })).toMatchObject({ config: { rpm: 10000, itpm: 10000000, otpm: 2000000 }, counts: 'split' });
    expect(limitsOf(catalog, m('gemini-2.5-flash'), {})).toMatchObject({ config: { rpm: 1000, itpm: 1000000 }, counts: 'input' });
    // No verified limits: no headers rather than invented numbers.
    expect(limitsOf(catalog, m('gpt-5'), {})).toBeUndefined();
    // A tier the class does not publish (Gemini tier 2): none.
    expect(limitsOf(catalog, m('gemini-2.5-flash'), { google: '2' })).toBeUndefined();
  });
});
