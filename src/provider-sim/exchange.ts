// One request and its response: body reading with a size bound, JSON parsing, replies in the provider's format.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULT_HEADER, forcedFaults, rollFault, type FaultKind, type FaultRates } from './faults.js';
import { ApiError, errorBody, errors, type Surface } from './provider-errors.js';
import { slabText } from './slab.js';
import type { Random } from '../core/random.js';
import type { SimState } from './state.js';

export class Exchange {
  readonly requestId: string;
  readonly rng: Random;
  /** Faults forced by the request's x-aip-fault header; they replace the configured rates. */
  readonly forced: FaultRates | undefined;
  readonly path: string;
  private readonly search: string;

  constructor(
    readonly state: SimState,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly surface: Surface,
  ) {
    this.requestId = state.id('req_');
    this.rng = state.nextRng();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.search = q < 0 ? '' : url.slice(q + 1);
    try {
      this.forced = forcedFaults(req.headers[FAULT_HEADER]);
    } catch (e) {
      this.forced = undefined;
      this.badFaultHeader = (e as Error).message;
    }
  }

  private arrivedAtMs: number | undefined;

  /** The clock's time for this request, read once (admission, rate-limit headers and timestamps agree). */
  nowMs(): number {
    return (this.arrivedAtMs ??= this.state.nowMs());
  }

  /** The query string's parameters (parsed only by the routes that take any). */
  get query(): URLSearchParams {
    return new URLSearchParams(this.search);
  }

  /** Set when the x-aip-fault header could not be read; the request is answered 400. */
  readonly badFaultHeader: string | undefined;

  /** Rolls the first of `kinds` that strikes this request, and counts it. */
  fault(kinds: readonly FaultKind[]): FaultKind | undefined {
    const kind = rollFault(kinds, this.forced ?? this.state.faults, this.rng);
    if (kind) this.state.countFault(kind);
    return kind;
  }

  /** The rates that apply to this request's batch items (forced or configured). */
  faultRates(): FaultRates {
    return this.forced ?? this.state.faults;
  }

  /** The request body, at most `limit` bytes (413 in the provider's format beyond it). */
  readBody(limit = this.state.maxBodyBytes): Promise<Buffer> {
    const declared = Number(this.req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return Promise.reject(errors.tooLarge(this.surface, limit));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      this.req.on('data', (chunk: Buffer) => {
        if (failed) return;
        size += chunk.length;
        if (size > limit) {
          failed = true;
          chunks.length = 0;
          reject(errors.tooLarge(this.surface, limit));
          return;
        }
        chunks.push(chunk);
      });
      this.req.on('end', () => {
        if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      });
      // A client that goes away mid-body: nothing more will come, so stop waiting for it. (A request stream
      // that fails is destroyed, and closes: no 'error' listener is needed, and Node emits 'error' on a
      // request only to listeners it has.)
      this.req.on('close', () => {
        if (!failed && !this.req.complete) {
          failed = true;
          reject(new Error('the client closed the connection before sending the whole body'));
        }
      });
    });
  }

  /** The body as a JSON object (400 invalid_request_error when it is not one). */
  async readJson(limit?: number): Promise<Record<string, unknown>> {
    return this.parseJson(await this.readBody(limit));
  }

  /** A body read with readBody as a JSON object (400 invalid_request_error when it is not one). */
  parseJson(buf: Buffer): Record<string, unknown> {
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8'));
    } catch {
      throw errors.invalidJson(this.surface);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw errors.wrongType(this.surface, 'body', 'an object', value);
    return value as Record<string, unknown>;
  }

  baseHeaders(contentType: string): Record<string, string> {
    const h: Record<string, string> = { 'content-type': contentType };
    if (this.surface === 'openai') h['x-request-id'] = this.requestId;
    else if (this.surface === 'anthropic') h['request-id'] = this.requestId;
    return h;
  }

  send(status: number, body: string | Buffer, contentType = 'application/json', extra?: Record<string, string>): void {
    const res = this.res;
    if (res.headersSent || res.destroyed) return;
    const headers = this.baseHeaders(contentType);
    if (extra) Object.assign(headers, extra);
    // A text body is written into the slab once (its length comes with it), and goes out beside the headers.
    const bytes = typeof body === 'string' ? slabText(body) : body;
    headers['content-length'] = String(bytes.length);
    this.count(status);
    res.writeHead(status, headers);
    res.end(bytes);
  }

  json(value: unknown, status = 200, extra?: Record<string, string>): void {
    this.send(status, JSON.stringify(value), 'application/json', extra);
  }

  sendError(e: ApiError): void {
    const extra: Record<string, string> = { ...e.headers };
    // A refused oversized body is not read to its end; closing is how servers avoid reading it.
    if (e.status === 413) extra.connection = 'close';
    this.send(e.status, errorBody(this.surface, e, this.requestId), 'application/json', extra);
  }

  /** Opens an SSE response. */
  startStream(extra?: Record<string, string>, contentLength?: number): void {
    const headers = this.baseHeaders('text/event-stream; charset=utf-8');
    headers['cache-control'] = 'no-cache';
    if (extra) Object.assign(headers, extra);
    if (contentLength !== undefined) headers['content-length'] = String(contentLength);
    this.count(200);
    this.res.writeHead(200, headers);
  }

  count(status: number): void {
    const s = this.state.stats.statuses;
    s[status] = (s[status] ?? 0) + 1;
  }

  /** Ends the connection abruptly, after what was written so far has been flushed. */
  drop(partial?: Buffer): void {
    const socket = this.res.socket;
    if (!socket) return;
    if (partial) this.res.write(partial, () => socket.destroy());
    else socket.destroy();
  }

  /** true once the client went away or the server is closing: stop producing. */
  get gone(): boolean {
    return this.res.destroyed || this.res.writableEnded || this.state.closing.signal.aborted;
  }

  /** Waits `ms` (nothing at all for 0: no timer); resolves false when the client left or the server closed. */
  wait(ms: number): Promise<boolean> | boolean {
    if (ms <= 0) return !this.gone;
    return new Promise((resolve) => {
      const signal = this.state.closing.signal;
      const done = (ok: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.res.off('close', onClose);
        resolve(ok);
      };
      const onAbort = () => done(false);
      const onClose = () => done(false);
      const timer = setTimeout(() => done(!this.gone), ms);
      signal.addEventListener('abort', onAbort);
      this.res.on('close', onClose);
    });
  }

  /** Accepts the request and never answers it; ends when the client gives up or the server closes. */
  hang(): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.state.closing.signal;
      const done = () => {
        signal.removeEventListener('abort', done);
        this.res.off('close', done);
        if (!this.res.destroyed) this.res.socket?.destroy();
        resolve();
      };
      if (signal.aborted) return done();
      signal.addEventListener('abort', done);
      this.res.on('close', done);
    });
  }
}

export { ApiError };
