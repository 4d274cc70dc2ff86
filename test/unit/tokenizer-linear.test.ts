// Token counting in linear time whatever the text: identical ids to js-tiktoken (the reference encoder) on
// ordinary text and on long pieces up to 65,532 bytes, a stated bound on longer runs (one character, base64,
// hex, minified JS at 10 KB / 100 KB / 5 MB), no stack overflow, and long counts that give way to the event
// loop and stop on Ctrl-C.
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100kRanks from 'js-tiktoken/ranks/cl100k_base';
import o200kRanks from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { mixedText, pathologicalText } from '../../scripts/mixed-text.mjs';
import { BytePairEncoder, PIECE_CHUNK_BYTES, pieceBarrier, WINDOW_CHARS } from '../../src/core/tokens/bpe.js';
import { countStream, encodeLengthAsync, loadEncoder, STEP_CHARS } from '../../src/core/tokens/tokenizer.js';

const reference = { o200k_base: new Tiktoken(o200kRanks), cl100k_base: new Tiktoken(cl100kRanks) };
const ours = { o200k_base: await loadEncoder('o200k_base'), cl100k_base: await loadEncoder('cl100k_base') };
/** Our encoder with the largest chunk it allows: exact for pieces up to 131,067 bytes (the comparison for the bound). */
const wide = { o200k_base: new BytePairEncoder(o200kRanks, (1 << 17) - 1), cl100k_base: new BytePairEncoder(cl100kRanks, (1 << 17) - 1) };
const encodings = ['o200k_base', 'cl100k_base'] as const;

const base64 = (bytes: number, seed: number) => pathologicalText('base64', bytes, seed);
const hex = (bytes: number, seed: number) => pathologicalText('hex', bytes, seed);
const minifiedJs = (bytes: number, seed: number) => pathologicalText('minified-js', bytes, seed);

describe('the same tokens as js-tiktoken', () => {
  it.each(encodings)('%s: 1 MB of mixed prose, code and JSON', (enc) => {
    const text = mixedText(1_000_000, 11);
    expect(ours[enc].encode(text)).toEqual(reference[enc].encode(text, [], []));
  });

  it.each(encodings)('%s: long pieces the reference still manages (runs of about a thousand characters)', (enc) => {
    const texts = ['q'.repeat(1500), '='.repeat(1000), ' '.repeat(1000) + 'x', 'ab'.repeat(500), pathologicalText('letters', 1200, 1), '東京数据模型'.repeat(100), '🙂'.repeat(200), 'Ü'.repeat(500), '\u0301'.repeat(400)];
    for (const t of texts) expect(ours[enc].encode(t)).toEqual(reference[enc].encode(t, [], []));
  });

  it.each(encodings)('%s: decode gives back the text, and each token the same string as js-tiktoken', (enc) => {
    const text = mixedText(20_000, 5) + ' 東京 🙂 Ü';
    const ids = ours[enc].encode(text);
    expect(ours[enc].decode(ids)).toBe(text);
    for (const id of ids.slice(0, 2000)) expect(ours[enc].decode([id])).toBe(reference[enc].decode([id]));
    expect(() => ours[enc].decode([-1])).toThrow(RangeError);
  });

  it.each(encodings)('%s: special-token look-alikes and lone surrogates are plain text', (enc) => {
    for (const t of ['<|endoftext|>', 'a <|im_start|> b <|endofprompt|>', '\ud800abc', 'x\udc00y', '\udbff\udfff', '']) {
      expect(ours[enc].encode(t)).toEqual(reference[enc].encode(t, [], []));
    }
  });

  it('agrees on random strings (property, both encodings)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'q', 'Z', ' ', '  ', '\n', '\r\n', '\t', '1', '22', '=', '/', "'s", '.', '{', '"', 'é', '東', '🙂', '\u0301', '<|endoftext|>', 'the', ' world');
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 0, maxLength: 200 }), (parts) => {
        const s = parts.join('');
        return encodings.every((enc) => JSON.stringify(ours[enc].encode(s)) === JSON.stringify(reference[enc].encode(s, [], [])));
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});

describe('where a text may be cut (pieceBarrier)', () => {
  it('cutting at a barrier never changes either count (property, against the reference)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'Q', ' a', ' ', '  ', '\n', '\n\n', '\r\n', '/', '\t', '1', '2', '²', "'s", '.', '-', 'é', '東', '🙂', '<|endoftext|>');
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 40 }), (parts) => {
        const s = parts.join('');
        for (let b = 1; b < s.length; b++) {
          if (!pieceBarrier(s, b)) continue;
          for (const enc of encodings) {
            const r = reference[enc];
            if (r.encode(s.slice(0, b), [], []).length + r.encode(s.slice(b), [], []).length !== r.encode(s, [], []).length) return false;
          }
        }
        return true;
      }),
      { numRuns: 400, seed: 20261202 },
    );
  });
});

