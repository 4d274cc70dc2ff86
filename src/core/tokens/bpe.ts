// Byte-pair encoding over js-tiktoken's rank data, in time linear in the text whatever the text.
//
// js-tiktoken's own encoder merges each pre-tokenizer piece by rescanning all its pairs after every merge
// (quadratic in the piece's length) and spreads the result onto the call stack, so one long run without
// white space ("qqqq…", a line of "=" or "_", 5 MB of one letter) takes minutes or overflows the stack. Here:
// - the same pre-tokenizer pattern and the same ranks, so the same pieces and the same merges: the leftmost
//   pair of lowest rank is merged first, as in tiktoken. Short pieces use that scan; longer ones find the
//   same pair with a heap (n log n), which gives identical tokens (tests compare ids with js-tiktoken);
// - the bound: a piece longer than 65,532 UTF-8 bytes (only a run of letters, marks, punctuation or white
//   space without a break does this; digits come in threes) is merged in consecutive chunks of that size, cut
//   between characters; a stretch of 262,144 characters in which no piece boundary can be proven (see
//   pieceBarrier) is cut there. Each such cut may change the count by a token or so (tested: at most one per
//   cut, 0.0015% of a run); everything shorter is counted exactly;
// - a chunk equal to the one before (a run of one character) reuses its count;
// - the ranks are read into a flat open-addressing hash table over the decoded bytes (no 200,000-entry Map
//   of "104,101,108" strings and no decoder table): a fraction of js-tiktoken's build time and memory.
// Special-token look-alikes (<|endoftext|>) are ordinary text here, as counting needs.

/** The shape of a js-tiktoken ranks module: its split pattern and its compressed ranks. */
export interface RankData {
  pat_str: string;
  bpe_ranks: string;
}

/** Pieces longer than this many UTF-8 bytes less 4 are merged in chunks of about this size (see above). */
export const PIECE_CHUNK_BYTES = 1 << 16;
const MAX_CHUNK_BYTES = (1 << 17) - 1;

/**
 * The pattern runs over windows of at most this many characters, cut where no piece can span the cut (see
 * pieceBarrier); V8's regular expressions overflow their stack on a single match of a few million characters.
 */
export const WINDOW_CHARS = 1 << 18;
/** Up to this many bytes a piece is merged by rescanning its pairs (cheaper than the heap for short pieces). */
const SCAN_MAX = 64;
const NONE = -1;
const utf8 = new TextDecoder();
/** 2^16 remembered pairs of tokens (see pair()). */
const PAIR_CACHE_BITS = 16;
/** Multiplier of the polynomial hash of a byte string. */
const P = 0x9e3779b1 | 0;

const B64 = (() => {
  const t = new Int8Array(128).fill(-1);
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = i;
  return t;
})();

function hashBytes(buf: Uint8Array, from: number, to: number): number {
  let h = 0;
  for (let k = from; k < to; k++) h = (Math.imul(h, P) + buf[k]!) | 0;
  return h;
}

function slotOf(h: number, mask: number): number {
  let x = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  x ^= x >>> 16;
  return x & mask;
}

const WHITE = /\s/;
const SPACE_OR_DIGIT = /[\s\p{N}]/u;

/**
 * True where a window of text may end just before `b` with the same pieces on both sides as in the whole:
 * after a newline that is followed by neither white space nor "/"; before a space between two ASCII
 * lower-case letters; before an ASCII digit that follows neither a digit nor white space (no pattern loop
 * crosses a digit, and a digit run starts there either way). Checked by a property test on both encodings.
 */
export function pieceBarrier(text: string, b: number): boolean {
  if (b <= 0 || b >= text.length) return false;
  const c = text.charCodeAt(b);
  const before = text.charCodeAt(b - 1);
  if (before === 10) return c !== 47 && !WHITE.test(text[b]!);
  if (c === 32) return isLower(before) && isLower(text.charCodeAt(b + 1));
  if (c >= 48 && c <= 57) return !(before >= 48 && before <= 57) && !SPACE_OR_DIGIT.test(text[b - 1]!);
  return false;
}

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}

