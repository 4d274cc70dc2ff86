// Token counting: the model → encoding map, counts against known values, estimates flagged, and
// chunked (streamed) counting equal to counting the whole text.
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100kRanks from 'js-tiktoken/ranks/cl100k_base';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { countStream, counterForModel, encodeLength, encodingForOpenAIName, lastSafeCut, lastWordCut, loadEncoder } from '../../src/core/tokens/tokenizer.js';
import { mixedText } from '../../scripts/mixed-text.mjs';

const catalog = await loadCatalog({ fresh: true });
const model = (id: string) => catalog.models.find((m) => m.id === id)!;
const o200k = await loadEncoder('o200k_base');
const cl100k = await loadEncoder('cl100k_base');

describe('model → encoding', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['o3', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['text-embedding-3-large', 'cl100k_base'],
  ])('catalog model %s uses %s', (id, encoding) => {
    expect(model(id).tokenizer.encoding).toBe(encoding);
  });

  it.each([
    ['gpt-5.4', 'o200k_base', true],
    ['gpt-6-preview', 'o200k_base', true],
    ['o5-mini', 'o200k_base', true],
    ['openai/gpt-4.1-2025-04-14', 'o200k_base', true],
    ['gpt-4-turbo', 'cl100k_base', true],
    ['gpt-3.5-turbo', 'cl100k_base', true],
    ['text-embedding-ada-002', 'cl100k_base', false],
  ])('an OpenAI name the catalog lacks, %s, falls back to %s', (name, encoding, guessed) => {
    expect(encodingForOpenAIName(name)).toEqual({ encoding, guessed });
  });

  it.each(['claude-3-opus', 'gemini-1.5-pro', 'llama-3-70b', 'mistral-large'])('%s is not taken for an OpenAI model', (name) => {
    expect(encodingForOpenAIName(name)).toBeUndefined();
  });
});

describe('counts against known values', () => {
  // Token ids as published in OpenAI's tiktoken cookbook ("How to count tokens with tiktoken").
  it.each([
    ['hello world', cl100k, [15339, 1917]],
    ['tiktoken is great!', cl100k, [83, 1609, 5963, 374, 2294, 0]],
    ['antidisestablishmentarianism', cl100k, [519, 85342, 34500, 479, 8997, 2191]],
    ['antidisestablishmentarianism', o200k, [493, 129901, 376, 160388, 21203, 2367]],
  ] as const)('%j', (text, encoder, ids) => {
    expect(encoder.encode(text)).toEqual(ids);
  });

  it('"hello world" is 2 tokens in o200k_base and in cl100k_base', () => {
    expect(encodeLength(o200k, 'hello world')).toBe(2);
    expect(encodeLength(cl100k, 'hello world')).toBe(2);
  });

  it('counts text that looks like a special token as plain text, never an error', () => {
    // As a special token <|endoftext|> would be one id (100257 in cl100k_base); as text it is 7 pieces.
    expect(new Tiktoken(cl100kRanks).encode('<|endoftext|>', 'all')).toEqual([100257]);
    expect(encodeLength(cl100k, '<|endoftext|>')).toBe(7);
    expect(encodeLength(o200k, 'See <|endoftext|> and <|im_start|> in the README')).toBeGreaterThan(10);
  });
});

describe('estimates for Claude and Gemini', () => {
  it('scales o200k_base by 1.16 for Claude and says it is approximate', async () => {
    const counter = await counterForModel(model('claude-haiku-4-5'));
    expect(counter.approximate).toBe(true);
    expect(counter.method).toBe('heuristic:claude≈o200k_base×1.16');
    expect(counter.errorNote).toMatch(/--exact/);
    // "antidisestablishmentarianism" is 6 o200k tokens; 6 × 1.16 = 6.96 → 7.
    expect(counter.count('antidisestablishmentarianism')).toBe(7);
    // "hello world": 2 × 1.16 = 2.32 → 2.
    expect(counter.count('hello world')).toBe(2);
  });

  it('uses o200k_base unscaled as the Gemini stand-in, flagged approximate', async () => {
    const counter = await counterForModel(model('gemini-2.5-flash'));
    expect(counter).toMatchObject({ approximate: true, encoding: 'o200k_base', factor: 1 });
    expect(counter.count('tiktoken is great!')).toBe(6);
  });

  it('counts OpenAI models exactly', async () => {
    const counter = await counterForModel(model('gpt-4o-mini'));
    expect(counter).toMatchObject({ approximate: false, method: 'tiktoken:o200k_base' });
  });
});

describe('counting in chunks', () => {
  const text = mixedText(400_000, 42);
  const whole = encodeLength(o200k, text);

  it.each([4096, 65536, 1 << 20])('gives the whole-text count with a %i-character window', async (window) => {
    // Feed the text in uneven pieces, as a file stream would.
    async function* pieces() {
      for (let i = 0, n = 1; i < text.length; i += n, n = (n * 7919) % 50000 + 1) yield text.slice(i, i + n);
    }
    const r = await countStream(pieces(), (t) => encodeLength(o200k, t), window);
    expect(r.raw).toBe(whole);
    expect(r.chars).toBe(text.length);
    expect(r.bytes).toBe(Buffer.byteLength(text));
  });

  it('cuts only where both encodings count the two sides as the whole (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', ' a', 'Z', '1', ' ', '  ', '\n', '\n\n', '\r\n', '/', '//', '\t', "'s", '.', '{', '"', 'é', '東', '🙂', '<|endoftext|>');
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 60 }), (parts) => {
        const s = parts.join('');
        for (const cut of [lastSafeCut(s), lastWordCut(s)]) {
          if (cut <= 0) continue;
          for (const enc of [o200k, cl100k]) {
            if (encodeLength(enc, s.slice(0, cut)) + encodeLength(enc, s.slice(cut)) !== encodeLength(enc, s)) return false;
          }
        }
        return true;
      }),
      { numRuns: 600, seed: 20261125 },
    );
  });

  it('cuts a long single line between words, so it too streams in bounded memory', async () => {
    const line = mixedText(200_000, 9).replace(/\n/g, ' ');
    async function* pieces() {
      for (let i = 0; i < line.length; i += 3000) yield line.slice(i, i + 3000);
    }
    let largest = 0;
    const r = await countStream(pieces(), (t) => ((largest = Math.max(largest, t.length)), encodeLength(o200k, t)), 8192);
    expect(r.raw).toBe(encodeLength(o200k, line));
    expect(largest).toBeLessThan(8192 + 3000); // never the whole 200 kB line at once
  });
});