describe('the bound on pathological runs (10 KB / 100 KB / 5 MB)', () => {
  // The stated bound (docs/security.md): at most PER_CUT tokens apart per cut (measured 0–3).
  const PER_CUT = 4;
  const cutsIn = (bytes: number) => PER_CUT * (Math.floor(bytes / (PIECE_CHUNK_BYTES - 4)) + Math.floor(bytes / WINDOW_CHARS));

  it.each(encodings)('%s: one character: exact at 10 KB, within the bound at 100 KB and 5 MB', (enc) => {
    for (const ch of ['q', '=', ' ', '_', '.', '\n']) {
      const small = ch.repeat(10_000);
      expect(ours[enc].count(small)).toBe(wide[enc].count(small));
      const mid = ch.repeat(100_000);
      expect(Math.abs(ours[enc].count(mid) - wide[enc].count(mid))).toBeLessThanOrEqual(cutsIn(100_000));
      const big = ch.repeat(5_000_000); // no stack overflow (js-tiktoken: "Maximum call stack size exceeded")
      const n = ours[enc].count(big);
      expect(Math.abs(n - wide[enc].count(big))).toBeLessThanOrEqual(2 * cutsIn(5_000_000));
      expect(n).toBeGreaterThan(0);
    }
  });

  it('"q" × 5,000,000 is 2,500,000 tokens of "qq" in o200k_base (the exact count: no longer token of q exists)', () => {
    expect(ours.o200k_base.count('q'.repeat(5_000_000))).toBe(2_500_000);
  });

  it.each(encodings)('%s: random letters without a break (the slowest run): within the bound at 100 KB', (enc) => {
    const text = pathologicalText('letters', 100_000, 3);
    expect(Math.abs(ours[enc].count(text) - wide[enc].count(text))).toBeLessThanOrEqual(cutsIn(100_000));
  });

  it.each(encodings)('%s: base64, hex and minified JS have short pieces: exact against the reference at 10 KB and 100 KB', (enc) => {
    for (const size of [10_000, 100_000]) {
      for (const text of [base64(size, size), hex(size, size + 1), minifiedJs(size, size + 2)]) {
        expect(ours[enc].count(text)).toBe(reference[enc].encode(text, [], []).length);
      }
    }
  });

  it('base64, hex and minified JS at 5 MB: counted whole equals counted in cut pieces (the streamed count)', { timeout: 60_000 }, async () => {
    const fiveMb = (block: string) => block.repeat(Math.ceil(5_000_000 / block.length)).slice(0, 5_000_000);
    for (const text of [fiveMb(base64(100_000, 5)), fiveMb(hex(100_000, 6)), fiveMb(minifiedJs(100_000, 7))]) {
      async function* pieces() {
        for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
      }
      const streamed = await countStream(pieces(), (t) => ours.o200k_base.count(t), 1 << 20);
      expect(streamed.raw).toBe(ours.o200k_base.count(text));
    }
  });
});

describe('long counts share the thread', () => {
  const text = 'q'.repeat(3 * STEP_CHARS + 5) + ' and then some prose';

  it('pauses between steps and gives the same count', async () => {
    let pauses = 0;
    const n = await encodeLengthAsync(ours.o200k_base, text, { pause: async () => void pauses++ });
    expect(pauses).toBeGreaterThanOrEqual(3);
    expect(n).toBe(ours.o200k_base.count(text));
  });

  it('stops with the signal’s reason when aborted (Ctrl-C) between steps', async () => {
    const controller = new AbortController();
    const pause = async () => controller.abort(new Error('interrupted'));
    await expect(encodeLengthAsync(ours.o200k_base, text, { pause, signal: controller.signal })).rejects.toThrow('interrupted');
    // The encoder is left usable: the next count is right.
    expect(ours.o200k_base.count('hello world')).toBe(2);
  });

  it('two interleaved async counts on one encoder do not disturb each other', async () => {
    const a = mixedText(3 * STEP_CHARS, 4);
    const b = 'x'.repeat(2 * STEP_CHARS) + mixedText(STEP_CHARS, 5);
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    const [na, nb] = await Promise.all([encodeLengthAsync(ours.o200k_base, a, { pause }), encodeLengthAsync(ours.o200k_base, b, { pause })]);
    expect(na).toBe(ours.o200k_base.count(a));
    expect(nb).toBe(ours.o200k_base.count(b));
  });
});
