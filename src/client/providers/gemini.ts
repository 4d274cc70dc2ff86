// The Gemini Developer API (v1beta): models/{model}:generateContent plain, :streamGenerateContent?alt=sse (a
// GenerateContentResponse per event, no terminal event: the chunk with finishReason ends the answer), and Batch
// Mode with inline requests (:batchGenerateContent → a long-running operation batches/{id} with the responses
// inline, matched by the request's metadata key).
import { AttemptError, type Failure } from '../failure.js';
import { callJson, num, parseEventData } from './common.js';
import type { BatchItemOutcome, BatchStatus, ChatRequest, ChatResult, ProviderAdapter, StreamAccumulator, StreamStep, Usage } from './types.js';

interface Part {
  text?: string;
  thought?: boolean;
}
interface GenerateContentResponse {
  candidates?: Array<{ content?: { parts?: Part[] }; finishReason?: string }>;
  usageMetadata?: unknown;
  promptFeedback?: { blockReason?: string };
  error?: { code?: number; message?: string; status?: string };
}

/** Finish reasons that mean the output was blocked, not finished. */
const BLOCKED = new Set(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_SAFETY']);

function usageOf(u: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const o = u as { promptTokenCount?: unknown; candidatesTokenCount?: unknown; thoughtsTokenCount?: unknown; cachedContentTokenCount?: unknown };
  // Thinking tokens are billed as output but counted apart from the candidates (Gemini's usageMetadata).
  const thoughts = num(o.thoughtsTokenCount);
  const usage: Usage = { inputTokens: num(o.promptTokenCount), outputTokens: num(o.candidatesTokenCount) + thoughts, cachedInputTokens: num(o.cachedContentTokenCount) };
  if (thoughts > 0) usage.reasoningTokens = thoughts;
  return usage;
}

const blocked = (why: string): Failure => ({ class: 'content_filter', retryable: false, providerFault: false, message: `blocked by Gemini (${why})` });

/** A Gemini error object ({code, message, status}) as the failure its HTTP status would be. */
function geminiFailure(e: { code?: number; message?: string; status?: string }): Failure {
  const byStatus: Record<string, number> = { RESOURCE_EXHAUSTED: 429, UNAVAILABLE: 503, INTERNAL: 500, DEADLINE_EXCEEDED: 504 };
  const status = typeof e.code === 'number' ? e.code : e.status ? byStatus[e.status] : undefined;
  const message = e.message ?? 'error in the stream';
  if (status !== undefined && (status === 429 || status >= 500)) return { class: `${status}`, status, retryable: true, providerFault: true, message };
  return { class: 'stream_error', retryable: false, providerFault: false, message, ...(status !== undefined ? { status } : {}) };
}

function resultOf(body: unknown): ChatResult {
  const r = body as GenerateContentResponse;
  if (r.promptFeedback?.blockReason) throw new AttemptError(blocked(r.promptFeedback.blockReason));
  const candidate = r.candidates?.[0];
  if (!candidate) throw new AttemptError({ class: 'malformed', retryable: true, providerFault: true, message: 'response has no candidates' });
  if (candidate.finishReason && BLOCKED.has(candidate.finishReason)) throw new AttemptError(blocked(candidate.finishReason));
  const text = (candidate.content?.parts ?? [])
    .filter((p) => !p.thought)
    .map((p) => p.text ?? '')
    .join('');
  const usage = usageOf(r.usageMetadata);
  return { text, ...(usage ? { usage } : {}), ...(candidate.finishReason ? { finishReason: candidate.finishReason } : {}) };
}

const modelPath = (model: string) => `/v1beta/models/${encodeURIComponent(model.replace(/^models\//, ''))}`;

export const geminiAdapter: ProviderAdapter = {
  name: 'gemini',
  chatPath: '/v1beta/models',
  probePath: '/v1beta/models',

  pathFor(req, stream) {
    return `${modelPath(req.model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
  },

  chatBody(req) {
    return {
      contents: [{ role: 'user', parts: [{ text: req.prompt }] }],
      ...(req.system ? { systemInstruction: { parts: [{ text: req.system }] } } : {}),
      generationConfig: { maxOutputTokens: req.maxTokens },
    };
  },

  parseChat: resultOf,

  streamEvent(ev, acc: StreamAccumulator): StreamStep {
    const data = parseEventData(ev.data) as GenerateContentResponse;
    if (data.error) throw new AttemptError(geminiFailure(data.error));
    if (data.promptFeedback?.blockReason) throw new AttemptError(blocked(data.promptFeedback.blockReason));
    // usageMetadata is cumulative: the last one holds the totals.
    const usage = usageOf(data.usageMetadata);
    if (usage) acc.usage = usage;
    const candidate = data.candidates?.[0];
    const step: StreamStep = {};
    let content = '';
    let reasoning = '';
    for (const p of candidate?.content?.parts ?? []) {
      if (p.thought) reasoning += p.text ?? '';
      else content += p.text ?? '';
    }
    if (content) step.content = content;
    if (reasoning) step.reasoning = reasoning;
    if (candidate?.finishReason) {
      acc.finishReason = candidate.finishReason;
      if (BLOCKED.has(candidate.finishReason)) throw new AttemptError(blocked(candidate.finishReason));
      // Gemini's stream has no terminal event of its own: the chunk with finishReason (and the usage) is the last.
      step.finished = true;
      step.done = true;
    }
    return step;
  },

  async submitBatch(http, items: ChatRequest[], signal) {
    const model = items[0]?.model ?? '';
    const body = JSON.stringify({
      batch: {
        displayName: 'aip bench',
        inputConfig: { requests: { requests: items.map((it) => ({ request: this.chatBody(it, false), metadata: { key: it.customId } })) } },
      },
    });
    const op = (await callJson(http, { method: 'POST', path: `${modelPath(model)}:batchGenerateContent`, body, ...(signal ? { signal } : {}) })) as { name?: string };
    if (!op.name) throw new AttemptError({ class: 'malformed', retryable: false, providerFault: true, message: 'batch create returned no name' });
    return op.name;
  },

  async pollBatch(http, id, signal): Promise<BatchStatus> {
    const op = (await callJson(http, { method: 'GET', path: `/v1beta/${id}`, ...(signal ? { signal } : {}) })) as {
      done?: boolean;
      metadata?: { state?: string; output?: unknown };
      response?: unknown;
      error?: { message?: string };
    };
    const state = op.metadata?.state ?? (op.done ? 'done' : 'unknown');
    const terminal = op.done === true || /SUCCEEDED|FAILED|CANCELLED|EXPIRED/.test(state);
    return { id, status: state, terminal, hasResults: Boolean(op.metadata?.output ?? op.response), raw: op };
  },

  async batchResults(_http, status) {
    const op = status.raw as { metadata?: { output?: InlinedOutput }; response?: InlinedOutput };
    const inlined = (op.metadata?.output ?? op.response)?.inlinedResponses?.inlinedResponses ?? [];
    const out = new Map<string, BatchItemOutcome>();
    for (const item of inlined) {
      const key = String(item.metadata?.key ?? '');
      if (item.response !== undefined) {
        try {
          out.set(key, { ok: true, result: resultOf(item.response) });
        } catch (err) {
          out.set(key, { ok: false, failure: (err as AttemptError).failure });
        }
      } else {
        const expired = /EXPIRED/.test(status.status);
        out.set(key, {
          ok: false,
          failure: { class: expired ? 'batch_expired' : 'batch_item_error', retryable: false, providerFault: false, ...(item.error?.code ? { status: item.error.code } : {}), message: item.error?.message ?? 'item failed' },
        });
      }
    }
    return out;
  },

  async cancelBatch(http, id) {
    await callJson(http, { method: 'POST', path: `/v1beta/${id}:cancel` });
  },
};

interface InlinedOutput {
  inlinedResponses?: { inlinedResponses?: Array<{ response?: unknown; error?: { code?: number; message?: string }; metadata?: { key?: unknown } }> };
}

export function geminiHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { 'x-goog-api-key': apiKey } : {};
}
