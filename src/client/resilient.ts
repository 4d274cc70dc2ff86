// The resilient client: one call = attempts under a retry policy (backoff with full jitter, retry-after
// honoured), a circuit breaker per model, a deadline from the expected output length, an idle timeout
// between stream chunks, a fallback model, and partial stream results kept and marked. Usable beyond bench.
import { CircuitBreaker, type BreakerPolicy } from './breaker.js';
import { AttemptError, classifyHttp, classifyThrown, connectionDetail, httpDetail, neverReachedServer, type Failure, type FailureClass } from './failure.js';
import { parseJson, type Http, type HttpResponse } from './http.js';
import type { ChatRequest, ChatResult, ProviderAdapter, StreamAccumulator, Usage } from './providers/types.js';
import { retryDelayMs, sleep, type RetryPolicy } from './retry.js';
import { sseEvents } from './sse.js';

export type CallKind = 'direct' | 'streaming';

export interface TimeoutPolicy {
  /** Whole-attempt deadline for this request (from its expected output length). */
  requestMs(req: ChatRequest): number;
  /** Longest silence allowed between two stream chunks. */
  idleMs: number;
}

/** A spend gate: reserves the worst-case cost before an attempt is sent, settles it with the real usage. */
export interface SpendGate {
  /** undefined: sending this attempt could pass the cap — do not send. */
  reserve(req: ChatRequest, kind: CallKind): SpendTicket | undefined;
}
export interface SpendTicket {
  settle(end: AttemptEnd): void;
}
/**
 * How an attempt ended, for the spend gate: `answered` (with the usage the server reported, if any, and the
 * answer's text), `refused` (an HTTP error status, or a connection that never reached the server: not billed),
 * or `unknown` (a timeout, a lost connection, a cut stream, Ctrl-C: the server may bill the whole attempt).
 */
export interface AttemptEnd {
  fate: 'answered' | 'refused' | 'unknown';
  usage?: Usage;
  text?: string;
}

export interface AttemptRecord {
  model: string;
  /** Sent on the wire (false when the breaker or the spend gate held it back). */
  sent: boolean;
  ok: boolean;
  class?: FailureClass;
  status?: number;
  /** Monotonic ms since the call started. */
  startMs: number;
  durationMs: number;
  ttfbMs?: number;
  /** Stream content received before the failure (partial result). */
  partialEvents?: number;
  /** Wait before the next attempt. */
  backoffMs?: number;
}

export interface CallOutcome {
  customId: string;
  kind: CallKind;
  ok: boolean;
  /** The call was never sent: the spend cap would have been passed. */
  skipped?: 'spend_cap';
  /** The model that produced the answer (or the last one tried). */
  model: string;
  fellBack: boolean;
  attempts: AttemptRecord[];
  /** Attempts sent after the first. */
  retries: number;
  failure?: Failure;
  result?: ChatResult;
  /** Content a broken stream delivered before it broke (kept, and marked partial). */
  partial?: { text: string; contentEvents: number };
  /** performance.now() at the start of the call. */
  startedAt: number;
  /** Time to response headers of the final attempt, from the start of the call (retries included). */
  ttfbMs?: number;
  /** Time to the first content token of the final attempt, from the start of the call. */
  ttftMs?: number;
  /** End to end, retries and backoff included: what the caller waited. */
  latencyMs: number;
  /**
   * Gaps between content events of the final (successful) stream, from their arrival times; events that arrived
   * together in one read share the time since the previous read evenly (see StreamTiming).
   */
  itlMs: number[];
  /** Content events that arrived coalesced with others in one read (their gaps were split evenly). */
  coalescedTokens?: number;
  /** Time from the first visible reasoning token to the first content token (reasoning models that stream it). */
  reasoningMs?: number;
  /** The stream ended after its finish_reason / stop_reason without the protocol's terminal event ([DONE]). */
  noTerminalEvent?: boolean;
  usage?: Usage;
  /** The server asked to wait this long (retry-after), beyond the caller's horizon: the call gave up. */
  retryAfterBeyondMs?: number;
}

