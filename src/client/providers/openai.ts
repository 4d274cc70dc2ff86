// The OpenAI wire protocol (and any OpenAI-compatible server): chat completions plain and SSE with
// include_usage, and the batch API (upload JSONL → create → poll → output and error files). The batch steps
// are shared with the Responses adapter (openai-responses.ts): only the endpoint and the body parser differ.
import { AttemptError, classifyStreamError, type Failure } from '../failure.js';
import { callJson, num, parseEventData, parseJsonLines } from './common.js';
import type { Http } from '../http.js';
import type { BatchItemOutcome, BatchStatus, ChatRequest, ChatResult, ProviderAdapter, StreamAccumulator, StreamStep, Usage } from './types.js';

function usageOf(u: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const o = u as {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    prompt_tokens_details?: { cached_tokens?: unknown } | null;
    completion_tokens_details?: { reasoning_tokens?: unknown } | null;
  };
  // prompt_tokens includes the cached tokens (protocols.md A); completion_tokens includes the reasoning tokens.
  const usage: Usage = { inputTokens: num(o.prompt_tokens), outputTokens: num(o.completion_tokens), cachedInputTokens: num(o.prompt_tokens_details?.cached_tokens) };
  const reasoning = num(o.completion_tokens_details?.reasoning_tokens);
  if (reasoning > 0) usage.reasoningTokens = reasoning;
  return usage;
}

/** `data: [DONE]`, with any whitespace around it (`data: [DONE] ` is what some servers send; the SDKs accept it). */
export const isDone = (data: string): boolean => data === '[DONE]' || data.trim() === '[DONE]';

const contentFiltered = (message: string): Failure => ({ class: 'content_filter', retryable: false, providerFault: false, message });

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

export interface OpenAiOptions {
  /**
   * Where the output cap goes: `completion` (max_completion_tokens: OpenAI itself, whose reasoning models refuse
   * max_tokens) or `both` (max_tokens too: Ollama, llama-cpp-python and older vLLM read only max_tokens).
   */
  cap: 'completion' | 'both';
  /** service_tier sent with every request (flex, priority, …). */
  serviceTier?: string;
}

export function openaiChatAdapter(opts: OpenAiOptions = { cap: 'completion' }): ProviderAdapter {
  return {
    ...openaiAdapter,
    chatBody(req, stream) {
      const body = openaiAdapter.chatBody(req, stream);
      if (opts.cap === 'both') body.max_tokens = req.maxTokens;
      if (opts.serviceTier) body.service_tier = opts.serviceTier;
      return body;
    },
  };
}

export const openaiAdapter: ProviderAdapter = {
  name: 'openai',
  chatPath: '/chat/completions',
  probePath: '/models',

  chatBody(req, stream) {
    const user = { role: 'user', content: req.prompt };
    const body: Record<string, unknown> = {
      model: req.model,
      messages: req.system ? [{ role: 'system', content: req.system }, user] : [user],
      max_completion_tokens: req.maxTokens,
    };
    if (stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    return body;
  },

  parseChat(body): ChatResult {
    const b = body as { choices?: Array<{ message?: { content?: string | null }; finish_reason?: string }>; usage?: unknown };
    const choice = b.choices?.[0];
    if (!choice) throw new AttemptError({ class: 'malformed', retryable: true, providerFault: true, message: 'response has no choices' });
    if (choice.finish_reason === 'content_filter') throw new AttemptError(contentFiltered('output stopped by the content filter'));
    const result: ChatResult = { text: choice.message?.content ?? '' };
    const usage = usageOf(b.usage);
    if (usage) result.usage = usage;
    if (choice.finish_reason) result.finishReason = choice.finish_reason;
    return result;
  },

  streamEvent(ev, acc: StreamAccumulator): StreamStep {
    if (isDone(ev.data)) return { done: true };
    const data = parseEventData(ev.data);
    if (ev.event === 'error' || 'error' in data) throw new AttemptError(classifyStreamError(data));
    const usage = usageOf(data.usage);
    if (usage) acc.usage = usage;
    const choice = (data.choices as Array<{ delta?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null }; finish_reason?: string | null }> | undefined)?.[0];
    const step: StreamStep = {};
    if (choice?.finish_reason) {
      acc.finishReason = choice.finish_reason;
      if (choice.finish_reason === 'content_filter') throw new AttemptError(contentFiltered('output stopped by the content filter'));
    }
    // A finish_reason seen (now or before): the answer is over, whatever comes after it (usage, [DONE]) or not.
    if (acc.finishReason) step.finished = true;
    const delta = choice?.delta;
    if (delta) {
      if (delta.content) step.content = delta.content;
      // Visible reasoning: DeepSeek and vLLM's reasoning_content, OpenRouter's and Ollama's reasoning.
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) step.reasoning = reasoning;
    }
    return step;
  },

  async submitBatch(http, items, signal) {
    return submitOpenAiBatch(http, items, '/v1/chat/completions', (it) => this.chatBody(it, false), signal);
  },

  async pollBatch(http, id, signal): Promise<BatchStatus> {
    return pollOpenAiBatch(http, id, signal);
  },

  async batchResults(http, status, signal) {
    return openAiBatchResults(http, status, (body) => this.parseChat(body), signal);
  },

  async cancelBatch(http, id) {
    await callJson(http, { method: 'POST', path: `/batches/${encodeURIComponent(id)}/cancel` });
  },
};

