// The HTTP layer: one undici Pool per target (keep-alive connections; no global fetch — measured at 0.13× a
// Pool's request rate against a local server), driven through Pool.dispatch with a small handler instead of
// pool.request(): no stream or AbortController per request (measured ~3× the request rate against the
// simulator), and every chunk stamped on the monotonic clock the moment undici hands it over.
import { Pool } from 'undici';
import type { HeaderBag } from './failure.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, e.g. "/chat/completions"; an absolute URL on the same origin is accepted. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Aborting it cuts the request (its reason is the error). */
  signal?: AbortSignal | undefined;
  /** Cut the request (headers and body) after this long, with `deadlineError()` as the error. */
  deadlineMs?: number;
  deadlineError?: () => Error;
}

export interface HttpResponse {
  status: number;
  headers: HeaderBag;
  body: ResponseBody;
  /** performance.now() when the request was handed to the pool and when its headers arrived. */
  sentAt: number;
  headersAt: number;
  /** Cut the response now (an idle stream); the body's reader gets `reason`. */
  abort(reason: Error): void;
}

export interface HttpOptions {
  /** Maximum open connections to the target (≥ the benchmark's concurrency). */
  connections: number;
  /** Headers sent with every request (auth, versions). Never logged. */
  headers?: Record<string, string>;
}

/** A response body fed by undici's callbacks: read whole (text) or chunk by chunk (async iteration). */
export class ResponseBody implements AsyncIterable<Uint8Array> {
  private readonly chunks: Buffer[] = [];
  private readonly arrivals: number[] = [];
  private ended = false;
  /** Arrival time (performance.now) of the chunk the reader was handed last. */
  lastChunkAt = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  /** Called with each chunk's arrival time (before the reader sees it). */
  onChunk: ((at: number) => void) | undefined;

  push(chunk: Buffer): void {
    const at = performance.now();
    this.onChunk?.(at);
    this.chunks.push(chunk);
    this.arrivals.push(at);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  fail(err: Error): void {
    this.failure = err;
    this.notify();
  }

  /**
   * The reader resumes in the check phase (setImmediate), not in a microtask: every response that arrived in
   * the same poll phase is parsed and time-stamped first, before any reader's work (figures, the next send)
   * runs. Otherwise, under a burst of N responses, the k-th stamp would include k readers' work.
   */
  private notify(): void {
    const w = this.wake;
    if (!w) return;
    this.wake = undefined;
    setImmediate(w);
  }

  private waitForMore(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  async text(): Promise<string> {
    while (!this.ended && !this.failure) await this.waitForMore();
    if (this.failure) throw this.failure;
    return this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
  }

  /** Read to the end and drop it (keeps the connection reusable). */
  async dump(): Promise<void> {
    await this.text().catch(() => undefined);
    this.chunks.length = 0;
    this.arrivals.length = 0;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.chunks.length > 0) {
        this.lastChunkAt = this.arrivals.shift()!;
        yield this.chunks.shift()!;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return;
      await this.waitForMore();
    }
  }
}

/**
 * In-flight requests per caller signal: one abort listener per signal, not one per request, and the requests
 * chained through their own `prev`/`next` fields. Not a Set: a long-lived Set holding every in-flight request
 * made V8 promote each request's whole object graph to the old generation (measured: ~2.5 MB promoted per
 * scavenge at 256 in flight, scavenges 5–9 ms instead of 1–2 ms) — pauses that land on the TTFB stamps.
 */
class InflightChain {
  first: Exchange | undefined = undefined;

  add(e: Exchange): void {
    e.next = this.first;
    if (this.first) this.first.prev = e;
    this.first = e;
  }

  remove(e: Exchange): void {
    if (e.prev) e.prev.next = e.next;
    else if (this.first === e) this.first = e.next;
    if (e.next) e.next.prev = e.prev;
    e.prev = e.next = undefined;
  }

