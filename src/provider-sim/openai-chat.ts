// OpenAI chat completions: POST /v1/chat/completions, plain and SSE (with stream_options.include_usage);
// tools and tool_choice, response_format (json_schema, json_object), reasoning tokens, service_tier.
import { DEFAULT_MAX_OUTPUT } from './limits.js';
import { admit } from './admission.js';
import type { Exchange } from './exchange.js';
import { STREAM_FAULTS } from './faults.js';
import { planTiming, totalMs } from './latency.js';
import { checkOpenAISchema, functionTools, reasoningEffort, serviceTier, toolChoice } from './openai-common.js';
import { contentFault, planOutput, visibleTiming, type OutputPlan, type OutputSpec, type RequestPlan } from './output.js';
import { ApiError, errors } from './provider-errors.js';
import type { Random } from '../core/random.js';
import { slabText } from './slab.js';
import { writeStream } from './sse.js';
import type { SimState } from './state.js';
import { answerFragments, countFramed } from './text.js';
import { OPENAI_FRAMING, reasoningRatio } from './usage-model.js';
import { messageParts, type MessageParts, optionalBool, optionalInt, optionalIntIn, optionalNumberIn, requireArray, requireString, type Body } from './validate.js';

const OPENAI_ROLES = ['developer', 'system', 'user', 'assistant', 'tool', 'function'] as const;

export interface ChatPlan extends RequestPlan {
  stream: boolean;
  includeUsage: boolean;
  tier: { requested: string | undefined; used: string };
}

/** The response_format of a chat request as an output format. */
function responseFormat(body: Body, parts: readonly MessageParts[]): OutputSpec['format'] {
  const rf = body.response_format as Body | undefined | null;
  if (rf === undefined || rf === null) return undefined;
  if (typeof rf !== 'object') throw errors.wrongType('openai', 'response_format', 'an object', rf);
  if (rf.type === 'text') return undefined;
  if (rf.type === 'json_object') {
    if (!parts.some((p) => p.texts.some((t) => /json/i.test(t)))) throw new ApiError(400, 'invalid_request_error', "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", null, 'messages');
    return { jsonObject: true };
  }
  if (rf.type === 'json_schema') {
    const js = rf.json_schema as Body | undefined;
    if (!js || typeof js !== 'object') throw errors.missing('openai', 'response_format.json_schema');
    if (typeof js.name !== 'string') throw errors.missing('openai', 'response_format.json_schema.name');
    return { schema: checkOpenAISchema(js.schema, `response_format '${js.name}'`, 'response_format', js.strict === true) };
  }
  throw errors.invalidValue('openai', 'response_format.type', `Invalid value: '${String(rf.type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.`);
}

