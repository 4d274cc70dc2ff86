// The assumptions behind the simulator's usage figures, each with its source: the framing tokens each
// provider adds around messages, and how many hidden reasoning tokens a reasoning model spends.
import type { Model } from '../core/catalog/schema.js';
import type { Framing } from './text.js';

/**
 * OpenAI chat framing, as OpenAI's cookbook "How to count tokens with tiktoken" counts it for gpt-4o,
 * gpt-4o-mini, gpt-4.1 and later: every message costs 3 tokens (<|start|>role<|message|>…<|end|>) plus
 * the tokens of its role and content, a `name` adds 1 more plus its own tokens, and every reply is primed
 * with 3 (<|start|>assistant<|message|>). So a lone user message "hi" is 3 + 1 ("user") + 1 ("hi") + 3 = 8.
 * The Responses API renders its input items the same way (assumption: OpenAI documents the input-token
 * count endpoint as including "formatting tokens" for roles and message boundaries, but not their number).
 */
export const OPENAI_TOKENS_PER_MESSAGE = 3;
export const OPENAI_TOKENS_PER_NAME = 1;
export const OPENAI_REPLY_PRIMING_TOKENS = 3;

/**
 * Anthropic framing (assumption: Anthropic publishes no count; its tokenizer is not public). 3 tokens per
 * message for the turn markers and 3 per request, before the Claude stand-in scaling, so "Hello, Claude"
 * counts about 10 — the order of what Anthropic's own examples show for a one-line message.
 */
export const ANTHROPIC_TOKENS_PER_MESSAGE = 3;
export const ANTHROPIC_TOKENS_PER_REQUEST = 3;

/**
 * Gemini framing: none (assumption: Gemini's countTokens and usageMetadata.promptTokenCount count the
 * parts' text; the docs' rule of thumb is ~4 characters per token with no per-turn overhead stated).
 */
export const GEMINI_TOKENS_PER_MESSAGE = 0;

export const OPENAI_FRAMING: Framing = { perMessage: OPENAI_TOKENS_PER_MESSAGE, countRole: true, perName: OPENAI_TOKENS_PER_NAME, perRequest: OPENAI_REPLY_PRIMING_TOKENS };
export const ANTHROPIC_FRAMING: Framing = { perMessage: ANTHROPIC_TOKENS_PER_MESSAGE, countRole: false, perName: 0, perRequest: ANTHROPIC_TOKENS_PER_REQUEST };
export const GEMINI_FRAMING: Framing = { perMessage: GEMINI_TOKENS_PER_MESSAGE, countRole: false, perName: 0, perRequest: 0 };

/**
 * Hidden reasoning tokens per visible output token, by reasoning effort. Assumption, stated as a typical
 * figure: OpenAI says reasoning tokens "can range from a few hundred to tens of thousands" depending on the
 * problem; secondary write-ups put o-series usage at 3–5× the tokens of a non-reasoning model, and 5–20×
 * the visible answer on hard problems. The simulator uses 3× at the default (medium) effort.
 */
export const REASONING_TOKENS_PER_OUTPUT_TOKEN: Readonly<Record<string, number>> = {
  none: 0,
  minimal: 0.25,
  low: 1,
  medium: 3,
  high: 8,
  xhigh: 12,
};
export const DEFAULT_REASONING_EFFORT = 'medium';

/**
 * Gemini 2.5 Pro and Flash think by default (dynamic thinking budget); Flash-Lite does not unless asked.
 * Their catalog kind is "chat", so the simulator recognises them by name.
 */
function geminiThinksByDefault(model: Model): boolean {
  return model.provider === 'google' && /gemini-2\.5-(pro|flash)(?!-lite)/.test(model.id);
}

/**
 * The reasoning ratio for a request: the model must be a reasoning model (or a thinking Gemini), and the
 * request may set an effort (OpenAI `reasoning_effort` / `reasoning.effort`) or a Gemini thinking budget
 * (0 turns thinking off on Flash). Unknown efforts count as the default.
 */
export function reasoningRatio(model: Model, effort: string | undefined, thinkingBudget?: number): number {
  if (model.kind !== 'reasoning' && !geminiThinksByDefault(model)) return 0;
  if (thinkingBudget === 0 && model.provider === 'google' && !/pro/.test(model.id)) return 0;
  return REASONING_TOKENS_PER_OUTPUT_TOKEN[effort ?? DEFAULT_REASONING_EFFORT] ?? REASONING_TOKENS_PER_OUTPUT_TOKEN[DEFAULT_REASONING_EFFORT]!;
}

/**
 * Splits an output budget between reasoning and visible tokens. Without a cap, reasoning is `ratio` ×
 * the visible tokens wanted. With a cap that both do not fit in, the cap is shared in the same
 * proportion (so a reasoning answer cut by max_tokens still shows some text, and the ratio holds).
 */
export function splitBudget(wantedVisible: number, ratio: number, cap: number | undefined): { reasoning: number; visibleCap: number | undefined } {
  if (ratio <= 0) return { reasoning: 0, visibleCap: cap };
  const reasoning = Math.round(wantedVisible * ratio);
  if (cap === undefined || reasoning + wantedVisible <= cap) return { reasoning, visibleCap: cap === undefined ? undefined : cap - reasoning };
  const r = Math.min(cap, Math.round((cap * ratio) / (1 + ratio)));
  return { reasoning: r, visibleCap: cap - r };
}
