// The OpenAI wire protocol (and any OpenAI-compatible server): chat completions plain and SSE with
// include_usage, and the batch API (upload JSONL → create → poll → output and error files).
import { AttemptError, classifyStreamError, type Failure } from '../failure.js';
import { callJson, num, parseEventData, parseJsonLines } from './common.js';
import type { BatchItemOutcome, BatchStatus, ChatResult, ProviderAdapter, StreamAccumulator, StreamStep, Usage } from './types.js';

function usageOf(u: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const o = u as { prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: { cached_tokens?: unknown } };
  // prompt_tokens includes the cached tokens (protocols.md A).
  return { inputTokens: num(o.prompt_tokens), outputTokens: num(o.completion_tokens), cachedInputTokens: num(o.prompt_tokens_details?.cached_tokens) };
}

const contentFiltered = (message: string): Failure => ({ class: 'content_filter', retryable: false, providerFault: false, message });

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

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
    if (ev.data === '[DONE]') return { done: true };
    const data = parseEventData(ev.data);
    if (ev.event === 'error' || 'error' in data) throw new AttemptError(classifyStreamError(data));
    const usage = usageOf(data.usage);
    if (usage) acc.usage = usage;
    const choice = (data.choices as Array<{ delta?: { content?: string | null }; finish_reason?: string | null }> | undefined)?.[0];
    if (choice?.finish_reason) {
      acc.finishReason = choice.finish_reason;
      if (choice.finish_reason === 'content_filter') throw new AttemptError(contentFiltered('output stopped by the content filter'));
    }
    const content = choice?.delta?.content;
    return content ? { content } : {};
  },

  async submitBatch(http, items, signal) {
    const jsonl = items
      .map((it) => JSON.stringify({ custom_id: it.customId, method: 'POST', url: '/v1/chat/completions', body: this.chatBody(it, false) }))
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
      body: JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { source: 'aip bench' } }),
    })) as { id?: string };
    if (!batch.id) throw new AttemptError({ class: 'malformed', retryable: false, providerFault: true, message: 'batch create returned no id' });
    return batch.id;
  },

  async pollBatch(http, id, signal): Promise<BatchStatus> {
    const b = (await callJson(http, { method: 'GET', path: `/batches/${encodeURIComponent(id)}`, ...(signal ? { signal } : {}) })) as {
      status?: string;
      output_file_id?: string | null;
      error_file_id?: string | null;
    };
    const status = b.status ?? 'unknown';
    return { id, status, terminal: TERMINAL.has(status), hasResults: Boolean(b.output_file_id || b.error_file_id), raw: b };
  },

  async batchResults(http, status, signal) {
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
            out.set(id, { ok: true, result: this.parseChat(response.body) });
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
  },

  async cancelBatch(http, id) {
    await callJson(http, { method: 'POST', path: `/batches/${encodeURIComponent(id)}/cancel` });
  },
};

export function openaiHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}