export interface ResilientClientOptions {
  adapter: ProviderAdapter;
  http: Http;
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  timeouts: TimeoutPolicy;
  fallbackModel?: string;
  /** Uniform [0,1): seeded in tests and benchmarks. */
  random: () => number;
  /** The monotonic clock (performance.now); injected for the breaker's cool-down. */
  clock?: () => number;
  spend?: SpendGate;
  /**
   * The longest server-requested wait (retry-after) this caller will sit through now: a call asked to wait
   * longer gives up at once (outcome.retryAfterBeyondMs) instead of waiting a capped wait and retrying into the
   * same refusal. Unset: the retry policy's cap applies and the call waits.
   */
  retryAfterHorizonMs?: () => number;
  /** Extra headers for chat requests (e.g. the simulator's fault header). */
  headers?: (req: ChatRequest, kind: CallKind) => Record<string, string> | undefined;
  /** Called once per finished call (the JSONL request log). */
  onCall?: (outcome: CallOutcome, req: ChatRequest) => void;
  /** Usage counted by aip (marked `estimated`) for an answer that carried none: the spend cap still holds. */
  estimateUsage?: (req: ChatRequest, text: string) => Usage;
}

interface AttemptSuccess {
  result: ChatResult;
  sentAt: number;
  headersAt: number;
  endAt: number;
  firstContentAt: number | undefined;
  firstReasoningAt: number | undefined;
  itlMs: number[];
  coalesced: number;
  noTerminalEvent: boolean;
}

class Interrupted extends Error {}

const BODY_CACHE_LIMIT = 256;

const JSON_HEADERS: Record<string, string> = Object.freeze({ 'content-type': 'application/json' }) as Record<string, string>;

export class ResilientClient {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly clock: () => number;

  constructor(readonly options: ResilientClientOptions) {
    this.clock = options.clock ?? (() => performance.now());
  }

  /** One shared headers object unless a hook adds some (the HTTP layer caches its merge with the auth headers). */
  private requestHeaders(req: ChatRequest, kind: CallKind): Record<string, string> {
    const extra = this.options.headers?.(req, kind);
    return extra ? { ...JSON_HEADERS, ...extra } : JSON_HEADERS;
  }

  /**
   * The request body as JSON, remembered per prompt for its last (system, model, output cap): a benchmark sends
   * the same few prompts thousands of times, and serialising a long prompt on every send is client time that
   * would show up in the figures. Bounded: at most BODY_CACHE_LIMIT prompts are remembered.
   */
  private readonly bodies = new Map<string, { system: string | undefined; model: string; maxTokens: number; plain?: string; stream?: string }>();

  private bodyOf(req: ChatRequest, kind: CallKind): string {
    let entry = this.bodies.get(req.prompt);
    if (!entry || entry.system !== req.system || entry.model !== req.model || entry.maxTokens !== req.maxTokens) {
      entry = { system: req.system, model: req.model, maxTokens: req.maxTokens };
      if (this.bodies.size < BODY_CACHE_LIMIT || this.bodies.has(req.prompt)) this.bodies.set(req.prompt, entry);
    }
    if (kind === 'streaming') return (entry.stream ??= JSON.stringify(this.options.adapter.chatBody(req, true)));
    return (entry.plain ??= JSON.stringify(this.options.adapter.chatBody(req, false)));
  }

  breakerFor(model: string): CircuitBreaker {
    let b = this.breakers.get(model);
    if (!b) {
      b = new CircuitBreaker(this.options.breaker, this.clock);
      this.breakers.set(model, b);
    }
    return b;
  }

