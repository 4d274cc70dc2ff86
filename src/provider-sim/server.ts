// The HTTP server: node:http, bounded connections, one Exchange per request, errors never escape.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Exchange } from './exchange.js';
import { ApiError, errors } from './provider-errors.js';
import { route, surfaceOf } from './router.js';
import { SimState, type SimStats, type SimulatorOptions } from './state.js';

export interface Simulator {
  /** Base URL, e.g. http://127.0.0.1:43121 (OpenAI SDK: append /v1; Anthropic SDK: as is). */
  url: string;
  host: string;
  port: number;
  /** Stops accepting, ends pending delays and hanging requests, closes every connection. */
  close(): Promise<void>;
  /** Counters since start (a copy). */
  stats(): SimStats;
}

async function handle(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  state.stats.requests++;
  const x = new Exchange(state, req, res, surfaceOf(req));
  try {
    if (x.badFaultHeader) throw errors.invalidValue(x.surface, 'x-aip-fault', x.badFaultHeader);
    await route(x);
  } catch (e) {
    if (e instanceof ApiError) return x.sendError(e);
    // A bug of ours must not take the server down: answer 500 in the provider's format (or cut the stream).
    if (res.headersSent) res.destroy();
    else x.sendError(errors.serverError(x.surface));
  }
}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const state = new SimState(opts);
  // Tokenizers are built before the server listens: the first request must not wait for them.
  await state.warm(opts.warmModels);
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  // A client that opens a connection and sends its headers slowly (or never) is cut after headersTimeout, so
  // slow-header and idle connections cannot hold the maxConnections slots for long; idle keep-alive ends at 5 s.
  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  const server: Server = createServer(
    { keepAliveTimeout: 5000, headersTimeout, requestTimeout: Math.max(headersTimeout, 300_000), connectionsCheckingInterval: Math.max(10, Math.min(1000, headersTimeout / 4)) },
    (req, res) => void handle(state, req, res),
  );
  server.maxConnections = opts.maxConnections ?? 1024;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    state.stats.openConnections++;
    socket.on('close', () => {
      sockets.delete(socket);
      state.stats.openConnections--;
    });
  });
  // A malformed request line or header: answer 400 and close, as Node would, without an unhandled error.
  // Headers not complete within headersTimeout: 408, as Node would.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    // Closed whole once the answer is written: a client that never reads must not keep its slot half-open.
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, () => socket.destroy());
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    stats: () => structuredClone(state.stats),
    close() {
      closed ??= new Promise<void>((resolve) => {
        state.closing.abort();
        server.close(() => resolve());
        // Idle keep-alive sockets and requests held open by the timeout fault would keep close() waiting.
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