  abortAll(reason: Error): void {
    const all: Exchange[] = [];
    for (let e = this.first; e; e = e.next) all.push(e);
    for (const e of all) e.abort(reason);
  }
}

const inflightBySignal = new WeakMap<AbortSignal, InflightChain>();
function inflightOf(signal: AbortSignal): InflightChain {
  let chain = inflightBySignal.get(signal);
  if (!chain) {
    const requests = new InflightChain();
    chain = requests;
    inflightBySignal.set(signal, requests);
    signal.addEventListener(
      'abort',
      () => requests.abortAll(signal.reason instanceof Error ? signal.reason : new Error('aborted')),
      { once: true },
    );
  }
  return chain;
}

function onDeadline(exchange: Exchange): void {
  exchange.deadlinePassed();
}

function headerBag(raw: Buffer[] | string[] | null): HeaderBag {
  const bag: HeaderBag = {};
  if (!raw) return bag;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!.toString().toLowerCase();
    const value = raw[i + 1]!.toString();
    const prev = bag[key];
    bag[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return bag;
}

/**
 * One request in flight: undici's dispatch handler (the legacy callbacks undici calls natively), its deadline
 * and abort, and — once headers arrive — the response itself. One object per request keeps the hot path lean.
 */
class Exchange implements HttpResponse {
  status = 0;
  readonly body = new ResponseBody();
  readonly sentAt = performance.now();
  headersAt = 0;
  private raw: Buffer[] | string[] | null = null;
  private decoded: HeaderBag | undefined;
  private abortFn: ((reason: Error) => void) | undefined;
  private pendingAbort: Error | undefined;
  private settled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inflight: InflightChain | undefined;
  /** Neighbours in the signal's in-flight chain. */
  prev: Exchange | undefined = undefined;
  next: Exchange | undefined = undefined;

  constructor(
    private readonly req: HttpRequest,
    private readonly resolve: (res: HttpResponse) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    this.inflight = req.signal ? inflightOf(req.signal) : undefined;
    this.inflight?.add(this);
    // A shared callback with the exchange as its argument: no closure per request (they live as long as it).
    if (req.deadlineMs !== undefined) this.timer = setTimeout(onDeadline, req.deadlineMs, this);
  }

  abort(reason: Error): void {
    if (this.abortFn) this.abortFn(reason);
    else this.pendingAbort = reason;
  }

  deadlinePassed(): void {
    this.abort(this.req.deadlineError?.() ?? new Error('deadline'));
  }

  /** An error's headers are decoded when they arrive (retry-after); a success's only when read. */
  get headers(): HeaderBag {
    return (this.decoded ??= headerBag(this.raw));
  }

  private cleanup(): void {
    if (this.timer) clearTimeout(this.timer);
    this.inflight?.remove(this);
  }

  onConnect(fn: (reason: Error) => void): void {
    this.abortFn = fn;
    if (this.pendingAbort) fn(this.pendingAbort);
  }

  onHeaders(status: number, raw: Buffer[] | string[] | null): boolean {
    if (status < 200) return true; // 1xx: wait for the final response
    this.headersAt = performance.now();
    this.status = status;
    this.raw = raw;
    if (status >= 300) this.decoded = headerBag(raw);
    this.settled = true;
    this.resolve(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.body.push(chunk);
    return true;
  }

  onComplete(): void {
    this.cleanup();
    this.raw = this.decoded ? null : this.raw;
    this.body.end();
  }

  onError(err: Error): void {
    this.cleanup();
    if (this.settled) this.body.fail(err);
    else this.reject(err);
  }
}

export class Http {
  private readonly pool: Pool;
  private readonly prefix: string;
  readonly origin: string;

  constructor(
    baseUrl: string,
    private readonly options: HttpOptions,
  ) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(this.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  private readonly merged = new WeakMap<Record<string, string>, Record<string, string>>();
  private static readonly NONE: Record<string, string> = {};

  /** The pool's headers with the request's; the merge is cached per request-headers object (hot path). */
  private headersFor(extra: Record<string, string> | undefined): Record<string, string> {
    const base = this.options.headers;
    if (!base) return extra ?? Http.NONE;
    const key = extra ?? Http.NONE;
    let m = this.merged.get(key);
    if (!m) {
      m = { ...base, ...key };
      this.merged.set(key, m);
    }
    return m;
  }

  /** Full path for a path below the base URL; an absolute URL on the same origin (Anthropic results_url) is kept. */
  resolvePath(path: string): string {
    if (/^https?:\/\//.test(path)) {
      const u = new URL(path);
      return `${u.pathname}${u.search}`;
    }
    return `${this.prefix}${path}`;
  }

  send(req: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      if (req.signal?.aborted) return reject(req.signal.reason);
      const exchange = new Exchange(req, resolve, reject);
      this.pool.dispatch(
        {
          origin: this.origin,
          method: req.method,
          path: this.resolvePath(req.path),
          headers: this.headersFor(req.headers),
          body: req.body ?? null,
          // Our own deadline and idle watchdog apply; undici's defaults (300 s) must not cut a long download.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        exchange as never,
      );
    });
  }

  /** Send and read the whole body as text (JSON APIs, batch files). */
  async sendText(req: HttpRequest): Promise<{ status: number; headers: HeaderBag; text: string; sentAt: number; headersAt: number }> {
    const res = await this.send(req);
    const text = await res.body.text();
    return { status: res.status, headers: res.headers, text, sentAt: res.sentAt, headersAt: res.headersAt };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * The same pool, with a signal and a deadline for every request that brings none of its own: the calls
   * outside the measured hot path (the start-up probe, batch upload, create, poll, download and cancel) can
   * neither hang on a server that stops answering nor outlive Ctrl-C.
   */
  bounded(signal: AbortSignal | undefined, deadlineMs: number, deadlineError: () => Error): Http {
    const view = Object.create(this) as Http;
    view.send = (req) => this.send({ ...req, signal: req.signal ?? signal, deadlineMs: req.deadlineMs ?? deadlineMs, deadlineError: req.deadlineError ?? deadlineError });
    return view;
  }

  /** Close now, cutting in-flight requests (after Ctrl-C's grace period). */
  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}

/** Parse a JSON body, or undefined when it is not JSON (an HTML error page from a proxy). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
