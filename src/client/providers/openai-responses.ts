// OpenAI's Responses API (POST /v1/responses), plain and as its typed SSE events (response.output_text.delta …
// response.completed), and batches on the /v1/responses endpoint (the same files-and-batches steps as chat).
import { AttemptError, type Failure } from '../failure.js';
import { callJson, num, parseEventData } from './common.js';
import { openAiBatchResults, pollOpenAiBatch, submitOpenAiBatch, type OpenAiOptions } from './openai.js';
import type { ChatResult, ProviderAdapter, StreamAccumulator, StreamStep, Usage } from './types.js';

function usageOf(u: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const o = u as {
    input_tokens?: unknown;
    output_tokens?: unknown;
    input_tokens_details?: { cached_tokens?: unknown } | null;
    output_tokens_details?: { reasoning_tokens?: unknown } | null;
  };
  // input_tokens includes the cached ones; output_tokens includes the reasoning ones (as chat completions).
  const usage: Usage = { inputTokens: num(o.input_tokens), outputTokens: num(o.output_tokens), cachedInputTokens: num(o.input_tokens_details?.cached_tokens) };
  const reasoning = num(o.output_tokens_details?.reasoning_tokens);
  if (reasoning > 0) usage.reasoningTokens = reasoning;
  return usage;
}

interface ResponseObject {
  status?: string;
  output?: Array<{ type?: string; content?: Array<{ type?: string; text?: string }> }>;
  usage?: unknown;
  incomplete_details?: { reason?: string } | null;
  error?: { code?: string; message?: string } | null;
}

function responseResult(body: unknown): ChatResult {
  const r = body as ResponseObject;
  if (!Array.isArray(r.output)) throw new AttemptError({ class: 'malformed', retryable: true, providerFault: true, message: 'response has no output' });
  if (r.incomplete_details?.reason === 'content_filter') throw new AttemptError({ class: 'content_filter', retryable: false, providerFault: false, message: 'output stopped by the content filter' });
  const text = r.output
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? [])
    .filter((c) => c.type === 'output_text')
    .map((c) => c.text ?? '')
    .join('');
  const usage = usageOf(r.usage);
  const finish = r.incomplete_details?.reason ?? r.status;
  return { text, ...(usage ? { usage } : {}), ...(finish ? { finishReason: finish } : {}) };
}

/** response.failed / an error event: its code read as the HTTP status the same failure has outside a stream. */
function streamFailure(error: { code?: string; message?: string; type?: string } | null | undefined): Failure {
  const code = error?.code ?? error?.type ?? '';
  const message = error?.message ?? 'the response failed';
  const status = /rate_limit/.test(code) ? 429 : /server_error|internal/.test(code) ? 500 : /overloaded|unavailable/.test(code) ? 503 : undefined;
  if (status !== undefined) return { class: `${status}`, status, retryable: true, providerFault: true, message };
  return { class: 'stream_error', retryable: true, providerFault: true, message };
}

export function openaiResponsesAdapter(opts: Omit<OpenAiOptions, 'cap'> = {}): ProviderAdapter {
  const adapter: ProviderAdapter = {
    name: 'openai',
    chatPath: '/responses',
    probePath: '/models',

    chatBody(req, stream) {
      return {
        model: req.model,
        input: req.prompt,
        ...(req.system ? { instructions: req.system } : {}),
        max_output_tokens: req.maxTokens,
        // A benchmark's answers need not be kept on the provider's side.
        store: false,
        ...(opts.serviceTier ? { service_tier: opts.serviceTier } : {}),
        ...(stream ? { stream: true } : {}),
      };
    },

    parseChat: responseResult,

    streamEvent(ev, acc: StreamAccumulator): StreamStep {
      const data = parseEventData(ev.data);
      const type = (data.type as string | undefined) ?? ev.event;
      switch (type) {
        case 'response.output_text.delta': {
          const delta = data.delta;
          return typeof delta === 'string' && delta ? { content: delta } : {};
        }
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta': {
          const delta = data.delta;
          return typeof delta === 'string' && delta ? { reasoning: delta } : {};
        }
        case 'response.completed':
        case 'response.incomplete': {
          // The terminal event: it carries the usage.
          const r = data.response as ResponseObject | undefined;
          const usage = usageOf(r?.usage);
          if (usage) acc.usage = usage;
          acc.finishReason = r?.incomplete_details?.reason ?? r?.status ?? (type === 'response.completed' ? 'completed' : 'incomplete');
          if (acc.finishReason === 'content_filter') throw new AttemptError({ class: 'content_filter', retryable: false, providerFault: false, message: 'output stopped by the content filter' });
          return { done: true, finished: true };
        }
        case 'response.failed':
          throw new AttemptError(streamFailure((data.response as ResponseObject | undefined)?.error));
        case 'error':
          throw new AttemptError(streamFailure(data as { code?: string; message?: string }));
        default:
          return {};
      }
    },

    submitBatch: (http, items, signal) => submitOpenAiBatch(http, items, '/v1/responses', (it) => adapter.chatBody(it, false), signal),
    pollBatch: (http, id, signal) => pollOpenAiBatch(http, id, signal),
    batchResults: (http, status, signal) => openAiBatchResults(http, status, responseResult, signal),
    async cancelBatch(http, id) {
      await callJson(http, { method: 'POST', path: `/batches/${encodeURIComponent(id)}/cancel` });
    },
  };
  return adapter;
}
