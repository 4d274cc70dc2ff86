// What a simulated model answers, whatever the provider: free text, structured output (JSON from the
// request's schema), or a tool call; hidden reasoning tokens before it; and the invalid-json and
// tool-error faults. Each provider's handler normalises its request into an OutputSpec and renders the plan.
import type { Model } from '../core/catalog/schema.js';
import type { Random } from '../core/random.js';
import type { Exchange } from './exchange.js';
import type { Timing } from './latency.js';
import { seededRandom } from '../core/random.js';
import { brokenJson, SchemaError, valueFor, type Schema } from './structured.js';
import { answerFromText, desiredLength, emptyAnswer, generateAnswer, type GeneratedAnswer, type ModelRuntime } from './text.js';
import { splitBudget } from './usage-model.js';

export interface ToolSpec {
  name: string;
  schema: Schema;
}

export type ToolChoice = { mode: 'auto' | 'none' | 'required' } | { mode: 'tool'; name: string };

export interface OutputSpec {
  /** Structured output: JSON matching `schema` (or any JSON object for json_object mode). */
  format?: { schema: Schema } | { jsonObject: true };
  tools: ToolSpec[];
  toolChoice: ToolChoice;
  /** The conversation's last turn is a tool result: under "auto" the model answers in text. */
  afterToolResult: boolean;
  /** Hidden reasoning tokens per visible token (0 for a model that does not reason). */
  reasoningRatio: number;
}

/** What every provider's handler knows of a model request once it is validated and counted. */
export interface RequestPlan {
  /** The model name as the request gave it (echoed in the response). */
  modelName: string;
  model: Model;
  rt: ModelRuntime;
  inputTokens: number;
  /** The output cap (max_tokens, max_output_tokens, maxOutputTokens), if any. */
  maxTokens: number | undefined;
  spec: OutputSpec;
}

export interface ToolCallOut {
  name: string;
  /** The arguments as sent (JSON text; broken under the tool-error fault). */
  arguments: string;
  /** The arguments as a value (undefined when they are not JSON). */
  input: unknown;
  /** The arguments' token pieces, for streaming. */
  answer: GeneratedAnswer;
}

export interface OutputPlan {
  reasoningTokens: number;
  /** The visible text (empty when the answer is a tool call). */
  answer: GeneratedAnswer;
  toolCalls: ToolCallOut[];
  /** Visible output tokens: the text, or the tool call's arguments. */
  outputTokens: number;
  /** The output cap cut the answer (finish "length" / "max_tokens" / "MAX_TOKENS"). */
  truncated: boolean;
  /** The output is structured (JSON) rather than prose. */
  json: boolean;
}

/** Checks that a schema can be satisfied; throws SchemaError otherwise (the handler answers 400). */
export function checkSchema(schema: Schema): void {
  valueFor(schema, seededRandom(1));
}

/** Which tool the model calls, if any. */
function chooseTool(spec: OutputSpec, rng: Random): ToolSpec | undefined {
  if (spec.tools.length === 0) return undefined;
  const c = spec.toolChoice;
  if (c.mode === 'none') return undefined;
  if (c.mode === 'tool') return spec.tools.find((t) => t.name === c.name);
  if (c.mode === 'auto' && spec.afterToolResult) return undefined;
  return spec.tools[Math.floor(rng.uniform() * spec.tools.length)];
}

/**
 * Plans one answer. `brokenFault` is the fault already rolled for this request's structured output or
 * tool call ('invalid-json' or 'tool-error'), if any.
 */
export function planOutput(rt: ModelRuntime, rng: Random, maxTokens: number | undefined, spec: OutputSpec, brokenFault?: 'invalid-json' | 'tool-error'): OutputPlan {
  const tool = chooseTool(spec, rng);
  if (tool) {
    const value = valueFor(tool.schema, rng);
    const text = brokenFault === 'tool-error' ? brokenJson(value, tool.schema, rng) : JSON.stringify(value);
    const visibleWanted = rt.split(text).length;
    const { reasoning, visibleCap } = splitBudget(visibleWanted, spec.reasoningRatio, maxTokens);
    const answer = answerFromText(rt, text, visibleCap);
    let input: unknown;
    try {
      input = JSON.parse(answer.text);
    } catch {
      input = undefined;
    }
    return { reasoningTokens: reasoning, answer: emptyAnswer(false), toolCalls: [{ name: tool.name, arguments: answer.text, input, answer }], outputTokens: answer.outputTokens, truncated: answer.truncated, json: true };
  }
  if (spec.format) {
    const schema: Schema = 'schema' in spec.format ? spec.format.schema : { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const value = valueFor(schema, rng);
    const text = brokenFault === 'invalid-json' ? brokenJson(value, schema, rng) : JSON.stringify(value);
    const { reasoning, visibleCap } = splitBudget(rt.split(text).length, spec.reasoningRatio, maxTokens);
    const answer = answerFromText(rt, text, visibleCap);
    return { reasoningTokens: reasoning, answer, toolCalls: [], outputTokens: answer.outputTokens, truncated: answer.truncated, json: true };
  }
  const wanted = desiredLength(rng);
  const { reasoning, visibleCap } = splitBudget(wanted, spec.reasoningRatio, maxTokens);
  const answer = generateAnswer(rt, rng, visibleCap, wanted);
  // A reasoning answer is cut when reasoning took part of the cap, even if the visible part fit.
  const truncated = answer.truncated || (maxTokens !== undefined && reasoning + wanted > maxTokens);
  return { reasoningTokens: reasoning, answer, toolCalls: [], outputTokens: answer.outputTokens, truncated, json: false };
}

/** Rolls the content fault that applies to this request's output (structured output or a tool call). */
export function contentFault(x: { fault: Exchange['fault'] }, spec: OutputSpec): 'invalid-json' | 'tool-error' | undefined {
  const mode = spec.toolChoice.mode;
  const callsTool = spec.tools.length > 0 && (mode === 'required' || mode === 'tool' || (mode === 'auto' && !spec.afterToolResult));
  if (callsTool) return x.fault(['tool-error']) as 'tool-error' | undefined;
  if (spec.format) return x.fault(['invalid-json']) as 'invalid-json' | undefined;
  return undefined;
}

/** Time to first visible token: the model's TTFT plus its hidden reasoning at its token speed. */
export function visibleTiming(t: Timing, reasoningTokens: number): Timing {
  return reasoningTokens > 0 ? { ttftMs: t.ttftMs + reasoningTokens * t.msPerToken, msPerToken: t.msPerToken } : t;
}

export { SchemaError };