/** Upload the JSONL input file, then create the batch for `endpoint`; the batch id. */
export async function submitOpenAiBatch(
  http: Http,
  items: ChatRequest[],
  endpoint: string,
  bodyOf: (it: ChatRequest) => Record<string, unknown>,
  signal?: AbortSignal,
): Promise<string> {
  const jsonl = items
    .map((it) => JSON.stringify({ custom_id: it.customId, method: 'POST', url: endpoint, body: bodyOf(it) }))
    .join('\n');
  const boundary = `aip-${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="aip-bench.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`),
    Buffer.from(`${jsonl}\n`),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const file = (await callJson(http, {
    method: 'POST',
    path: '/files',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: multipart,
    ...(signal ? { signal } : {}),
  })) as { id?: string };
  if (!file.id) throw new AttemptError({ class: 'malformed', retryable: false, providerFault: true, message: 'file upload returned no id' });
  // Not retried by the caller after it was sent: a retried create could start a second batch.
  const batch = (await callJson(http, {
    method: 'POST',
    path: '/batches',
    body: JSON.stringify({ input_file_id: file.id, endpoint, completion_window: '24h', metadata: { source: 'aip bench' } }),
  })) as { id?: string };
  if (!batch.id) throw new AttemptError({ class: 'malformed', retryable: false, providerFault: true, message: 'batch create returned no id' });
  return batch.id;
}

export async function pollOpenAiBatch(http: Http, id: string, signal?: AbortSignal): Promise<BatchStatus> {
  const b = (await callJson(http, { method: 'GET', path: `/batches/${encodeURIComponent(id)}`, ...(signal ? { signal } : {}) })) as {
    status?: string;
    output_file_id?: string | null;
    error_file_id?: string | null;
  };
  const status = b.status ?? 'unknown';
  return { id, status, terminal: TERMINAL.has(status), hasResults: Boolean(b.output_file_id || b.error_file_id), raw: b };
}

/** The output and error files, matched by custom_id; each 200 body read by `parse`. */
export async function openAiBatchResults(http: Http, status: BatchStatus, parse: (body: unknown) => ChatResult, signal?: AbortSignal): Promise<Map<string, BatchItemOutcome>> {
  const raw = status.raw as { output_file_id?: string | null; error_file_id?: string | null };
  const out = new Map<string, BatchItemOutcome>();
  for (const fileId of [raw.output_file_id, raw.error_file_id]) {
    if (!fileId) continue;
    const res = await http.sendText({ method: 'GET', path: `/files/${encodeURIComponent(fileId)}/content`, ...(signal ? { signal } : {}) });
    if (res.status >= 400) throw new AttemptError({ class: `${res.status}`, status: res.status, retryable: res.status >= 500 || res.status === 429, providerFault: res.status >= 500, message: `cannot download ${fileId}` });
    for (const row of parseJsonLines(res.text).rows) {
      const id = String(row.custom_id ?? '');
      const response = row.response as { status_code?: number; body?: unknown } | null | undefined;
      const error = row.error as { code?: string; message?: string } | null | undefined;
      if (response && response.status_code === 200 && !error) {
        try {
          out.set(id, { ok: true, result: parse(response.body) });
        } catch (err) {
          out.set(id, { ok: false, failure: (err as AttemptError).failure });
        }
      } else {
        const expired = error?.code === 'batch_expired';
        out.set(id, {
          ok: false,
          failure: {
            class: expired ? 'batch_expired' : 'batch_item_error',
            retryable: false,
            providerFault: false,
            ...(response?.status_code ? { status: response.status_code } : {}),
            message: error?.message ?? `item failed with status ${response?.status_code ?? 'unknown'}`,
          },
        });
      }
    }
  }
  return out;
}

export function openaiHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}