export class BytePairEncoder {
  private readonly pattern: RegExp;
  /** Decoded token bytes, one after another; token t spans bytes[offsets[t]] .. bytes[offsets[t + 1]]. */
  private readonly bytes: Uint8Array;
  private readonly offsets: Int32Array;
  /** Tokens read (the arrays are sized from a count of spaces, an upper bound). */
  private readonly tokenCount: number;
  private readonly ranks: Int32Array;
  private readonly hashes: Int32Array;
  /** Open addressing: slot → token index + 1 (0 = empty). */
  private readonly table: Int32Array;
  private readonly mask: number;
  // Scratch space, reused between pieces (an encoder runs one piece at a time).
  private readonly chunkBytes: number;
  private readonly buf: Uint8Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly partRank: Int32Array;
  private readonly byteRank = new Int32Array(256);
  private readonly pairCache = new Int32Array(3 << PAIR_CACHE_BITS).fill(NONE);
  private readonly pairRank: Int32Array;
  private readonly heap: Float64Array;
  private readonly last: Uint8Array;
  private lastLength = -1;
  private lastHash = 0;
  private lastCount = 0;

  /** `pieceChunkBytes` (tests only: an exact count of longer pieces to compare with) at most MAX_CHUNK_BYTES. */
  constructor(data: RankData, pieceChunkBytes = PIECE_CHUNK_BYTES) {
    if (!(pieceChunkBytes >= 256 && pieceChunkBytes <= MAX_CHUNK_BYTES)) throw new RangeError(`pieceChunkBytes must be 256..${MAX_CHUNK_BYTES}`);
    const c = (this.chunkBytes = pieceChunkBytes);
    this.buf = new Uint8Array(c);
    this.next = new Int32Array(c + 1);
    this.prev = new Int32Array(c + 1);
    this.partRank = new Int32Array(c + 1);
    this.pairRank = new Int32Array(c + 1);
    this.heap = new Float64Array(3 * c);
    this.last = new Uint8Array(c);
    this.pattern = new RegExp(data.pat_str, 'gu');
    const text = data.bpe_ranks;
    let tokens = 0;
    for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) tokens++;
    this.bytes = new Uint8Array(Math.ceil((text.length * 3) / 4));
    this.offsets = new Int32Array(tokens + 1);
    this.ranks = new Int32Array(tokens);
    this.hashes = new Int32Array(tokens);
    let size = 1;
    while (size < tokens * 2.5) size <<= 1;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    // Lines: "<ignored> <first rank> <base64 token> <base64 token> …", ranks consecutive within a line.
    let n = 0;
    let at = 0;
    for (let lineStart = 0; lineStart < text.length; ) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      const s1 = text.indexOf(' ', lineStart);
      const s2 = s1 < 0 || s1 >= lineEnd ? -1 : text.indexOf(' ', s1 + 1);
      if (s2 > 0 && s2 < lineEnd) {
        let rank = Number.parseInt(text.slice(s1 + 1, s2), 10);
        for (let i = s2 + 1; i < lineEnd; ) {
          let j = text.indexOf(' ', i);
          if (j < 0 || j > lineEnd) j = lineEnd;
          const from = at;
          let acc = 0;
          let bits = 0;
          for (let k = i; k < j; k++) {
            const v = B64[text.charCodeAt(k)]!;
            if (v < 0) break; // "=" padding
            acc = ((acc << 6) | v) & 0xffffff;
            bits += 6;
            if (bits >= 8) {
              bits -= 8;
              this.bytes[at++] = (acc >> bits) & 255;
            }
          }
          this.offsets[n] = from;
          this.ranks[n] = rank++;
          const h = hashBytes(this.bytes, from, at);
          this.hashes[n] = h;
          let slot = slotOf(h, this.mask);
          while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
          this.table[slot] = n + 1;
          n++;
          i = j + 1;
        }
      }
      lineStart = lineEnd + 1;
    }
    this.offsets[n] = at;
    this.tokenCount = n;
    for (let x = 0; x < 256; x++) {
      this.buf[0] = x;
      this.byteRank[x] = this.rank(this.buf, 0, 1, hashBytes(this.buf, 0, 1));
    }
  }

  /** Rank of buf[from..to) whose hash is h, or NONE. */
  private rank(buf: Uint8Array, from: number, to: number, h: number): number {
    const len = to - from;
    const { table, offsets, bytes, hashes, mask } = this;
    for (let slot = slotOf(h, mask); ; slot = (slot + 1) & mask) {
      const v = table[slot]!;
      if (v === 0) return NONE;
      const t = v - 1;
      if (hashes[t] !== h) continue;
      const off = offsets[t]!;
      if (offsets[t + 1]! - off !== len) continue;
      let k = 0;
      while (k < len && bytes[off + k] === buf[from + k]) k++;
      if (k === len) return this.ranks[t]!;
    }
  }

  /** Tokens in `text`, counted as plain text. */
  count(text: string): number {
    const steps = this.run(text, Infinity, undefined);
    let r = steps.next();
    while (!r.done) r = steps.next();
    return r.value;
  }

  /** The token ids of `text` (plain text: special-token look-alikes are ordinary text). */
  encode(text: string): number[] {
    const out: number[] = [];
    const steps = this.run(text, Infinity, out);
    let r = steps.next();
    while (!r.done) r = steps.next();
    return out;
  }

  /** Token index of each rank (built on the first decode: counting never needs it). */
  private indexOfRank: Int32Array | undefined;

  /** The text of token ids (as TextDecoder reads their bytes: a cut multi-byte character is U+FFFD). */
  decode(ids: readonly number[]): string {
    let index = this.indexOfRank;
    if (!index) {
      let max = 0;
      for (let t = 0; t < this.tokenCount; t++) max = Math.max(max, this.ranks[t]!);
      index = this.indexOfRank = new Int32Array(max + 1).fill(NONE);
      for (let t = 0; t < this.tokenCount; t++) index[this.ranks[t]!] = t;
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const id of ids) {
      const t = id >= 0 && id < index.length ? index[id]! : NONE;
      if (t === NONE) throw new RangeError(`no token has id ${id}`);
      const part = this.bytes.subarray(this.offsets[t]!, this.offsets[t + 1]!);
      parts.push(part);
      size += part.length;
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    return utf8.decode(all);
  }

  /** Where the window that starts at `from` ends: the text's end, a piece barrier, or (none near) WINDOW_CHARS on. */
  windowEnd(text: string, from: number): number {
    if (text.length - from <= WINDOW_CHARS) return text.length;
    const limit = from + WINDOW_CHARS;
    for (let b = limit; b > from + (WINDOW_CHARS >> 1); b--) if (pieceBarrier(text, b)) return b;
    const c = text.charCodeAt(limit);
    return c >= 0xdc00 && c <= 0xdfff ? limit - 1 : limit; // never between the halves of a surrogate pair
  }

  /**
   * Counts `text`, returning to the caller (yield) after about every `stepChars` characters so that an async
   * caller can let the event loop run (Ctrl-C, other requests) between steps.
   */
  *run(text: string, stepChars: number, out: number[] | undefined): Generator<void, number, void> {
    const re = this.pattern;
    const buf = this.buf;
    const limit = this.chunkBytes - 4;
    let total = 0;
    let sinceYield = 0;
    for (let ws = 0; ws < text.length; ) {
      const we = this.windowEnd(text, ws);
      const win = ws === 0 && we === text.length ? text : text.slice(ws, we);
      ws = we;
      re.lastIndex = 0;
      for (let m = re.exec(win); m !== null; m = re.exec(win)) {
        const end = m.index + m[0].length;
        let pos = m.index;
        while (pos < end) {
          // UTF-8 encode up to chunkBytes of the piece into buf (hashing as we go), between characters.
          let n = 0;
          let h = 0;
          while (pos < end && n < limit) {
            let c = win.charCodeAt(pos++);
            if (c < 0x80) {
              buf[n++] = c;
              h = (Math.imul(h, P) + c) | 0;
              continue;
            }
            const first = n;
            if (c < 0x800) {
              buf[n++] = 0xc0 | (c >> 6);
              buf[n++] = 0x80 | (c & 63);
            } else {
              if (c >= 0xd800 && c <= 0xdfff) {
                const d = pos < end ? win.charCodeAt(pos) : 0;
                if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
                  pos++;
                  c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
                } else c = 0xfffd; // a lone surrogate, as TextEncoder writes it
              }
              if (c >= 0x10000) {
                buf[n++] = 0xf0 | (c >> 18);
                buf[n++] = 0x80 | ((c >> 12) & 63);
              } else buf[n++] = 0xe0 | (c >> 12);
              buf[n++] = 0x80 | ((c >> 6) & 63);
              buf[n++] = 0x80 | (c & 63);
            }
            for (let k = first; k < n; k++) h = (Math.imul(h, P) + buf[k]!) | 0;
          }
          const whole = this.rank(buf, 0, n, h);
          if (whole !== NONE) {
            out?.push(whole);
            total++;
          } else if (n <= SCAN_MAX) total += this.mergeScan(n, out);
          else total += this.mergeLong(n, h, out);
          sinceYield += n;
          if (sinceYield >= stepChars && (pos < end || ws < text.length || re.lastIndex < win.length)) {
            sinceYield = 0;
            const lastIndex = re.lastIndex;
            yield;
            re.lastIndex = lastIndex; // another run on this encoder may have used the pattern meanwhile
          }
        }
      }
    }
    return total;
  }

  /**
   * Rank of the concatenation of two tokens (by rank) that sit at buf[from..mid) and buf[mid..to), or NONE.
   * Remembered in a small direct-mapped cache: long runs repeat the same pairs over and over.
   */
  private pair(left: number, right: number, from: number, to: number): number {
    const slot = (Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca6b)) >>> (32 - PAIR_CACHE_BITS);
    const i = slot * 3;
    const cache = this.pairCache;
    if (cache[i] === left && cache[i + 1] === right) return cache[i + 2]!;
    const r = this.rank(this.buf, from, to, hashBytes(this.buf, from, to));
    cache[i] = left;
    cache[i + 1] = right;
    cache[i + 2] = r;
    return r;
  }

  /** tiktoken's merge of buf[0..n): repeatedly join the leftmost adjacent pair of lowest rank. */
  private mergeScan(n: number, out: number[] | undefined): number {
    const { buf, next: starts, partRank: part, pairRank: pr, byteRank } = this;
    let parts = n;
    for (let i = 0; i < n; i++) {
      starts[i] = i;
      part[i] = byteRank[buf[i]!]!;
    }
    starts[n] = n;
    for (let i = 0; i < n - 1; i++) pr[i] = this.pair(part[i]!, part[i + 1]!, i, i + 2);
    for (;;) {
      let best = -1;
      let bestRank = 0x7fffffff;
      for (let i = 0; i < parts - 1; i++) {
        const r = pr[i]!;
        if (r !== NONE && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      // Join part best with part best + 1.
      part[best] = bestRank;
      starts.copyWithin(best + 1, best + 2, parts + 1);
      part.copyWithin(best + 1, best + 2, parts);
      pr.copyWithin(best + 1, best + 2, parts);
      parts--;
      pr[best] = best + 1 < parts ? this.pair(bestRank, part[best + 1]!, starts[best]!, starts[best + 2]!) : NONE;
      if (best > 0) pr[best - 1] = this.pair(part[best - 1]!, bestRank, starts[best - 1]!, starts[best + 1]!);
    }
    if (out) for (let i = 0; i < parts; i++) out.push(part[i]!);
    return parts;
  }

  /**
   * A long piece or chunk: merged with the heap, except that a chunk equal to the one before (a run of one
   * character or of a short repeated pattern is a series of equal chunks) reuses its count.
   */
  private mergeLong(n: number, h: number, out: number[] | undefined): number {
    if (out === undefined && n === this.lastLength && h === this.lastHash) {
      const { buf, last } = this;
      let k = 0;
      while (k < n && buf[k] === last[k]) k++;
      if (k === n) return this.lastCount;
    }
    const count = this.mergeHeap(n, out);
    this.last.set(this.buf.subarray(0, n));
    this.lastLength = n;
    this.lastHash = h;
    this.lastCount = count;
    return count;
  }

  /**
   * The same merge order as mergeScan, found with a heap of (rank, start) candidates: a candidate is still
   * good when `start` begins a part whose pair with its right neighbour still has that rank (a pair of two
   * other parts is another byte string, so has another rank); stale candidates are skipped.
   */
  private mergeHeap(n: number, out: number[] | undefined): number {
    const { buf, next, prev, partRank: part, pairRank: pr, heap, byteRank } = this;
    const B = MAX_CHUNK_BYTES + 1; // rank (< 2^18) × B + start is an exact double
    let size = 0;
    for (let i = 0; i < n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
      part[i] = byteRank[buf[i]!]!;
    }
    for (let i = 0; i < n - 1; i++) {
      const r = this.pair(part[i]!, part[i + 1]!, i, i + 2);
      pr[i] = r;
      if (r !== NONE) heap[size++] = r * B + i;
    }
    pr[n - 1] = NONE;
    // Heapify, then take the least (rank, start) each time.
    for (let i = (size - 2) >> 2; i >= 0; i--) siftDown(heap, i, size);
    let parts = n;
    while (size > 0) {
      const key = heap[0]!;
      heap[0] = heap[--size]!;
      siftDown(heap, 0, size);
      const rank = (key / B) | 0;
      const a = key - rank * B;
      if (pr[a] !== rank || next[a]! < 0) continue; // stale
      const b = next[a]!;
      const e = next[b]!;
      part[a] = rank;
      next[a] = e;
      next[b] = -1;
      pr[b] = NONE;
      parts--;
      if (e < n) {
        prev[e] = a;
        const r = this.pair(rank, part[e]!, a, next[e]!);
        pr[a] = r;
        if (r !== NONE) size = heapPush(heap, size, r * B + a);
      } else pr[a] = NONE;
      if (a > 0) {
        const p = prev[a]!;
        const r = this.pair(part[p]!, rank, p, e);
        pr[p] = r;
        if (r !== NONE) size = heapPush(heap, size, r * B + p);
      }
    }
    if (out) for (let i = 0; i < n; i = next[i]!) out.push(part[i]!);
    return parts;
  }
}

/** A 4-ary min-heap (shallower than a binary one: fewer cache misses per operation). */
function siftDown(heap: Float64Array, i: number, size: number): void {
  const x = heap[i]!;
  for (;;) {
    const c = 4 * i + 1;
    if (c >= size) break;
    let m = c;
    let v = heap[c]!;
    const last = c + 4 < size ? c + 4 : size;
    for (let k = c + 1; k < last; k++) {
      const w = heap[k]!;
      if (w < v) {
        v = w;
        m = k;
      }
    }
    if (v >= x) break;
    heap[i] = v;
    i = m;
  }
  heap[i] = x;
}

function heapPush(heap: Float64Array, size: number, key: number): number {
  let i = size;
  while (i > 0) {
    const p = (i - 1) >> 2;
    if (heap[p]! <= key) break;
    heap[i] = heap[p]!;
    i = p;
  }
  heap[i] = key;
  return size + 1;
}