  async call(kind: CallKind, req: ChatRequest, signal?: AbortSignal): Promise<CallOutcome> {
    const o = this.options;
    const startedAt = this.clock();
    const attempts: AttemptRecord[] = [];
    let model = req.model;
    let fellBack = false;
    let retry = 0;
    let failure: Failure | undefined;
    let partial: CallOutcome['partial'];
    const finish = (extra: Partial<CallOutcome>): CallOutcome => {
      const sent = attempts.filter((a) => a.sent).length;
      const outcome: CallOutcome = {
        customId: req.customId,
        kind,
        ok: false,
        model,
        fellBack,
        attempts,
        retries: Math.max(0, sent - 1),
        startedAt,
        latencyMs: this.clock() - startedAt,
        itlMs: [],
        ...(failure ? { failure } : {}),
        ...(partial ? { partial } : {}),
        ...extra,
      };
      o.onCall?.(outcome, req);
      return outcome;
    };
    const switchToFallback = (): boolean => {
      if (!o.fallbackModel || fellBack || o.fallbackModel === req.model) return false;
      model = o.fallbackModel;
      fellBack = true;
      retry = 0;
      return true;
    };

    for (;;) {
      if (signal?.aborted) return finish({ failure: interruptedFailure() });
      const breaker = this.breakerFor(model);
      const startMs = this.clock() - startedAt;
      if (!breaker.tryPass()) {
        // Fail fast instead of queueing behind a provider that is down; the fallback model has its own circuit.
        attempts.push({ model, sent: false, ok: false, class: 'breaker_open', startMs, durationMs: 0 });
        failure = { class: 'breaker_open', retryable: false, providerFault: false, message: `circuit open for ${model}` };
        if (switchToFallback()) continue;
        return finish({});
      }
      const attemptReq = model === req.model ? req : { ...req, model };
      const ticket = o.spend?.reserve(attemptReq, kind);
      if (o.spend && !ticket) {
        breaker.onAbandoned();
        if (attempts.length === 0) return finish({ skipped: 'spend_cap' });
        return finish({});
      }
      try {
        const r = await this.attempt(kind, attemptReq, signal);
        breaker.onSuccess();
        // An answer without usage: aip counts it (marked estimated), so cost and the spend cap still hold.
        if (!r.result.usage && o.estimateUsage) r.result.usage = o.estimateUsage(attemptReq, r.result.text);
        ticket?.settle(r.result.usage ? { fate: 'answered', usage: r.result.usage, text: r.result.text } : { fate: 'answered', text: r.result.text });
        attempts.push({ model, sent: true, ok: true, startMs, durationMs: r.endAt - startedAt - startMs, ttfbMs: r.headersAt - r.sentAt });
        // Built directly, without spreads: this is the path every successful request takes.
        const outcome: CallOutcome = {
          customId: req.customId,
          kind,
          ok: true,
          model,
          fellBack,
          attempts,
          retries: attempts.length > 1 ? attempts.filter((a) => a.sent).length - 1 : 0,
          startedAt,
          result: r.result,
          ttfbMs: r.headersAt - startedAt,
          latencyMs: r.endAt - startedAt,
          itlMs: r.itlMs,
        };
        if (r.result.usage) outcome.usage = r.result.usage;
        if (r.firstContentAt !== undefined) outcome.ttftMs = r.firstContentAt - startedAt;
        if (r.firstReasoningAt !== undefined) outcome.reasoningMs = (r.firstContentAt ?? r.endAt) - r.firstReasoningAt;
        if (r.coalesced > 0) outcome.coalescedTokens = r.coalesced;
        if (r.noTerminalEvent) outcome.noTerminalEvent = true;
        o.onCall?.(outcome, req);
        return outcome;
      } catch (err) {
        const interrupted = err instanceof Interrupted || signal?.aborted === true;
        let f = interrupted ? interruptedFailure() : classifyThrown(err);
        if (!(err instanceof AttemptError) && !interrupted && f.detail === undefined) f = { ...f, detail: connectionDetail(f.message, o.http.origin) };
        const acc = (err as { acc?: StreamAccumulator }).acc;
        if (ticket) {
          const fate = (err as { refused?: boolean }).refused === true || neverReachedServer(err) ? 'refused' : 'unknown';
          ticket.settle(acc?.usage ? { fate, usage: acc.usage } : { fate });
        }
        if (interrupted) breaker.onAbandoned();
        else breaker.onFailure(f.providerFault);
        const record: AttemptRecord = { model, sent: true, ok: false, class: f.class, startMs, durationMs: this.clock() - startedAt - startMs };
        if (f.status !== undefined) record.status = f.status;
        const ttfb = (err as { ttfbMs?: number }).ttfbMs;
        if (ttfb !== undefined) record.ttfbMs = ttfb;
        if (acc && acc.contentEvents > 0) {
          record.partialEvents = acc.contentEvents;
          if (!partial || acc.contentEvents > partial.contentEvents) partial = { text: acc.text, contentEvents: acc.contentEvents };
        }
        attempts.push(record);
        failure = f;
        if (interrupted) return finish({});
        if (!f.retryable) return finish({});
        if (f.retryAfterMs !== undefined && o.retryAfterHorizonMs && f.retryAfterMs > o.retryAfterHorizonMs()) {
          return finish({ retryAfterBeyondMs: f.retryAfterMs });
        }
        if (retry >= o.retry.maxRetries) {
          if (f.providerFault && switchToFallback()) continue;
          return finish({});
        }
        const wait = retryDelayMs(o.retry, retry, o.random, f.retryAfterMs, f.class === '529');
        record.backoffMs = wait;
        retry += 1;
        try {
          await sleep(wait, signal);
        } catch {
          return finish({ failure: interruptedFailure() });
        }
      }
    }
  }