/** Validates a chat request (live or a batch line) and counts its input; throws ApiError. */
export async function prepareChat(state: SimState, body: Body): Promise<ChatPlan> {
  const modelName = requireString('openai', body, 'model');
  const messages = requireArray('openai', body, 'messages');
  const maxCompletion = optionalInt('openai', body, 'max_completion_tokens', 1);
  const maxTokens = maxCompletion ?? optionalInt('openai', body, 'max_tokens', 1);
  const stream = optionalBool('openai', body, 'stream') ?? false;
  // Sampling parameters within OpenAI's bounds (the simulator answers one choice whatever `n` asks for).
  optionalIntIn('openai', body, 'n', 1, 128);
  optionalNumberIn('openai', body, 'temperature', 0, 2);
  optionalNumberIn('openai', body, 'top_p', 0, 1);
  optionalNumberIn('openai', body, 'presence_penalty', -2, 2);
  optionalNumberIn('openai', body, 'frequency_penalty', -2, 2);
  const so = body.stream_options;
  if (so !== undefined && so !== null && !stream) throw errors.invalidValue('openai', 'stream_options', "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
  const includeUsage = !!so && typeof so === 'object' && (so as Body).include_usage === true;
  const parts = messageParts('openai', messages, OPENAI_ROLES);
  const tier = serviceTier(body);
  const effort = reasoningEffort(body.reasoning_effort, 'reasoning_effort');
  const model = state.findModel(modelName);
  // A retired model answers as the provider answers a name it no longer serves.
  if (!model || model.lifecycle.status === 'retired') throw errors.unknownModel('openai', modelName);
  if (model.kind === 'embedding') throw errors.invalidValue('openai', 'model', `The model \`${modelName}\` is an embedding model and does not support chat completions.`);
  if (maxTokens !== undefined && model.max_output !== undefined && maxTokens > model.max_output) {
    throw errors.invalidValue('openai', maxCompletion !== undefined ? 'max_completion_tokens' : 'max_tokens', `max_tokens is too large: ${maxTokens}. This model supports at most ${model.max_output} completion tokens, whereas you provided ${maxTokens}.`);
  }
  const tools = functionTools(body.tools, true);
  const choice = toolChoice(body.tool_choice, tools.specs, true);
  const format = responseFormat(body, parts);
  const rt = await state.runtime(model);
  const extra = format && 'schema' in format ? [...tools.texts, JSON.stringify(format.schema)] : tools.texts;
  const inputTokens = await countFramed(rt, parts, OPENAI_FRAMING, extra);
  if (model.context_window !== undefined && inputTokens > model.context_window) {
    throw new ApiError(400, 'invalid_request_error', `This model's maximum context length is ${model.context_window} tokens. However, your messages resulted in ${inputTokens} tokens. Please reduce the length of the messages.`, 'context_length_exceeded', 'messages');
  }
  const last = parts[parts.length - 1];
  const spec: OutputSpec = { format, tools: tools.specs, toolChoice: choice, afterToolResult: last?.role === 'tool' || last?.role === 'function', reasoningRatio: reasoningRatio(model, effort) };
  return { modelName, model, rt, inputTokens, maxTokens, stream, includeUsage, spec, tier };
}

export function usageOf(plan: ChatPlan, out: OutputPlan) {
  const completion = out.outputTokens + out.reasoningTokens;
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: completion,
    total_tokens: plan.inputTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: out.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** usageOf as JSON text, written directly (the same bytes as JSON.stringify(usageOf(plan, out))). */
function usageJson(plan: ChatPlan, out: OutputPlan): string {
  const completion = out.outputTokens + out.reasoningTokens;
  return `{"prompt_tokens":${plan.inputTokens},"completion_tokens":${completion},"total_tokens":${plan.inputTokens + completion},"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":${out.reasoningTokens},"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`;
}

function finishReason(out: OutputPlan): string {
  if (out.truncated) return 'length';
  return out.toolCalls.length > 0 ? 'tool_calls' : 'stop';
}

export function completionObject(plan: ChatPlan, out: OutputPlan, id: string, created: number, callIds: string[]) {
  const message: Record<string, unknown> = { role: 'assistant', content: out.toolCalls.length > 0 ? null : out.answer.text, refusal: null, annotations: [] };
  if (out.toolCalls.length > 0) message.tool_calls = out.toolCalls.map((c, i) => ({ id: callIds[i], type: 'function', function: { name: c.name, arguments: c.arguments } }));
  return {
    id,
    object: 'chat.completion',
    created,
    model: plan.modelName,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(out) }],
    usage: usageOf(plan, out),
    service_tier: plan.tier.used,
    system_fingerprint: null,
  };
}

/**
 * completionObject as JSON text, written directly rather than built as objects and encoded: this is every
 * plain answer's body. The same bytes as JSON.stringify(completionObject(…)) (a test compares them).
 */
export function completionJson(plan: ChatPlan, out: OutputPlan, id: string, created: number, callIds: string[]): string {
  const calls = out.toolCalls;
  let message: string;
  // A generated answer's pieces need no escaping in JSON (makeRuntime keeps only such pieces).
  const text = out.answer.vocab !== undefined ? `"${out.answer.text}"` : JSON.stringify(out.answer.text);
  if (calls.length === 0) message = `{"role":"assistant","content":${text},"refusal":null,"annotations":[]}`;
  else {
    const list = calls.map((c, i) => `{"id":${JSON.stringify(callIds[i])},"type":"function","function":{"name":${JSON.stringify(c.name)},"arguments":${JSON.stringify(c.arguments)}}}`);
    message = `{"role":"assistant","content":null,"refusal":null,"annotations":[],"tool_calls":[${list.join(',')}]}`;
  }
  // The id (the simulator's own) and the service tier (one of SERVICE_TIERS) need no escaping, as the stream's prefix assumes.
  return `{"id":"${id}","object":"chat.completion","created":${created},"model":${JSON.stringify(plan.modelName)},"choices":[{"index":0,"message":${message},"logprobs":null,"finish_reason":"${finishReason(out)}"}],"usage":${usageJson(plan, out)},"service_tier":"${plan.tier.used}","system_fingerprint":null}`;
}

