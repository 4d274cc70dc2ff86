// Optional RPM/TPM enforcement: token buckets per model, so a client that ignores limits meets 429s.

export interface RateLimitConfig {
  /** Requests per minute per model. */
  rpm?: number;
  /** Tokens per minute per model (input + max output, as providers estimate at admission). */
  tpm?: number;
  /** Input tokens per minute (Anthropic ITPM; Gemini's TPM counts input only). */
  itpm?: number;
  /** Output tokens per minute (Anthropic OTPM, estimated from max_tokens at admission as Anthropic does). */
  otpm?: number;
}

interface Bucket {
  level: number;
  capacity: number;
  perMs: number;
  at: number;
}

type BucketName = 'requests' | 'tokens' | 'input' | 'output';

export interface Admission {
  ok: boolean;
  /** Seconds until the request would fit (when refused). */
  retryAfterS: number;
  /** Which limit refused it: "requests" or "tokens" (OpenAI's error.type), "input" or "output" (Anthropic). */
  limitedBy?: BucketName;
  remainingRequests?: number;
  remainingTokens?: number;
  remainingInput?: number;
  remainingOutput?: number;
  resetRequestsS?: number;
  resetTokensS?: number;
  resetInputS?: number;
  resetOutputS?: number;
}

function refill(b: Bucket, now: number): void {
  b.level = Math.min(b.capacity, b.level + (now - b.at) * b.perMs);
  b.at = now;
}

function bucket(capacity: number, now: number): Bucket {
  return { level: capacity, capacity, perMs: capacity / 60_000, at: now };
}

/** What one request takes: its token estimate (input + max output), and input and output apart. */
export interface Demand {
  tokens: number;
  input?: number;
  output?: number;
}

const reset = (b: Bucket | undefined) => (b ? (b.capacity - b.level) / b.perMs / 1000 : undefined);
const left = (b: Bucket | undefined) => (b ? Math.max(0, Math.floor(b.level)) : undefined);

/** What the buckets say after a request (or a refusal): what is left, and when each is full again. */
function status(ok: boolean, retryAfterS: number, limitedBy: BucketName | undefined, s: Array<Bucket | undefined>): Admission {
  const a: Admission = {
    ok,
    retryAfterS,
    remainingRequests: left(s[0]),
    remainingTokens: left(s[1]),
    remainingInput: left(s[2]),
    remainingOutput: left(s[3]),
    resetRequestsS: reset(s[0]),
    resetTokensS: reset(s[1]),
    resetInputS: reset(s[2]),
    resetOutputS: reset(s[3]),
  };
  if (limitedBy !== undefined) a.limitedBy = limitedBy;
  return a;
}

const BUCKET_NAMES: readonly BucketName[] = ['requests', 'tokens', 'input', 'output'];

export class RateLimiter {
  /** Per model: its requests, tokens, input and output buckets (undefined where the config has no limit). */
  private readonly buckets = new Map<string, Array<Bucket | undefined>>();

  constructor(readonly config: RateLimitConfig) {}

  /** The model's four buckets, refilled to `now` (made on first use: this runs on every request). */
  private slots(model: string, now: number): Array<Bucket | undefined> {
    let s = this.buckets.get(model);
    if (!s) {
      const { rpm, tpm, itpm, otpm } = this.config;
      s = [rpm, tpm, itpm, otpm].map((c) => (c === undefined ? undefined : bucket(c, now)));
      this.buckets.set(model, s);
    }
    for (const b of s) if (b) refill(b, now);
    return s;
  }

  /**
   * Takes one request and its tokens from the model's buckets, or refuses and says when to retry.
   * `demand` is a number (tokens against TPM) or input and output apart (ITPM, OTPM).
   */
  admit(model: string, demand: number | Demand, now: number, opts: { enforce: boolean } = { enforce: true }): Admission {
    const tokens = typeof demand === 'number' ? demand : demand.tokens;
    const input = typeof demand === 'number' ? demand : (demand.input ?? demand.tokens);
    const output = typeof demand === 'number' ? 0 : (demand.output ?? 0);
    const s = this.slots(model, now);
    const wants = [1, tokens, input, output];
    let wait = 0;
    let limitedBy: BucketName | undefined;
    for (let k = 0; k < 4; k++) {
      const b = s[k];
      if (!b) continue;
      // A request larger than the whole bucket can never fit; it is refused with the wait for a full bucket.
      const need = Math.min(wants[k]!, b.capacity);
      const w = b.level < need ? (need - b.level) / b.perMs : 0;
      if (w > wait) {
        wait = w;
        limitedBy = BUCKET_NAMES[k];
      }
    }
    if (wait > 0) {
      // Not enforced (headers only): the request goes through but takes nothing from an empty bucket.
      if (!opts.enforce) {
        for (let k = 0; k < 4; k++) {
          const b = s[k];
          if (b) b.level = Math.max(0, b.level - Math.min(wants[k]!, b.capacity));
        }
        return status(true, 0, undefined, s);
      }
      return status(false, wait / 1000, limitedBy, s);
    }
    for (let k = 0; k < 4; k++) {
      const b = s[k];
      if (b) b.level -= Math.min(wants[k]!, b.capacity);
    }
    return status(true, 0, undefined, s);
  }
}

/** OpenAI's reset duration format: "1s", "6m0s", "644ms". */
export function openaiDuration(seconds: number): string {
  if (seconds < 1) return `${Math.max(0, Math.ceil(seconds * 1000))}ms`;
  if (seconds < 60) return `${Math.round(seconds * 1000) / 1000}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${Math.round(seconds - m * 60)}s`;
}
