// Token counting behind one small module: loads only the encoding a model needs (one js-tiktoken ranks file,
// read by core/tokens/bpe.ts in linear time), once per process. Text that looks like a special token is
// counted as plain text.
import type { Model } from '../catalog/schema.js';
import { BytePairEncoder, pieceBarrier } from './bpe.js';
import type { TokenCountCache } from './count-cache.js';

export type EncodingName = 'o200k_base' | 'cl100k_base';

export interface TokenCounter {
  encoding: EncodingName;
  /** true where the model's own tokenizer is not available offline and a stand-in is scaled. */
  approximate: boolean;
  factor: number;
  /** How the count was made, e.g. "tiktoken:o200k_base" or "heuristic:claude≈o200k_base×1.16". */
  method: string;
  /** How far off an approximate count may be. */
  errorNote: string | undefined;
  /** Tokens in `text` (scaled and rounded where approximate). */
  count(text: string): number;
  /** Raw token count of the stand-in encoding, unscaled (for summing many pieces before scaling). */
  countRaw(text: string): number;
  /** countRaw that lets the event loop run every STEP_CHARS characters and stops when `cooperate.signal` aborts. */
  countRawAsync(text: string, cooperate?: Cooperate): Promise<number>;
  /** Scale a raw count to the model's estimate. */
  scale(raw: number): number;
}

/**
 * How a long count shares the thread: `pause` lets the event loop run (the io layer passes a setImmediate
 * promise; core has no timers), and `signal` stops the count (Ctrl-C) between steps.
 */
export interface Cooperate {
  pause?: () => Promise<void>;
  signal?: AbortSignal;
}

/** Characters counted between two pauses of an async count (a few milliseconds of work). */
export const STEP_CHARS = 1 << 18;

export type Encoder = BytePairEncoder;

const encoders = new Map<EncodingName, Promise<Encoder>>();

export function loadEncoder(name: EncodingName): Promise<Encoder> {
  let p = encoders.get(name);
  if (!p) {
    p = (async () => {
      const ranks = name === 'o200k_base' ? (await import('js-tiktoken/ranks/o200k_base')).default : (await import('js-tiktoken/ranks/cl100k_base')).default;
      return new BytePairEncoder(ranks);
    })();
    encoders.set(name, p);
  }
  return p;
}

/** Plain-text count: special-token look-alikes such as <|endoftext|> are ordinary text, never an error. */
export function encodeLength(encoder: Encoder, text: string): number {
  return encoder.count(text);
}

/** encodeLength in steps, pausing between them (see Cooperate); rejects with the signal's reason on abort. */
export async function encodeLengthAsync(encoder: Encoder, text: string, cooperate: Cooperate = {}): Promise<number> {
  const { pause, signal } = cooperate;
  if (text.length <= STEP_CHARS || !pause) {
    if (signal?.aborted) throw signal.reason;
    return encoder.count(text);
  }
  const steps = encoder.run(text, STEP_CHARS, undefined);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    await pause();
    if (signal?.aborted) {
      steps.return(0);
      throw signal.reason;
    }
  }
}

/** What a model's count is and how it is made, without loading the encoder. */
export function describeTokenizer(tokenizer: Model['tokenizer'], family: string): Omit<TokenCounter, 'count' | 'countRaw' | 'countRawAsync'> {
  const factor = tokenizer.factor;
  const approximate = tokenizer.approximate;
  return {
    encoding: tokenizer.encoding,
    approximate,
    factor,
    method: approximate ? `heuristic:${family}≈${tokenizer.encoding}${factor === 1 ? '' : `×${factor}`}` : `tiktoken:${tokenizer.encoding}`,
    errorNote: tokenizer.error_note,
    scale: (raw: number) => (factor === 1 ? raw : Math.round(raw * factor)),
  };
}

export async function tokenCounterFor(tokenizer: Model['tokenizer'], family: string): Promise<TokenCounter> {
  const encoder = await loadEncoder(tokenizer.encoding);
  const described = describeTokenizer(tokenizer, family);
  return {
    ...described,
    countRaw: (text) => encodeLength(encoder, text),
    countRawAsync: (text, cooperate) => encodeLengthAsync(encoder, text, cooperate),
    count: (text) => described.scale(encodeLength(encoder, text)),
  };
}

function familyOf(model: Model): string {
  return model.provider === 'anthropic' ? 'claude' : model.provider === 'google' ? 'gemini' : model.id;
}

/** The tokenizer of a catalog model. */
export function counterForModel(model: Model): Promise<TokenCounter> {
  return tokenCounterFor(model.tokenizer, familyOf(model));
}

export function describeModelTokenizer(model: Model): Omit<TokenCounter, 'count' | 'countRaw' | 'countRawAsync'> {
  return describeTokenizer(model.tokenizer, familyOf(model));
}

/**
 * Token counts of several texts for a model, scaled where approximate. Counts found in `cache` are used
 * as they are; the encoder is loaded only when some text is not cached. Long texts are counted in steps
 * when `cooperate.pause` is given (Ctrl-C stops them).
 */
