// Which handler answers a request: provider surface by path and headers, then method and path.
import type { IncomingMessage } from 'node:http';
import { handleCreateMessageBatch, handleCancelMessageBatch, handleDeleteMessageBatch, handleGetMessageBatch, handleListMessageBatches, handleMessageBatchResults } from './anthropic-batches.js';
import { handleCountTokens, handleMessages } from './anthropic-messages.js';
import { handleEmbeddings } from './embeddings.js';
import type { Exchange } from './exchange.js';
import { handleDeleteFile, handleFileContent, handleGetFile, handleListFiles, handleUploadFile } from './files.js';
import { handleGetModel, handleListModels } from './models-list.js';
import { handleCancelBatch, handleCreateBatch, handleGetBatch, handleListBatches } from './openai-batches.js';
import { handleChat } from './openai-chat.js';
import { errors, type Surface } from './provider-errors.js';

/** Anthropic's routes live under /v1/messages; shared ones (models, unknown paths) go by Anthropic's headers. */
export function surfaceOf(req: IncomingMessage): Surface {
  const url = req.url ?? '';
  if (url.startsWith('/v1/messages')) return 'anthropic';
  return req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined ? 'anthropic' : 'openai';
}

type Handler = (x: Exchange, id: string) => void | Promise<void>;

const exact = new Map<string, Handler>([
  ['POST /v1/chat/completions', handleChat],
  ['POST /v1/embeddings', handleEmbeddings],
  ['GET /v1/models', handleListModels],
  ['POST /v1/files', handleUploadFile],
  ['GET /v1/files', handleListFiles],
  ['POST /v1/batches', handleCreateBatch],
  ['GET /v1/batches', handleListBatches],
  ['POST /v1/messages', handleMessages],
  ['POST /v1/messages/count_tokens', handleCountTokens],
  ['POST /v1/messages/batches', handleCreateMessageBatch],
  ['GET /v1/messages/batches', handleListMessageBatches],
]);

/** Routes with one id segment: [method, pattern, handler]. */
const withId: Array<[string, RegExp, Handler]> = [
  ['GET', /^\/v1\/models\/([^/]+)$/, handleGetModel],
  ['GET', /^\/v1\/files\/([^/]+)$/, handleGetFile],
  ['DELETE', /^\/v1\/files\/([^/]+)$/, handleDeleteFile],
  ['GET', /^\/v1\/files\/([^/]+)\/content$/, handleFileContent],
  ['GET', /^\/v1\/batches\/([^/]+)$/, handleGetBatch],
  ['POST', /^\/v1\/batches\/([^/]+)\/cancel$/, handleCancelBatch],
  ['GET', /^\/v1\/messages\/batches\/([^/]+)$/, handleGetMessageBatch],
  ['DELETE', /^\/v1\/messages\/batches\/([^/]+)$/, handleDeleteMessageBatch],
  ['POST', /^\/v1\/messages\/batches\/([^/]+)\/cancel$/, handleCancelMessageBatch],
  ['GET', /^\/v1\/messages\/batches\/([^/]+)\/results$/, handleMessageBatchResults],
];

export function route(x: Exchange): void | Promise<void> {
  const method = x.req.method ?? 'GET';
  const handler = exact.get(`${method} ${x.path}`);
  if (handler) return handler(x, '');
  for (const [m, pattern, h] of withId) {
    if (m !== method) continue;
    const match = pattern.exec(x.path);
    if (match) return h(x, match[1]!);
  }
  throw errors.unknownRoute(x.surface, method, x.path);
}
