// OpenAI chat completions: POST /v1/chat/completions, plain and SSE (with stream_options.include_usage).
import { admit } from './admission.js';
import type { Exchange } from './exchange.js';
import { STREAM_FAULTS } from './faults.js';
import { planTiming, totalMs } from './latency.js';
import { ApiError, errors } from './provider-errors.js';
import type { Random } from '../core/random.js';
import { writeStream } from './sse.js';
import type { SimState } from './state.js';
import { countTexts, fragmentBytes, generateAnswer, type GeneratedAnswer, type ModelRuntime } from './text.js';
import { messageTexts, optionalBool, optionalInt, requireArray, requireString, type Body } from './validate.js';

const OPENAI_ROLES = ['developer', 'system', 'user', 'assistant', 'tool', 'function'] as const;

export interface ChatPlan {
  modelName: string;
  rt: ModelRuntime;
  inputTokens: number;
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
}

/** Validates a chat request (live or a batch line) and counts its input; throws ApiError. */
export async function prepareChat(state: SimState, body: Body): Promise<ChatPlan> {
  const modelName = requireString('openai', body, 'model');
  const messages = requireArray('openai', body, 'messages');
  const maxCompletion = optionalInt('openai', body, 'max_completion_tokens', 1);
  const maxTokens = maxCompletion ?? optionalInt('openai', body, 'max_tokens', 1);
  const stream = optionalBool('openai', body, 'stream') ?? false;
  const so = body.stream_options;
  if (so !== undefined && so !== null && !stream) throw errors.invalidValue('openai', 'stream_options', "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
  const includeUsage = !!so && typeof so === 'object' && (so as Body).include_usage === true;
  const texts = messageTexts('openai', messages, OPENAI_ROLES);
  const model = state.findModel(modelName);
  // A retired model answers as the provider answers a name it no longer serves.
  if (!model || model.lifecycle.status === 'retired') throw errors.unknownModel('openai', modelName);
  if (model.kind === 'embedding') throw errors.invalidValue('openai', 'model', `The model \`${modelName}\` is an embedding model and does not support chat completions.`);
  if (maxTokens !== undefined && model.max_output !== undefined && maxTokens > model.max_output) {
    throw errors.invalidValue('openai', maxCompletion !== undefined ? 'max_completion_tokens' : 'max_tokens', `max_tokens is too large: ${maxTokens}. This model supports at most ${model.max_output} completion tokens, whereas you provided ${maxTokens}.`);
  }
  const rt = await state.runtime(model);
  const inputTokens = countTexts(rt, texts);
  if (model.context_window !== undefined && inputTokens > model.context_window) {
    throw new ApiError(400, 'invalid_request_error', `This model's maximum context length is ${model.context_window} tokens. However, your messages resulted in ${inputTokens} tokens. Please reduce the length of the messages.`, 'context_length_exceeded', 'messages');
  }
  return { modelName, rt, inputTokens, maxTokens, stream, includeUsage };
}

export function usageOf(plan: ChatPlan, answer: GeneratedAnswer) {
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: answer.outputTokens,
    total_tokens: plan.inputTokens + answer.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export function completionObject(plan: ChatPlan, answer: GeneratedAnswer, id: string, created: number) {
  return {
    id,
    object: 'chat.completion',
    created,
    model: plan.modelName,
    choices: [{ index: 0, message: { role: 'assistant', content: answer.text, refusal: null, annotations: [] }, logprobs: null, finish_reason: answer.truncated ? 'length' : 'stop' }],
    usage: usageOf(plan, answer),
    service_tier: 'default',
    system_fingerprint: null,
  };
}

/** A chat completion as a batch item computes it (no latency, no stream). */
export function completeChat(state: SimState, plan: ChatPlan, rng: Random) {
  const answer = generateAnswer(plan.rt, rng, plan.maxTokens);
  return completionObject(plan, answer, state.id('chatcmpl-'), Math.floor(state.nowMs() / 1000));
}

export async function handleChat(x: Exchange): Promise<void> {
  const plan = await prepareChat(x.state, await x.readJson());
  const admitted = admit(x, plan.modelName, plan.inputTokens, plan.maxTokens ?? plan.rt.model.max_output ?? 4096);
  if (admitted.hang) return x.hang();
  const answer = generateAnswer(plan.rt, x.rng, plan.maxTokens);
  const timing = planTiming(plan.rt.model, x.state.scale, x.rng);
  const fault = x.fault(STREAM_FAULTS);
  const id = x.state.id('chatcmpl-');
  const created = Math.floor(x.state.nowMs() / 1000);

  if (!plan.stream) {
    if (!(await x.wait(totalMs(timing, answer.outputTokens) + (fault === 'stall' ? x.state.stallMs : 0)))) return;
    if (fault === 'drop') return x.drop();
    const body = JSON.stringify(completionObject(plan, answer, id, created));
    // A body cut in the middle, as a broken proxy delivers it: the client's JSON parse fails.
    if (fault === 'malformed') return x.send(200, body.slice(0, body.length >> 1), 'application/json', admitted.headers);
    return x.send(200, body, 'application/json', admitted.headers);
  }

  // Chunks share their id, created and model; only the choice part differs (and is reused across requests).
  const usageNull = plan.includeUsage ? ',"usage":null' : '';
  const prefix = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(plan.modelName)},"service_tier":"default","system_fingerprint":null,"choices":[`;
  const kind = plan.includeUsage ? 'openai-chunk-usage' : 'openai-chunk';
  const make = (p: string) => `{"index":0,"delta":{"content":${JSON.stringify(p)}},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`;
  const tokens = answer.pieces.map((p) => fragmentBytes(kind, p, make));
  let tail = `${prefix}{"index":0,"delta":{},"logprobs":null,"finish_reason":"${answer.truncated ? 'length' : 'stop'}"}]${usageNull}}\n\n`;
  if (plan.includeUsage) tail += `${prefix}],"usage":${JSON.stringify(usageOf(plan, answer))}}\n\n`;
  tail += 'data: [DONE]\n\n';
  await writeStream(
    x,
    {
      head: [Buffer.from(`${prefix}{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`)],
      tokenPrefix: Buffer.from(prefix),
      tokens,
      tail: [Buffer.from(tail)],
      broken: () => Buffer.from(`${prefix}{"index":0,"delta":{"content":\n\n`),
    },
    timing,
    fault,
    admitted.headers,
  );
}