export async function countTexts(model: Model, texts: readonly string[], cache?: TokenCountCache, cooperate?: Cooperate): Promise<number[]> {
  const described = describeModelTokenizer(model);
  const raw: Array<number | undefined> = texts.map((t) => cache?.get(described.encoding, t));
  if (raw.some((r) => r === undefined)) {
    const encoder = await loadEncoder(described.encoding);
    for (const [i, t] of texts.entries()) {
      if (raw[i] !== undefined) continue;
      const n = await encodeLengthAsync(encoder, t, cooperate);
      raw[i] = n;
      cache?.set(described.encoding, t, n);
    }
  }
  return raw.map((r) => described.scale(r!));
}

/**
 * Encoding for an OpenAI model name the catalog does not list, by the prefix rules of Python tiktoken:
 * embeddings and gpt-4/3.5 use cl100k_base; gpt-4o and everything later (gpt-4.1, gpt-5.x, o-series) o200k_base.
 */
export function encodingForOpenAIName(name: string): { encoding: EncodingName; guessed: boolean } | undefined {
  const n = name.toLowerCase().replace(/^openai\//, '');
  if (/^(text-embedding-|gpt-3\.5|gpt-35|gpt-4-|gpt-4$|gpt-4-32k|gpt-4-turbo)/.test(n)) return { encoding: 'cl100k_base', guessed: !/^(text-embedding-3-(small|large)|text-embedding-ada-002)$/.test(n) };
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-6|gpt-|o1|o3|o4|o5|chatgpt-|ft:gpt-4o|codex-)/.test(n)) return { encoding: 'o200k_base', guessed: true };
  return undefined;
}

/**
 * Where a long text may be cut so that encoding the pieces gives the same tokens as encoding the whole:
 * just after a newline that is followed by a character that is neither white space nor "/" (no
 * pre-tokenizer piece of o200k_base or cl100k_base spans such a point). -1 if there is none.
 */
export function lastSafeCut(text: string, from = 0): number {
  let i = text.lastIndexOf('\n', text.length - 2);
  while (i >= from && i >= 0) {
    const next = text[i + 1]!;
    if (next !== '/' && !/\s/.test(next)) return i + 1;
    if (i === 0) break;
    i = text.lastIndexOf('\n', i - 1);
  }
  return -1;
}

/**
 * A second kind of safe cut, for text without usable newlines (one long line): just before a space that sits
 * between two ASCII lower-case letters ("abc| def"). Both encodings' pre-tokenizers end a word at the letter
 * and start the next piece with the space, so no token spans the cut. -1 if there is none.
 */
export function lastWordCut(text: string, from = 0): number {
  for (let i = text.lastIndexOf(' ', text.length - 2); i > from && i > 0; i = text.lastIndexOf(' ', i - 1)) {
    if (isLower(text.charCodeAt(i - 1)) && isLower(text.charCodeAt(i + 1))) return i;
  }
  return -1;
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

/**
 * Counts a stream of text chunks in bounded memory, cutting where no piece spans the cut (pieceBarrier), so
 * the sum is the whole text's count. A stretch of 4 windows without any such point (one run of letters or
 * punctuation) is cut at a character boundary: that cut may move the count by a token (see bpe.ts).
 */
export async function countStream(
  chunks: AsyncIterable<string>,
  countRaw: (text: string) => number | Promise<number>,
  windowChars = 1 << 20,
  signal?: AbortSignal,
): Promise<{ raw: number; chars: number; bytes: number }> {
  let pending = '';
  let raw = 0;
  let chars = 0;
  let bytes = 0;
  let scanned = 0; // pending[0..scanned) has no cut point after windowChars / 4
  for await (const chunk of chunks) {
    if (signal?.aborted) throw signal.reason; // Ctrl-C stops a long count between chunks
    chars += chunk.length;
    bytes += Buffer.byteLength(chunk);
    pending += chunk;
    if (pending.length >= windowChars) {
      const from = Math.max(windowChars >> 2, scanned - 1);
      let cut = lastBarrier(pending, from);
      scanned = pending.length - 1;
      if (cut <= 0 && pending.length >= 4 * windowChars) {
        cut = pending.length - 1;
        const c = pending.charCodeAt(cut);
        if (c >= 0xdc00 && c <= 0xdfff) cut--; // not between the halves of a surrogate pair
      }
      if (cut > 0) {
        raw += await countRaw(pending.slice(0, cut));
        pending = pending.slice(cut);
        scanned = 0;
      }
    }
  }
  if (pending.length > 0) raw += await countRaw(pending);
  return { raw, chars, bytes };
}

/** The last position after `from` where a text may be cut without changing its count, or -1. */
export function lastBarrier(text: string, from: number): number {
  for (let b = text.length - 1; b > from; b--) if (pieceBarrier(text, b)) return b;
  return -1;
}