/** A chat completion as a batch item computes it (no latency, no stream). */
export function completeChat(state: SimState, plan: ChatPlan, rng: Random) {
  const out = planOutput(plan.rt, rng, plan.maxTokens, plan.spec);
  return completionObject(plan, out, state.id('chatcmpl-'), Math.floor(state.nowMs() / 1000), out.toolCalls.map(() => state.id('call_')));
}

/** The rest of a chunk event after its shared prefix, for one answer piece, by framing (see answerFragments). */
const CHUNK_EVENTS = {
  'openai-chunk': (p: string) => `{"index":0,"delta":{"content":${JSON.stringify(p)}},"logprobs":null,"finish_reason":null}]}\n\n`,
  'openai-chunk-usage': (p: string) => `{"index":0,"delta":{"content":${JSON.stringify(p)}},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  'openai-args': (p: string) => `{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(p)}}}]},"logprobs":null,"finish_reason":null}]}\n\n`,
  'openai-args-usage': (p: string) => `{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(p)}}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
};

export async function handleChat(x: Exchange): Promise<void> {
  const plan = await prepareChat(x.state, x.parseJson(await x.readBody()));
  const admitted = admit(x, plan.modelName, plan.inputTokens, plan.maxTokens ?? plan.model.max_output ?? DEFAULT_MAX_OUTPUT, { model: plan.model, serviceTier: plan.tier.requested });
  if (admitted.hang) return x.hang();
  const broken = contentFault(x, plan.spec);
  const out = planOutput(plan.rt, x.rng, plan.maxTokens, plan.spec, broken);
  const timing = visibleTiming(planTiming(plan.rt.model, x.state.scale, x.rng), out.reasoningTokens);
  const fault = x.fault(STREAM_FAULTS);
  const id = x.state.id('chatcmpl-');
  const created = Math.floor(x.nowMs() / 1000);
  const callIds = out.toolCalls.map(() => x.state.id('call_'));

  if (!plan.stream) {
    // At latency scale 0 there is nothing to wait for (wait answers at once, and is not awaited).
    const waited = x.wait(totalMs(timing, out.outputTokens) + (fault === 'stall' ? x.state.stallMs : 0));
    if (!(typeof waited === 'boolean' ? waited : await waited)) return;
    if (fault === 'drop') return x.drop();
    const body = completionJson(plan, out, id, created, callIds);
    // A body cut in the middle, as a broken proxy delivers it: the client's JSON parse fails.
    if (fault === 'malformed') return x.send(200, body.slice(0, body.length >> 1), 'application/json', admitted.headers);
    return x.send(200, body, 'application/json', admitted.headers);
  }

  // Chunks share their id, created and model; only the choice part differs (and is reused across requests).
  const usageNull = plan.includeUsage ? ',"usage":null' : '';
  const prefix = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(plan.modelName)},"service_tier":"${plan.tier.used}","system_fingerprint":null,"choices":[`;
  // Each head event is one entry (the stream counts its events by them).
  let head: string[];
  let tokens: Buffer[];
  const call = out.toolCalls[0];
  if (call) {
    head = [
      `${prefix}{"index":0,"delta":{"role":"assistant","content":null,"refusal":null},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`,
      `${prefix}{"index":0,"delta":{"tool_calls":[{"index":0,"id":"${callIds[0]}","type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":""}}]},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`,
    ];
    const kind = plan.includeUsage ? 'openai-args-usage' : 'openai-args';
    tokens = answerFragments(plan.rt, call.answer, kind, CHUNK_EVENTS[kind]);
  } else {
    head = [`${prefix}{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`];
    const kind = plan.includeUsage ? 'openai-chunk-usage' : 'openai-chunk';
    tokens = answerFragments(plan.rt, out.answer, kind, CHUNK_EVENTS[kind]);
  }
  let tail = `${prefix}{"index":0,"delta":{},"logprobs":null,"finish_reason":"${finishReason(out)}"}]${usageNull}}\n\n`;
  if (plan.includeUsage) tail += `${prefix}],"usage":${usageJson(plan, out)}}\n\n`;
  tail += 'data: [DONE]\n\n';
  // A promise only when the stream is paced (latency scale above 0).
  const writing = writeStream(
    x,
    {
      head: head.map(slabText),
      tokenPrefix: slabText(prefix),
      tokens,
      tail: [slabText(tail)],
      broken: () => Buffer.from(`${prefix}{"index":0,"delta":{"content":\n\n`),
    },
    timing,
    fault,
    admitted.headers,
  );
  if (writing) await writing;
}
