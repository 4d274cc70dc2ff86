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
import { handleDeleteResponse, handleGetResponse, handleResponses, handleResponsesInputTokens } from './openai-responses.js';
import { handleBatchEmbedContents, handleCountTokensGemini, handleEmbedContent, handleGenerateContent, handleGetGeminiModel, handleListGeminiModels } from './gemini.js';
import { handleBatchGenerateContent, handleCancelGeminiBatch, handleDeleteGeminiBatch, handleGetGeminiBatch, handleListGeminiBatches } from './gemini-batches.js';
import { errors, type Surface } from './provider-errors.js';

/**
 * Gemini's routes live under /v1beta (or /v1alpha), and its model methods have a ":method" suffix;
 * Anthropic's under /v1/messages. Shared paths (/v1/models, unknown ones) go by the client's headers:
 * anthropic-version or x-api-key → Anthropic, x-goog-api-key → Gemini, else OpenAI.
 */
export function surfaceOf(req: IncomingMessage): Surface {
  const url = req.url ?? '';
  if (url.startsWith('/v1/messages')) return 'anthropic';
  if (url.startsWith('/v1beta/') || url.startsWith('/v1alpha/') || url.startsWith('/upload/') || (url.startsWith('/v1/models/') && /^\/v1\/models\/[^/?]+:/.test(url))) return 'gemini';
  if (req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined) return 'anthropic';
  if (req.headers['x-goog-api-key'] !== undefined) return 'gemini';
  return 'openai';
}

type Handler = (x: Exchange, id: string) => void | Promise<void>;

/** Routes without an id, by path then method (no "METHOD path" key string to build and hash per request). */
const exact = new Map<string, Partial<Record<string, Handler>>>([
  ['/v1/chat/completions', { POST: handleChat }],
  ['/v1/responses', { POST: handleResponses }],
  ['/v1/responses/input_tokens', { POST: handleResponsesInputTokens }],
  ['/v1/embeddings', { POST: handleEmbeddings }],
  ['/v1/models', { GET: handleListModels }],
  ['/v1/files', { POST: handleUploadFile, GET: handleListFiles }],
  ['/v1/batches', { POST: handleCreateBatch, GET: handleListBatches }],
  ['/v1/messages', { POST: handleMessages }],
  ['/v1/messages/count_tokens', { POST: handleCountTokens }],
  ['/v1/messages/batches', { POST: handleCreateMessageBatch, GET: handleListMessageBatches }],
]);

/** Routes with one id segment: [method, pattern, handler]. */
const withId: Array<[string, RegExp, Handler]> = [
  ['GET', /^\/v1\/models\/([^/]+)$/, handleGetModel],
  ['GET', /^\/v1\/responses\/([^/]+)$/, handleGetResponse],
  ['DELETE', /^\/v1\/responses\/([^/]+)$/, handleDeleteResponse],
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

/** Gemini: /v1beta/models/{model}:{method} and /v1beta/batches/{id}[:cancel]. */
const GEMINI_MODEL_METHOD = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):([A-Za-z]+)$/;
const GEMINI_BATCH = /^\/v1(?:beta|alpha)\/batches\/([^/:]+)(:cancel)?$/;

function routeGemini(x: Exchange, method: string): void | Promise<void> {
  const m = GEMINI_MODEL_METHOD.exec(x.path);
  if (m && method === 'POST') {
    const [, model, action] = m as unknown as [string, string, string];
    if (action === 'generateContent') return handleGenerateContent(x, model, false);
    if (action === 'streamGenerateContent') return handleGenerateContent(x, model, true);
    if (action === 'countTokens') return handleCountTokensGemini(x, model);
    if (action === 'embedContent') return handleEmbedContent(x, model);
    if (action === 'batchEmbedContents') return handleBatchEmbedContents(x, model);
    if (action === 'batchGenerateContent') return handleBatchGenerateContent(x, model);
  }
  const b = GEMINI_BATCH.exec(x.path);
  if (b) {
    if (b[2] && method === 'POST') return handleCancelGeminiBatch(x, b[1]!);
    if (!b[2] && method === 'GET') return handleGetGeminiBatch(x, b[1]!);
    if (!b[2] && method === 'DELETE') return handleDeleteGeminiBatch(x, b[1]!);
  }
  if (method === 'GET' && /^\/v1(beta|alpha)?\/batches$/.test(x.path)) return handleListGeminiBatches(x);
  if (method === 'GET' && /^\/v1(beta|alpha)?\/models$/.test(x.path)) return handleListGeminiModels(x);
  const get = /^\/v1(?:beta|alpha)?\/models\/([^/:]+)$/.exec(x.path);
  if (method === 'GET' && get) return handleGetGeminiModel(x, get[1]!);
  throw errors.unknownRoute(x.surface, method, x.path);
}

export function route(x: Exchange): void | Promise<void> {
  const method = x.req.method ?? 'GET';
  if (x.surface === 'gemini') return routeGemini(x, method);
  const byMethod = exact.get(x.path);
  const handler = byMethod && Object.hasOwn(byMethod, method) ? byMethod[method] : undefined;
  if (handler) return handler(x, '');
  for (const [m, pattern, h] of withId) {
    if (m !== method) continue;
    const match = pattern.exec(x.path);
    if (match) return h(x, match[1]!);
  }
  throw errors.unknownRoute(x.surface, method, x.path);
}
