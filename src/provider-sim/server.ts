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
  const server: Server = createServer({ keepAliveTimeout: 5000 }, (req, res) => void handle(state, req, res));
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
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
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
