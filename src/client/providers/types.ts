// What the resilient client needs from a provider: request bodies, response parsing for plain and SSE
// answers, and the batch API's steps. One adapter per wire protocol (OpenAI, Anthropic).
import type { Failure } from '../failure.js';
import type { Http } from '../http.js';

export type ProviderName = 'openai' | 'anthropic' | 'gemini';

export interface ChatRequest {
  /** Ours, unique per request; the batch custom_id. */
  customId: string;
  model: string;
  system?: string;
  prompt: string;
  /** The output cap sent (max_tokens / max_completion_tokens). */
  maxTokens: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the prompt cache. */
  cachedInputTokens: number;
  /** Output tokens spent on reasoning (included in outputTokens, as the providers bill them). */
  reasoningTokens?: number;
  /** Counted by aip with the tokenizer: the target's answer carried no usage. */
  estimated?: boolean;
}

export interface ChatResult {
  text: string;
  usage?: Usage;
  finishReason?: string;
}

/** What a stream has delivered so far (kept, and marked partial, when the stream breaks). */
export interface StreamAccumulator {
  text: string;
  /** Content events received. */
  contentEvents: number;
  usage?: Usage;
  finishReason?: string;
}

export interface StreamStep {
  /** Content text carried by this event, if any. */
  content?: string;
  /** Visible reasoning text carried by this event (reasoning_content / reasoning / thinking deltas). */
  reasoning?: string;
  /** The stream reached its proper end (the protocol's terminal event: [DONE], message_stop, response.completed). */
  done?: boolean;
  /**
   * The answer is finished (finish_reason, stop_reason, finishReason): a stream that ends here without its
   * terminal event is complete (the official SDKs accept it; TGI before #2221, text-generation-webui send no [DONE]).
   */
  finished?: boolean;
}

export type BatchItemOutcome = { ok: true; result: ChatResult } | { ok: false; failure: Failure };

export interface BatchStatus {
  id: string;
  /** The provider's own word for it. */
  status: string;
  /** No further change will come (ended, completed, failed, expired, cancelled). */
  terminal: boolean;
  /** Whether results can be fetched. */
  hasResults: boolean;
  raw: unknown;
}

export interface ProviderAdapter {
  readonly name: ProviderName;
  /** Path of the chat endpoint below the base URL (Gemini: per model and stream, see pathFor). */
  readonly chatPath: string;
  /** The endpoint of one request when it depends on the model or on streaming (Gemini). */
  pathFor?(req: ChatRequest, stream: boolean): string;
  chatBody(req: ChatRequest, stream: boolean): Record<string, unknown>;
  /** A 200 plain response body → result; throws AttemptError for content filtered or malformed bodies. */
  parseChat(body: unknown): ChatResult;
  /** One SSE event → what it carries; updates acc; throws AttemptError on error events or broken JSON. */
  streamEvent(event: { event?: string; data: string }, acc: StreamAccumulator): StreamStep;
  /** A cheap request with no model work, for measuring the harness's own TTFB floor. */
  readonly probePath: string;

  /** Submit a batch (OpenAI: upload the JSONL file, then create). Returns the batch id. */
  submitBatch(http: Http, items: ChatRequest[], signal?: AbortSignal): Promise<string>;
  pollBatch(http: Http, id: string, signal?: AbortSignal): Promise<BatchStatus>;
  /** Fetch results, matched by custom_id. Items missing from the result files are absent from the map. */
  batchResults(http: Http, status: BatchStatus, signal?: AbortSignal): Promise<Map<string, BatchItemOutcome>>;
  cancelBatch(http: Http, id: string): Promise<void>;
}