  /** One request on the wire. Throws AttemptError (classified) or a transport error; carries stream progress. */
  private async attempt(kind: CallKind, req: ChatRequest, outer?: AbortSignal): Promise<AttemptSuccess> {
    const o = this.options;
    const acc: StreamAccumulator = { text: '', contentEvents: 0 };
    let ttfbMs: number | undefined;
    let idleHit = false;
    let idleTimer: NodeJS.Timeout | undefined;
    try {
      const res = await o.http.send({
        method: 'POST',
        path: o.adapter.pathFor ? o.adapter.pathFor(req, kind === 'streaming') : o.adapter.chatPath,
        headers: this.requestHeaders(req, kind),
        body: this.bodyOf(req, kind),
        signal: outer,
        deadlineMs: o.timeouts.requestMs(req),
        deadlineError: timeoutError,
      });
      ttfbMs = res.headersAt - res.sentAt;
      if (res.status >= 400) {
        const text = await res.body.text();
        // The server answered with an error status: it did no billable work.
        throw Object.assign(new AttemptError({ ...classifyHttp(res.status, res.headers, parseJson(text), Date.now()), detail: httpDetail(res.status, text) }), { refused: true });
      }
      if (kind === 'direct') {
        const text = await res.body.text();
        const body = parseJson(text);
        if (body === undefined) throw new AttemptError({ class: 'malformed', retryable: true, providerFault: true, status: res.status, message: 'response body is not JSON' });
        const result = o.adapter.parseChat(body);
        return { result, sentAt: res.sentAt, headersAt: res.headersAt, endAt: this.clock(), firstContentAt: undefined, firstReasoningAt: undefined, itlMs: [], coalesced: 0, noTerminalEvent: false };
      }
      // Idle watchdog: one timer per idle window, re-armed for the remainder when data came meanwhile.
      let lastDataAt = performance.now();
      res.body.onChunk = (at) => (lastDataAt = at);
      const watch = () => {
        const quiet = performance.now() - lastDataAt;
        if (quiet >= o.timeouts.idleMs) {
          idleHit = true;
          res.abort(new AttemptError(IDLE_FAILURE));
        } else idleTimer = setTimeout(watch, o.timeouts.idleMs - quiet);
      };
      idleTimer = setTimeout(watch, o.timeouts.idleMs);
      const timing = new StreamTiming();
      let done = false;
      let finished = false;
      let lastEventAt = res.headersAt;
      let endAt: number | undefined;
      try {
        for await (const ev of sseEvents(res.body, () => res.body.lastChunkAt)) {
          lastEventAt = ev.at;
          const step = o.adapter.streamEvent(ev, acc);
          if (step.reasoning) timing.reasoning(ev.at);
          if (step.content) {
            timing.content(ev.at);
            acc.text += step.content;
            acc.contentEvents += 1;
          }
          if (step.finished) finished = true;
          if (step.done) {
            // End to end ends here, at the terminal event, not when the server closes the response.
            done = true;
            endAt = ev.at;
            break;
          }
        }
      } catch (err) {
        // A broken event or an error event: stop reading, and free the connection rather than wait out the stream.
        if (err instanceof AttemptError && !idleHit) res.abort(err);
        // The connection broke after the 200: a stream cut mid-answer, not a failed connect — unless the answer
        // was already finished (finish_reason seen): then only the terminal event is missing, which the SDKs accept.
        if (!(err instanceof AttemptError) && !idleHit && !outer?.aborted) {
          if (!finished) throw new AttemptError({ class: 'stream_drop', retryable: true, providerFault: true, message: `the stream broke before its end (${(err as Error).message})` });
        } else throw err;
      }
      if (done) await releaseAfterEnd(res, Math.min(o.timeouts.idleMs, END_GRACE_MS));
      else if (!finished) throw new AttemptError({ class: 'stream_drop', retryable: true, providerFault: true, message: 'the stream ended before its end event' });
      const result: ChatResult = { text: acc.text, ...(acc.usage ? { usage: acc.usage } : {}), ...(acc.finishReason ? { finishReason: acc.finishReason } : {}) };
      const t = timing.finish();
      return {
        result,
        sentAt: res.sentAt,
        headersAt: res.headersAt,
        endAt: endAt ?? lastEventAt,
        firstContentAt: t.firstContentAt,
        firstReasoningAt: t.firstReasoningAt,
        itlMs: t.itlMs,
        coalesced: t.coalesced,
        noTerminalEvent: !done,
      };

    } catch (err) {
      let thrown: unknown = err;
      const deadlineHit = err instanceof AttemptError && err.failure === TIMEOUT_FAILURE;
      if (idleHit) thrown = new AttemptError(IDLE_FAILURE);
      else if (!deadlineHit && outer?.aborted) thrown = new Interrupted('interrupted');
      if (thrown && typeof thrown === 'object') Object.assign(thrown, { acc, ttfbMs });
      throw thrown;
    } finally {
      clearTimeout(idleTimer);
    }
  }
}

