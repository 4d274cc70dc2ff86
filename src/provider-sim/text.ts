// Deterministic generated answers and cached token counts: what the simulated model "says" and how much.
import type { Model } from '../core/catalog/schema.js';
import { counterForModel, loadEncoder, STEP_CHARS, type TokenCounter } from '../core/tokens/tokenizer.js';
import { yieldToEventLoop } from '../io/event-loop.js';
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
  /** Answer pieces: each exactly one raw token of the model's encoding, and the same text in JSON quotes. */
  pieces: string[];
  sentenceEnd: string;
  /** Raw token counts of texts seen before (system prompts and few-shot examples repeat a lot). */
  rawCounts: Map<string, number>;
  /** Stream fragments of each vocabulary piece (index as in GeneratedAnswer.vocab), per framing; see answerFragments. */
  fragmentTables: Map<string, Array<Buffer | undefined>>;
  /** A text cut into the strings of its raw tokens (the stand-in encoding's), in order. */
  split(text: string): string[];
}

const MAX_CACHED_TEXTS = 4096;
/** Longer texts are counted each time: keeping them would make the cache's memory unbounded in practice. */
const MAX_CACHED_TEXT_CHARS = 64 * 1024;

export async function makeRuntime(model: Model): Promise<ModelRuntime> {
  const counter = await counterForModel(model);
  const codec = await loadEncoder(model.tokenizer.encoding);
  // Every piece is JSON-safe as it is (no quote, backslash or control character): bodies quote it unescaped.
  const pieces = WORDS.map((w) => ` ${w}`).filter((p) => counter.countRaw(p) === 1 && JSON.stringify(p) === `"${p}"`);
  const split = (text: string): string[] => {
    const out: string[] = [];
    let pending: number[] = [];
    for (const id of codec.encode(text)) {
      pending.push(id);
      const piece = codec.decode(pending);
      // A token that ends inside a multi-byte character decodes to U+FFFD: keep it with the next one.
      if (piece.endsWith('\uFFFD')) continue;
      out.push(piece);
      pending = [];
    }
    if (pending.length > 0) out.push(codec.decode(pending));
    return out;
  };
  return { model, counter, pieces, sentenceEnd: '.', rawCounts: new Map(), fragmentTables: new Map(), split };
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

/**
 * Raw tokens of one text without holding the event loop: a text longer than one counting step (STEP_CHARS)
 * is counted in steps with a setImmediate turn between them, so one request of megabytes of unbroken text
 * does not stall every other request the server is answering.
 */
async function rawTokensShared(rt: ModelRuntime, text: string): Promise<number> {
  if (text.length <= STEP_CHARS) return rawTokens(rt, text);
  return rt.counter.countRawAsync(text, { pause: yieldToEventLoop });
}

/** A counter's estimate of one text, counted in steps when it is long (see rawTokensShared). */
export async function countShared(counter: TokenCounter, text: string): Promise<number> {
  return text.length <= STEP_CHARS ? counter.count(text) : counter.scale(await counter.countRawAsync(text, { pause: yieldToEventLoop }));
}

/** Tokens of several texts together, as the model's tokenizer estimates them (scaled once, not per piece). */
export async function countTexts(rt: ModelRuntime, texts: readonly string[]): Promise<number> {
  let raw = 0;
  for (const t of texts) raw += t.length <= STEP_CHARS ? rawTokens(rt, t) : await rawTokensShared(rt, t);
  return rt.counter.scale(raw);
}

/** How a provider frames messages in the prompt it bills (see usage-model.ts for the figures and sources). */
export interface Framing {
  perMessage: number;
  /** The role's own tokens are counted (OpenAI: "user" is one token). */
  countRole: boolean;
  /** Extra tokens for a message's `name` (besides the name's own tokens). */
  perName: number;
  perRequest: number;
}

/**
 * Prompt tokens of messages with the provider's framing, plus `extra` texts (system prompt, tool
 * definitions, schemas) counted as they are; scaled once where the count is a stand-in's.
 */
export async function countFramed(rt: ModelRuntime, messages: ReadonlyArray<{ role: string; texts: readonly string[]; name?: string }>, framing: Framing, extra: readonly string[] = []): Promise<number> {
  // Short texts (nearly all) are counted without an await: a microtask per text adds up on every request.
  let raw = framing.perRequest;
  for (const m of messages) {
    raw += framing.perMessage;
    if (framing.countRole) raw += m.role.length <= STEP_CHARS ? rawTokens(rt, m.role) : await rawTokensShared(rt, m.role);
    for (const t of m.texts) raw += t.length <= STEP_CHARS ? rawTokens(rt, t) : await rawTokensShared(rt, t);
    if (m.name !== undefined) raw += framing.perName + (m.name.length <= STEP_CHARS ? rawTokens(rt, m.name) : await rawTokensShared(rt, m.name));
  }
  for (const t of extra) raw += t.length <= STEP_CHARS ? rawTokens(rt, t) : await rawTokensShared(rt, t);
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
  /**
   * For an answer generated from the runtime's vocabulary: each piece's index in it (rt.pieces, and
   * rt.pieces.length for the sentence end), so its stream fragments are found by index (answerFragments).
   */
  readonly vocab?: readonly number[];
}

/** The answer length the model "wants" before max_tokens: log-normal around 120 tokens. */
export function desiredLength(rng: Random): number {
  return Math.max(1, Math.min(2000, Math.round(120 * rng.logNormal(0.6))));
}

/** `wanted` is the length the model "wants" (drawn with desiredLength when not given). */
export function generateAnswer(rt: ModelRuntime, rng: Random, maxTokens: number | undefined, wanted = desiredLength(rng)): GeneratedAnswer {
  if (maxTokens !== undefined && maxTokens <= 0) return emptyAnswer(true);
  const limit = maxTokens === undefined ? wanted : Math.min(wanted, maxTokens);
  // Largest raw count whose scaled estimate fits the limit (scale is ×1 for OpenAI, ×~1.16 for Claude).
  let raw = rt.counter.factor === 1 ? limit : Math.floor(limit / rt.counter.factor) + 1;
  while (raw > 0 && rt.counter.scale(raw) > limit) raw--;
  if (raw < 1) raw = Math.min(1, limit);
  const pieces: string[] = new Array(raw);
  const vocab: number[] = new Array(raw);
  const words = rt.pieces;
  let previous = '';
  for (let i = 0; i < raw; i++) {
    // About one sentence in twelve pieces; "." is one token and splits from the word before it (never
    // two in a row: ".." would merge into one token).
    const end = i > 0 && previous !== rt.sentenceEnd && (i === raw - 1 || rng.uniform() < 0.08);
    const k = end ? words.length : Math.floor(rng.uniform() * words.length);
    previous = end ? rt.sentenceEnd : words[k]!;
    pieces[i] = previous;
    vocab[i] = k;
  }
  return new PiecesAnswer(pieces, vocab, rt.counter.scale(raw), maxTokens !== undefined && wanted > maxTokens);
}

/**
 * A generated answer whose text is joined only when asked for: a stream sends the pieces and never needs it.
 * A class, so the getter lives on the prototype (an object literal with a getter defines it on every answer).
 */
class PiecesAnswer implements GeneratedAnswer {
  private joined: string | undefined;
  constructor(
    readonly pieces: string[],
    readonly vocab: readonly number[],
    readonly outputTokens: number,
    readonly truncated: boolean,
  ) {}

  get text(): string {
    return (this.joined ??= this.pieces.join(''));
  }
}

/**
 * A given text (structured output, tool arguments) as an answer: one piece per raw token, cut at
 * `maxTokens` (a cut answer is `truncated`, as the provider's length stop is).
 */
export function answerFromText(rt: ModelRuntime, full: string, maxTokens: number | undefined): GeneratedAnswer {
  let pieces = rt.split(full);
  let truncated = false;
  if (maxTokens !== undefined && rt.counter.scale(pieces.length) > maxTokens) {
    let raw = rt.counter.factor === 1 ? maxTokens : Math.floor(maxTokens / rt.counter.factor) + 1;
    while (raw > 0 && rt.counter.scale(raw) > maxTokens) raw--;
    pieces = pieces.slice(0, Math.max(0, raw));
    truncated = true;
  }
  const text = pieces.join('');
  return { pieces, text, outputTokens: rt.counter.scale(pieces.length), truncated };
}

/** An answer with no visible output (a reasoning model that spent its whole budget thinking). */
export function emptyAnswer(truncated: boolean): GeneratedAnswer {
  return { pieces: [], text: '', outputTokens: 0, truncated };
}

/**
 * The stream fragment of each of an answer's pieces in one framing (`kind`, whose `make` writes a piece's
 * event). A generated answer's pieces are found by their index in the runtime's vocabulary (an array
 * read, where a lookup by text hashes and compares strings: a stream takes one per token); others
 * (structured output, tool arguments) by their text, as fragmentBytes remembers them.
 */
export function answerFragments(rt: ModelRuntime, answer: GeneratedAnswer, kind: string, make: (piece: string) => string): Buffer[] {
  const { vocab, pieces } = answer;
  if (vocab === undefined) return pieces.map((p) => fragmentBytes(kind, p, make));
  let table = rt.fragmentTables.get(kind);
  if (table === undefined) rt.fragmentTables.set(kind, (table = new Array<Buffer | undefined>(rt.pieces.length + 1)));
  const out: Buffer[] = new Array(vocab.length);
  for (let i = 0; i < vocab.length; i++) {
    const k = vocab[i]!;
    out[i] = table[k] ?? (table[k] = Buffer.from(make(pieces[i]!)));
  }
  return out;
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
