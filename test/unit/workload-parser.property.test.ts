// Property: whatever text a workload file holds (random bytes, random YAML, a valid file with fields swapped
// for random values), the loader either succeeds with finite figures or refuses with usage errors (exit 2)
// that name a position and quote no text of the file; it never throws anything else (exit 70).
import fc from 'fast-check';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { UsageError, UsageErrors, formatUsageError } from '../../src/core/errors.js';
import { buildRecommendation } from '../../src/core/recommend/build.js';
import { recommendJson } from '../../src/core/recommend/document.js';
import { readWorkloadFile } from '../../src/core/workload/normalise.js';
import type { FileSource } from '../../src/core/workload/file-source.js';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { finiteJson } from '../../src/render/kit/json.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const MARK = 'Zq7Kx'; // planted in every random string: must never come back in an error message

function source(text: string): FileSource {
  return {
    readText: async (path) => {
      if (path === '/p/w.yaml') return text;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
    glob: async () => [],
  };
}

type Outcome = { ok: true } | { ok: false; messages: string[] };

async function outcome(text: string): Promise<Outcome> {
  try {
    const file = await readWorkloadFile('w.yaml', { catalog, cwd: '/p', source: source(text) });
    for (const w of file.workloads) {
      for (const n of [w.requestsPerMonth, w.input.tokens, w.output.tokens, w.peakFactor, w.toleranceSeconds]) expect(Number.isFinite(n)).toBe(true);
    }
    // Recommend it and write the JSON: every figure stays finite (finiteJson throws on NaN or Infinity).
    finiteJson(recommendJson(buildRecommendation([file], catalog, { now: new Date('2026-11-25T12:00:00Z'), version: '0.1.0' })));
    return { ok: true };
  } catch (err) {
    const errors = err instanceof UsageErrors ? err.errors : err instanceof UsageError ? [err] : undefined;
    if (!errors) throw err; // anything else would be exit 70: the property fails
    return { ok: false, messages: errors.flatMap((e) => formatUsageError(e)) };
  }
}

const VALID = {
  version: 1,
  workloads: [{ name: 'a', model: 'gpt-4o-mini', volume: '12k/day', latency: '3s', input: { tokens: 1200, cached: 0.5 }, output: { tokens: 300, p95: 900 }, pricing: { input: 0.2 } }],
};

/** Values a field might be set to: numbers at the edges, marked strings, lists, maps, null. */
const wild = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, 5e-324, 2 ** 53, 1e12, 1e13, Number.MAX_VALUE),
  fc.integer(),
  fc.string({ maxLength: 20 }).map((s) => `${MARK}${s}`),
  fc.constantFrom(null, true, false, [], {}, [1, 2], { a: 1 }, '12x/day', '-5/s', '1e309/day', '3 fortnights', 'NaN', 'Infinity'),
);

const path = fc.constantFrom(
  ['version'],
  ['workloads', 0, 'name'],
  ['workloads', 0, 'model'],
  ['workloads', 0, 'volume'],
  ['workloads', 0, 'latency'],
  ['workloads', 0, 'input', 'tokens'],
  ['workloads', 0, 'input', 'cached'],
  ['workloads', 0, 'output', 'tokens'],
  ['workloads', 0, 'output', 'p95'],
  ['workloads', 0, 'pricing', 'input'],
  ['workloads', 0, 'pricing', 'output'],
  ['workloads', 0, 'peak_factor'],
  ['workloads', 0, 'user_facing'],
  ['tiers', 'openai'],
  ['settings', 'min_batch_saving_usd'],
  ['check', 'budget'],
  ['workloads'],
);

function setAt(doc: unknown, keys: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const k of keys.slice(0, -1)) {
    if (node[k] === null || typeof node[k] !== 'object') node[k] = {};
    node = node[k] as Record<string | number, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
  return copy;
}

function checkMessages(o: Outcome): boolean {
  if (o.ok) return true;
  // Every message names a place, and no marked text of the file comes back.
  return o.messages.length > 0 && o.messages.every((m) => !m.includes(MARK)) && o.messages.some((m) => /^error: w\.yaml/.test(m));
}

describe('the workload parser never crashes (property)', () => {
  it('a valid file with one to three fields set to wild values: exit 0 with finite figures, or exit 2', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(path, wild), { minLength: 1, maxLength: 3 }), fc.boolean(), async (changes, asJson) => {
        let doc: unknown = VALID;
        for (const [keys, value] of changes) doc = setAt(doc, keys, value);
        const text = asJson ? JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? 1e999 : v)) : stringify(doc);
        return checkMessages(await outcome(text));
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });

  it('random YAML documents: exit 0 or exit 2', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => checkMessages(await outcome(stringify({ version: 1, workloads: [value] })))),
      { numRuns: 200, seed: 20261204 },
    );
  });

  it('random text, including YAML syntax, aliases, tags and control characters: exit 0 or exit 2', async () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('\n', '  ', '- ', ': ', '&a ', '*a', '*b', '!!str ', '!x ', '{', '}', '[', ']', '"', "'", '#', '|', '>', '---', '...', '.inf', '.nan', '1e309', '\u001b[2J', '\u0000', 'version: 1', 'workloads:', MARK),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), async (pieces) => {
        const o = await outcome(pieces.join(''));
        // A key may be named in a message ("unknown key"); values are not quoted.
        return o.ok || o.messages.every((m) => !m.includes(MARK) || /unknown key|^\s+(expected|hint):/.test(m));
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });
});
