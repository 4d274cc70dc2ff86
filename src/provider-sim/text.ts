// Deterministic generated answers and cached token counts: what the simulated model "says" and how much.
import type { Model } from '../core/catalog/schema.js';
import { counterForModel, type TokenCounter } from '../core/tokens/tokenizer.js';
import type { Random } from '../core/random.js';

// Common English words. Only those that are a single token (with their leading space) in the model's
// encoding are kept, so that a generated answer of N pieces is N raw tokens and each stream delta is one token.
const WORDS = (
  'the model answer request token stream batch latency user system data time value result first new good ' +
  'more most other some any each this that these those with from into over after before under about between ' +
  'small large fast slow clear simple short long high low best next last same different important possible ' +
  'work call cost rate limit price plan team service client server message line file test case point level ' +
  'order number part place way day week month year people group world state area problem question reason ' +
  'make take give find use show keep help start run write read send check build move change follow learn'
).split(' ');

export interface ModelRuntime {
  model: Model;
  counter: TokenCounter;
  /** Answer pieces: each exactly one raw token of the model's encoding. */
  pieces: string[];
  sentenceEnd: string;
  /** Raw token counts of texts seen before (system prompts and few-shot examples repeat a lot). */
  rawCounts: Map<string, number>;
}

const MAX_CACHED_TEXTS = 4096;
/** Longer texts are counted each time: keeping them would make the cache's memory unbounded in practice. */
const MAX_CACHED_TEXT_CHARS = 64 * 1024;

export async function makeRuntime(model: Model): Promise<ModelRuntime> {
  const counter = await counterForModel(model);
  const pieces = WORDS.map((w) => ` ${w}`).filter((p) => counter.countRaw(p) === 1);
  return { model, counter, pieces, sentenceEnd: '.', rawCounts: new Map() };
}

/** Raw tokens of one text, remembered (bounded: the cache is dropped when full rather than grown). */
export function rawTokens(rt: ModelRuntime, text: string): number {
  const hit = rt.rawCounts.get(text);
  if (hit !== undefined) return hit;
  const n = rt.counter.countRaw(text);
  if (text.length > MAX_CACHED_TEXT_CHARS) return n;
  if (rt.rawCounts.size >= MAX_CACHED_TEXTS) rt.rawCounts.clear();
  rt.rawCounts.set(text, n);
  return n;
}

/** Tokens of several texts together, as the model's tokenizer estimates them (scaled once, not per piece). */
export function countTexts(rt: ModelRuntime, texts: readonly string[]): number {
  let raw = 0;
  for (const t of texts) raw += rawTokens(rt, t);
  return rt.counter.scale(raw);
}

export interface GeneratedAnswer {
  /** Stream deltas in order; their concatenation is the answer text. */
  pieces: string[];
  readonly text: string;
  /** Output tokens as usage reports them (the tokenizer's count of `text`). */
  outputTokens: number;
  /** true when max_tokens cut the answer short (finish_reason "length" / stop_reason "max_tokens"). */
  truncated: boolean;
}

/** The answer length the model "wants" before max_tokens: log-normal around 120 tokens. */
export function desiredLength(rng: Random): number {
  return Math.max(1, Math.min(2000, Math.round(120 * rng.logNormal(0.6))));
}

export function generateAnswer(rt: ModelRuntime, rng: Random, maxTokens: number | undefined): GeneratedAnswer {
  const wanted = desiredLength(rng);
  const limit = maxTokens === undefined ? wanted : Math.min(wanted, maxTokens);
  // Largest raw count whose scaled estimate fits the limit (scale is ×1 for OpenAI, ×~1.16 for Claude).
  let raw = rt.counter.factor === 1 ? limit : Math.floor(limit / rt.counter.factor) + 1;
  while (raw > 0 && rt.counter.scale(raw) > limit) raw--;
  if (raw < 1) raw = Math.min(1, limit);
  const pieces: string[] = new Array(raw);
  const words = rt.pieces;
  let previous = '';
  for (let i = 0; i < raw; i++) {
    // About one sentence in twelve pieces; "." is one token and splits from the word before it (never
    // two in a row: ".." would merge into one token).
    const end = i > 0 && previous !== rt.sentenceEnd && (i === raw - 1 || rng.uniform() < 0.08);
    previous = end ? rt.sentenceEnd : words[Math.floor(rng.uniform() * words.length)]!;
    pieces[i] = previous;
  }
  // The joined text is made only when asked for: a stream sends the pieces and never needs it.
  let text: string | undefined;
  return {
    pieces,
    get text() {
      return (text ??= pieces.join(''));
    },
    outputTokens: rt.counter.scale(raw),
    truncated: maxTokens !== undefined && wanted > maxTokens,
  };
}

const fragments = new Map<string, Map<string, Buffer>>();

/**
 * The bytes of a stream fragment that depends only on its framing (`kind`) and an answer piece, remembered:
 * the vocabulary is small, and this is the streaming hot path.
 */
export function fragmentBytes(kind: string, piece: string, make: (piece: string) => string): Buffer {
  let byPiece = fragments.get(kind);
  if (byPiece === undefined) fragments.set(kind, (byPiece = new Map()));
  let b = byPiece.get(piece);
  if (b === undefined) {
    b = Buffer.from(make(piece));
    if (byPiece.size < 4096) byPiece.set(piece, b);
  }
  return b;
}
