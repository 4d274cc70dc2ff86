// Anthropic messages: POST /v1/messages (plain and the SSE event sequence) and /v1/messages/count_tokens.
import { admit } from './admission.js';
import type { Exchange } from './exchange.js';
import { STREAM_FAULTS } from './faults.js';
import { planTiming, totalMs } from './latency.js';
import { ApiError, errors } from './provider-errors.js';
import type { Random } from '../core/random.js';
import { writeStream } from './sse.js';
import type { SimState } from './state.js';
import { countTexts, fragmentBytes, generateAnswer, type GeneratedAnswer, type ModelRuntime } from './text.js';
import { contentTexts, messageTexts, optionalBool, optionalInt, requireArray, requireString, type Body } from './validate.js';

const ANTHROPIC_ROLES = ['user', 'assistant'] as const;

export interface MessagePlan {
  modelName: string;
  rt: ModelRuntime;
  inputTokens: number;
  maxTokens: number;
  stream: boolean;
}

/** Validates a messages request (live, count_tokens or a batch item) and counts its input; throws ApiError. */
export async function prepareMessage(state: SimState, body: Body, opts: { requireMaxTokens: boolean }): Promise<MessagePlan> {
  const modelName = requireString('anthropic', body, 'model');
  let maxTokens = optionalInt('anthropic', body, 'max_tokens', 1);
  if (opts.requireMaxTokens && maxTokens === undefined) throw errors.missing('anthropic', 'max_tokens');
  const messages = requireArray('anthropic', body, 'messages');
  const stream = optionalBool('anthropic', body, 'stream') ?? false;
  const texts = messageTexts('anthropic', messages, ANTHROPIC_ROLES);
  contentTexts('anthropic', body.system, 'system', texts);
  const model = state.findModel(modelName);
  // A retired model answers as the provider answers a name it no longer serves.
  if (!model || model.lifecycle.status === 'retired') throw errors.unknownModel('anthropic', modelName);
  if (model.kind === 'embedding') throw errors.invalidValue('anthropic', 'model', `${modelName} does not support messages`);
  if (maxTokens !== undefined && model.max_output !== undefined && maxTokens > model.max_output) {
    throw errors.invalidValue('anthropic', 'max_tokens', `${maxTokens} > ${model.max_output}, which is the maximum allowed number of output tokens for ${model.id}`);
  }
  const rt = await state.runtime(model);
  const inputTokens = countTexts(rt, texts);
  if (model.context_window !== undefined && inputTokens > model.context_window) throw new ApiError(400, undefined, `prompt is too long: ${inputTokens} tokens > ${model.context_window} maximum`);
  return { modelName, rt, inputTokens, maxTokens: maxTokens ?? model.max_output ?? DEFAULT_MAX_TOKENS, stream };
}

/** The answer's length where neither the request nor the catalog gives a maximum. */
const DEFAULT_MAX_TOKENS = 4096;

function usageOf(plan: MessagePlan, outputTokens: number, serviceTier: string) {
  return { input_tokens: plan.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens, service_tier: serviceTier };
}

export function messageObject(plan: MessagePlan, answer: GeneratedAnswer, id: string, serviceTier = 'standard') {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: plan.modelName,
    content: [{ type: 'text', text: answer.text }],
    stop_reason: answer.truncated ? 'max_tokens' : 'end_turn',
    stop_sequence: null,
    usage: usageOf(plan, answer.outputTokens, serviceTier),
  };
}

/** A message as a batch item computes it (no latency; usage.service_tier "batch"). */
export function completeMessage(state: SimState, plan: MessagePlan, rng: Random) {
  return messageObject(plan, generateAnswer(plan.rt, rng, plan.maxTokens), state.id('msg_'), 'batch');
}

const event = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n`;
const EMPTY = Buffer.alloc(0);
const textDelta = (p: string) => event('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(p)}}}`);
const CONTENT_BLOCK_START = Buffer.from(event('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'));
const PING = Buffer.from(event('ping', '{"type": "ping"}'));
const CONTENT_BLOCK_STOP = Buffer.from(event('content_block_stop', '{"type":"content_block_stop","index":0}'));
const MESSAGE_STOP = Buffer.from(event('message_stop', '{"type":"message_stop"}'));
const BROKEN = Buffer.from(event('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_de'));

export async function handleMessages(x: Exchange): Promise<void> {
  const plan = await prepareMessage(x.state, await x.readJson(), { requireMaxTokens: true });
  const admitted = admit(x, plan.modelName, plan.inputTokens, plan.maxTokens);
  if (admitted.hang) return x.hang();
  const answer = generateAnswer(plan.rt, x.rng, plan.maxTokens);
  const timing = planTiming(plan.rt.model, x.state.scale, x.rng);
  const fault = x.fault(STREAM_FAULTS);
  const id = x.state.id('msg_');

  if (!plan.stream) {
    if (!(await x.wait(totalMs(timing, answer.outputTokens) + (fault === 'stall' ? x.state.stallMs : 0)))) return;
    if (fault === 'drop') return x.drop();
    const body = JSON.stringify(messageObject(plan, answer, id));
    if (fault === 'malformed') return x.send(200, body.slice(0, body.length >> 1), 'application/json', admitted.headers);
    return x.send(200, body, 'application/json', admitted.headers);
  }

  const start = { ...messageObject(plan, answer, id), content: [], stop_reason: null, usage: usageOf(plan, 1, 'standard') };
  const tokens = answer.pieces.map((p) => fragmentBytes('anthropic-delta', p, textDelta));
  // message_delta carries cumulative usage: the whole output so far, and the input again.
  const finalUsage = { input_tokens: plan.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: answer.outputTokens };
  await writeStream(
    x,
    {
      head: [Buffer.from(event('message_start', JSON.stringify({ type: 'message_start', message: start }))), CONTENT_BLOCK_START, PING],
      tokenPrefix: EMPTY,
      tokens,
      tail: [
        CONTENT_BLOCK_STOP,
        Buffer.from(event('message_delta', JSON.stringify({ type: 'message_delta', delta: { stop_reason: answer.truncated ? 'max_tokens' : 'end_turn', stop_sequence: null }, usage: finalUsage }))),
        MESSAGE_STOP,
      ],
      broken: () => BROKEN,
    },
    timing,
    fault,
    admitted.headers,
  );
}

export async function handleCountTokens(x: Exchange): Promise<void> {
  const plan = await prepareMessage(x.state, await x.readJson(), { requireMaxTokens: false });
  x.json({ input_tokens: plan.inputTokens });
}
