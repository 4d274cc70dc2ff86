// Exact Claude input counts from Anthropic's count_tokens endpoint (free, separate rate limit). The key is
// sent only in its header and never appears in a message.
import { redactUrl } from '../core/safe-text.js';
import { UsageError } from '../core/errors.js';
import { ANTHROPIC_VERSION } from './providers/anthropic.js';

export interface AnthropicCountOptions {
  apiKey: string;
  /** ANTHROPIC_BASE_URL or https://api.anthropic.com */
  baseUrl: string;
  model: string;
  signal?: AbortSignal;
}

/** Input tokens of `text` sent as one user message (the count includes the few tokens of message framing). */
export async function countTokensWithAnthropic(text: string, opts: AnthropicCountOptions): Promise<number> {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/v1/messages/count_tokens`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': opts.apiKey, 'anthropic-version': ANTHROPIC_VERSION },
      body: JSON.stringify({ model: opts.model, messages: [{ role: 'user', content: text }] }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw new UsageError(`cannot reach ${redactUrl(url)} (${redactUrl((err as Error).message)})`, {
      code: 'E_COUNT_TOKENS_NETWORK',
      option: '--exact',
      hint: 'check your network or ANTHROPIC_BASE_URL, or drop --exact for the offline estimate',
    });
  }
  const body = await res.text();
  if (!res.ok) {
    let detail = body.slice(0, 200);
    try {
      detail = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? detail;
    } catch {
      // not JSON: keep the start of the body
    }
    throw new UsageError(`Anthropic count_tokens answered HTTP ${res.status}: ${redact(detail, opts.apiKey)}`, {
      code: 'E_COUNT_TOKENS_HTTP',
      option: '--exact',
      hint: res.status === 401 || res.status === 403 ? 'check ANTHROPIC_API_KEY' : res.status === 404 ? 'the model id may not be served by the API any more' : 'drop --exact for the offline estimate',
    });
  }
  const parsed = JSON.parse(body) as { input_tokens?: unknown };
  if (typeof parsed.input_tokens !== 'number') throw new UsageError('Anthropic count_tokens answered without input_tokens', { code: 'E_COUNT_TOKENS_BODY', option: '--exact' });
  return parsed.input_tokens;
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
