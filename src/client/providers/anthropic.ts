// The Anthropic wire protocol: messages plain and as the SSE event sequence (message_start … message_stop,
// error events after a 200), and message batches (create → poll → results JSONL matched by custom_id).
import { AttemptError, classifyStreamError } from '../failure.js';
import { callJson, num, parseEventData, parseJsonLines } from './common.js';
import type { BatchItemOutcome, BatchStatus, ChatResult, ProviderAdapter, StreamAccumulator, StreamStep, Usage } from './types.js';

export const ANTHROPIC_VERSION = '2023-06-01';

function usageOf(u: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const o = u as { input_tokens?: unknown; output_tokens?: unknown; cache_read_input_tokens?: unknown; cache_creation_input_tokens?: unknown };
  // input_tokens excludes cached tokens (protocols.md C): total input is the sum of the three.
  const cached = num(o.cache_read_input_tokens);
  return { inputTokens: num(o.input_tokens) + cached + num(o.cache_creation_input_tokens), outputTokens: num(o.output_tokens), cachedInputTokens: cached };
}

function messageResult(body: unknown): ChatResult {
  const m = body as { content?: Array<{ type?: string; text?: string }>; stop_reason?: string | null; usage?: unknown };
  if (!Array.isArray(m.content)) throw new AttemptError({ class: 'malformed', retryable: true, providerFault: true, message: 'message has no content' });
  if (m.stop_reason === 'refusal') throw new AttemptError({ class: 'content_filter', retryable: false, providerFault: false, message: 'the model refused (stop_reason: refusal)' });
  const text = m.content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');
  const usage = usageOf(m.usage);
  return { text, ...(usage ? { usage } : {}), ...(m.stop_reason ? { finishReason: m.stop_reason } : {}) };
}

export const anthropicAdapter: ProviderAdapter = {
  name: 'anthropic',
  chatPath: '/v1/messages',
  probePath: '/v1/models',

  chatBody(req, stream) {
    return {
      model: req.model,
      max_tokens: req.maxTokens,
      ...(req.system ? { system: req.system } : {}),
      messages: [{ role: 'user', content: req.prompt }],
      ...(stream ? { stream: true } : {}),
    };
  },

  parseChat: messageResult,

  streamEvent(ev, acc: StreamAccumulator): StreamStep {
    const data = parseEventData(ev.data);
    const type = ev.event ?? (data.type as string | undefined);
    switch (type) {
      case 'message_start': {
        const usage = usageOf((data.message as { usage?: unknown } | undefined)?.usage);
        if (usage) acc.usage = usage;
        return {};
      }
      case 'content_block_delta': {
        const delta = data.delta as { type?: string; text?: string; thinking?: string } | undefined;
        if (delta?.type === 'thinking_delta' && delta.thinking) return { reasoning: delta.thinking };
        return delta?.type === 'text_delta' && delta.text ? { content: delta.text } : {};
      }
      case 'message_delta': {
        // Cumulative counts (protocols.md C): replace, do not add.
        const u = data.usage as { output_tokens?: unknown; input_tokens?: unknown } | undefined;
        if (u) acc.usage = { ...(acc.usage ?? { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 }), outputTokens: num(u.output_tokens) };
        const stop = (data.delta as { stop_reason?: string | null } | undefined)?.stop_reason;
        if (stop) {
          acc.finishReason = stop;
          if (stop === 'refusal') throw new AttemptError({ class: 'content_filter', retryable: false, providerFault: false, message: 'the model refused (stop_reason: refusal)' });
        }
        return acc.finishReason ? { finished: true } : {};
      }
      case 'message_stop':
        return { done: true };
      case 'error':
        throw new AttemptError(classifyStreamError(data));
      default:
        return acc.finishReason ? { finished: true } : {}; // ping, content_block_start/stop, and event names added later are ignored
    }
  },

  async submitBatch(http, items, signal) {
    const body = JSON.stringify({ requests: items.map((it) => ({ custom_id: it.customId, params: this.chatBody(it, false) })) });
    const batch = (await callJson(http, { method: 'POST', path: '/v1/messages/batches', body, ...(signal ? { signal } : {}) })) as { id?: string };
    if (!batch.id) throw new AttemptError({ class: 'malformed', retryable: false, providerFault: true, message: 'batch create returned no id' });
    return batch.id;
  },

  async pollBatch(http, id, signal): Promise<BatchStatus> {
    const b = (await callJson(http, { method: 'GET', path: `/v1/messages/batches/${encodeURIComponent(id)}`, ...(signal ? { signal } : {}) })) as {
      processing_status?: string;
      results_url?: string | null;
    };
    const status = b.processing_status ?? 'unknown';
    return { id, status, terminal: status === 'ended', hasResults: Boolean(b.results_url), raw: b };
  },

  async batchResults(http, status, signal) {
    const raw = status.raw as { results_url?: string | null };
    const out = new Map<string, BatchItemOutcome>();
    const path = raw.results_url ?? `/v1/messages/batches/${encodeURIComponent(status.id)}/results`;
    const res = await http.sendText({ method: 'GET', path, ...(signal ? { signal } : {}) });
    if (res.status >= 400) throw new AttemptError({ class: `${res.status}`, status: res.status, retryable: res.status >= 500 || res.status === 429, providerFault: res.status >= 500, message: 'cannot download the batch results' });
    for (const row of parseJsonLines(res.text).rows) {
      const id = String(row.custom_id ?? '');
      const result = row.result as { type?: string; message?: unknown; error?: { error?: { type?: string; message?: string } } } | undefined;
      if (result?.type === 'succeeded') {
        try {
          out.set(id, { ok: true, result: messageResult(result.message) });
        } catch (err) {
          out.set(id, { ok: false, failure: (err as AttemptError).failure });
        }
      } else {
        const kind = result?.type ?? 'unknown';
        out.set(id, {
          ok: false,
          failure: {
            class: kind === 'expired' ? 'batch_expired' : 'batch_item_error',
            retryable: false,
            providerFault: false,
            message: result?.error?.error?.message ?? `item ${kind}`,
          },
        });
      }
    }
    return out;
  },

  async cancelBatch(http, id) {
    await callJson(http, { method: 'POST', path: `/v1/messages/batches/${encodeURIComponent(id)}/cancel` });
  },
};

export function anthropicHeaders(apiKey: string | undefined): Record<string, string> {
  return { 'anthropic-version': ANTHROPIC_VERSION, ...(apiKey ? { 'x-api-key': apiKey } : {}) };
}