const TIMEOUT_FAILURE: Failure = { class: 'timeout', retryable: true, providerFault: true, message: 'no complete answer within the request timeout' };
const timeoutError = (): Error => new AttemptError(TIMEOUT_FAILURE);
const IDLE_FAILURE: Failure = { class: 'idle_timeout', retryable: true, providerFault: true, message: 'the stream fell silent for longer than the idle timeout' };

function interruptedFailure(): Failure {
  return { class: 'interrupted', retryable: false, providerFault: false, message: 'interrupted' };
}

/**
 * Token timing of one stream from the arrival times of its events. Events that arrive in one read share its
 * arrival time; their gaps are the time since the previous read split evenly among them (the first read's extra
 * tokens are carried into the next read's share), so the gaps add up to last token − first token and a server
 * that writes several tokens at once does not read as ITL 0 followed by one long gap.
 */
export class StreamTiming {
  firstContentAt: number | undefined;
  firstReasoningAt: number | undefined;
  private readonly itlMs: number[] = [];
  private groupAt = Number.NaN;
  private groupN = 0;
  private prevAt: number | undefined;
  private carry = 0;
  private coalesced = 0;

  reasoning(at: number): void {
    if (this.firstReasoningAt === undefined) this.firstReasoningAt = at;
  }

  content(at: number): void {
    if (this.firstContentAt === undefined) this.firstContentAt = at;
    if (at === this.groupAt) {
      this.groupN += 1;
      return;
    }
    this.flush();
    this.groupAt = at;
    this.groupN = 1;
  }

  private flush(): void {
    const n = this.groupN;
    if (n === 0) return;
    if (n > 1) this.coalesced += n;
    if (this.prevAt === undefined) this.carry += n - 1;
    else {
      const gaps = n + this.carry;
      const gap = (this.groupAt - this.prevAt) / gaps;
      for (let i = 0; i < gaps; i++) this.itlMs.push(gap);
      this.carry = 0;
    }
    this.prevAt = this.groupAt;
    this.groupN = 0;
  }

  finish(): { firstContentAt: number | undefined; firstReasoningAt: number | undefined; itlMs: number[]; coalesced: number } {
    this.flush();
    return { firstContentAt: this.firstContentAt, firstReasoningAt: this.firstReasoningAt, itlMs: this.itlMs, coalesced: this.coalesced };
  }
}

/**
 * After the terminal event a server ends the response at once (the rest is a chunked terminator); one that holds
 * it open longer has its connection cut, so the caller's next request is not queued behind it.
 */
const END_GRACE_MS = 250;

/**
 * After the terminal event the answer is complete (its timing is taken); what is left of the response is read
 * and dropped before the call returns, so the connection is back in the pool for the caller's next request
 * (else that request would wait for it, and the wait would land in its TTFB) — or cut after `maxMs`.
 */
async function releaseAfterEnd(res: HttpResponse, maxMs: number): Promise<void> {
  const timer = setTimeout(() => res.abort(new Error('the stream stayed open after its end')), maxMs);
  try {
    await res.body.dump();
  } finally {
    clearTimeout(timer);
  }
}
