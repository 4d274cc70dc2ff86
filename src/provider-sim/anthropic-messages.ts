// Anthropic messages: POST /v1/messages (plain and the SSE event sequence) and /v1/messages/count_tokens.
import { DEFAULT_MAX_OUTPUT } from './limits.js';
import { admit } from './admission.js';
import type { Exchange } from './exchange.js';
import { STREAM_FAULTS } from './faults.js';
import { planTiming, totalMs } from './latency.js';
import { checkSchema, contentFault, planOutput, SchemaError, visibleTiming, type OutputPlan, type OutputSpec, type RequestPlan, type ToolChoice, type ToolSpec } from './output.js';
import { ApiError, errors } from './provider-errors.js';
import type { Random } from '../core/random.js';
import { writeStream } from './sse.js';
import type { SimState } from './state.js';
import { answerFragments, countFramed } from './text.js';
import { ANTHROPIC_FRAMING } from './usage-model.js';
import { contentTexts, messageParts, optionalBool, optionalInt, optionalNumberIn, requireArray, requireString, type Body } from './validate.js';
import type { Schema } from './structured.js';

const ANTHROPIC_ROLES = ['user', 'assistant'] as const;

export interface MessagePlan extends RequestPlan {
  maxTokens: number;
  stream: boolean;
}

function anthropicSchema(schema: unknown, field: string): Schema {
  if (!schema || typeof schema !== 'object') throw errors.missing('anthropic', field);
  try {
    checkSchema(schema as Schema);
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    throw errors.invalidValue('anthropic', field, `JSON schema is invalid or cannot be satisfied: ${e.message} (at ${e.where})`);
  }
  return schema as Schema;
}

function anthropicTools(body: Body): { specs: ToolSpec[]; choice: ToolChoice; texts: string[] } {
  const tools = body.tools;
  const specs: ToolSpec[] = [];
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) throw errors.wrongType('anthropic', 'tools', 'a valid list', tools);
    tools.forEach((t, i) => {
      if (!t || typeof t !== 'object') throw errors.wrongType('anthropic', `tools.${i}`, 'a valid dictionary', t);
      const tool = t as Body;
      // Server tools (web_search_…, bash_…) have a type and no input_schema: accepted, never called here.
      if (tool.type !== undefined && tool.type !== 'custom') return;
      if (typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name)) throw errors.invalidValue('anthropic', `tools.${i}.custom.name`, `String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
      specs.push({ name: tool.name, schema: anthropicSchema(tool.input_schema, `tools.${i}.custom.input_schema`) });
    });
  }
  const tc = body.tool_choice as Body | undefined | null;
  let choice: ToolChoice = { mode: 'auto' };
  if (tc !== undefined && tc !== null) {
    if (typeof tc !== 'object') throw errors.wrongType('anthropic', 'tool_choice', 'a valid dictionary', tc);
    if (tc.type === 'any') choice = { mode: 'required' };
    else if (tc.type === 'none') choice = { mode: 'none' };
    else if (tc.type === 'tool') {
      if (typeof tc.name !== 'string') throw errors.missing('anthropic', 'tool_choice.tool.name');
      if (!specs.some((s) => s.name === tc.name)) throw errors.invalidValue('anthropic', 'tool_choice.name', `Tool '${tc.name}' not found in provided tools`);
      choice = { mode: 'tool', name: tc.name };
    } else if (tc.type !== 'auto') throw errors.invalidValue('anthropic', 'tool_choice.type', `Input tag '${String(tc.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`);
  }
  if ((choice.mode === 'required' || choice.mode === 'tool') && specs.length === 0) throw errors.invalidValue('anthropic', 'tool_choice', 'tool_choice may only be specified while providing tools.');
  return { specs, choice, texts: tools ? [JSON.stringify(tools)] : [] };
}

/** Structured output: output_config.format (current) or output_format (the beta's name). */
function anthropicFormat(body: Body): OutputSpec['format'] {
  const config = body.output_config as Body | undefined | null;
  const format = (config && typeof config === 'object' ? config.format : undefined) ?? body.output_format;
  if (format === undefined || format === null) return undefined;
  const f = format as Body;
  const field = body.output_format !== undefined ? 'output_format' : 'output_config.format';
  if (typeof f !== 'object' || f.type !== 'json_schema') throw errors.invalidValue('anthropic', `${field}.type`, `Input tag '${String(f?.type)}' found using 'type' does not match any of the expected tags: 'json_schema'`);
  return { schema: anthropicSchema(f.schema, `${field}.schema`) };
}

/** Validates a messages request (live, count_tokens or a batch item) and counts its input; throws ApiError. */
export async function prepareMessage(state: SimState, body: Body, opts: { requireMaxTokens: boolean }): Promise<MessagePlan> {
  const modelName = requireString('anthropic', body, 'model');
  const maxTokens = optionalInt('anthropic', body, 'max_tokens', 1);
  if (opts.requireMaxTokens && maxTokens === undefined) throw errors.missing('anthropic', 'max_tokens');
  const messages = requireArray('anthropic', body, 'messages');
  const stream = optionalBool('anthropic', body, 'stream') ?? false;
  optionalNumberIn('anthropic', body, 'temperature', 0, 1);
  optionalNumberIn('anthropic', body, 'top_p', 0, 1);
  optionalInt('anthropic', body, 'top_k', 0);
  const parts = messageParts('anthropic', messages, ANTHROPIC_ROLES);
  const system: string[] = [];
  contentTexts('anthropic', body.system, 'system', system);
  const model = state.findModel(modelName);
  // A retired model answers as the provider answers a name it no longer serves.
  if (!model || model.lifecycle.status === 'retired') throw errors.unknownModel('anthropic', modelName);
  if (model.kind === 'embedding') throw errors.invalidValue('anthropic', 'model', `${modelName} does not support messages`);
  if (maxTokens !== undefined && model.max_output !== undefined && maxTokens > model.max_output) {
    throw errors.invalidValue('anthropic', 'max_tokens', `${maxTokens} > ${model.max_output}, which is the maximum allowed number of output tokens for ${model.id}`);
  }
  const tools = anthropicTools(body);
  const format = anthropicFormat(body);
  const rt = await state.runtime(model);
  const extra = [...system, ...tools.texts];
  if (format && 'schema' in format) extra.push(JSON.stringify(format.schema));
  const inputTokens = await countFramed(rt, parts, ANTHROPIC_FRAMING, extra);
  if (model.context_window !== undefined && inputTokens > model.context_window) throw new ApiError(400, undefined, `prompt is too long: ${inputTokens} tokens > ${model.context_window} maximum`);
  const lastMessage = messages[messages.length - 1] as Body;
  const afterToolResult = Array.isArray(lastMessage.content) && lastMessage.content.some((b) => b && typeof b === 'object' && (b as Body).type === 'tool_result');
  const spec: OutputSpec = { format, tools: tools.specs, toolChoice: tools.choice, afterToolResult, reasoningRatio: 0 };
  return { modelName, model, rt, inputTokens, maxTokens: maxTokens ?? model.max_output ?? DEFAULT_MAX_OUTPUT, stream, spec };
}

function usageOf(plan: MessagePlan, outputTokens: number, serviceTier: string) {
  return { input_tokens: plan.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens, service_tier: serviceTier };
}

function stopReason(out: OutputPlan): string {
  if (out.truncated) return 'max_tokens';
  return out.toolCalls.length > 0 ? 'tool_use' : 'end_turn';
}

/** A tool_use block's input must be an object: arguments the tool-error fault cut are sent as {} (they miss every required field). */
const toolInput = (input: unknown) => (input && typeof input === 'object' && !Array.isArray(input) ? input : {});

export function messageObject(plan: MessagePlan, out: OutputPlan, id: string, toolIds: string[], serviceTier = 'standard') {
  const content: unknown[] = out.toolCalls.length > 0 ? out.toolCalls.map((c, i) => ({ type: 'tool_use', id: toolIds[i], name: c.name, input: toolInput(c.input) })) : [{ type: 'text', text: out.answer.text }];
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: plan.modelName,
    content,
    stop_reason: stopReason(out),
    stop_sequence: null,
    usage: usageOf(plan, out.outputTokens + out.reasoningTokens, serviceTier),
  };
}

/** A message as a batch item computes it (no latency; usage.service_tier "batch"). */
export function completeMessage(state: SimState, plan: MessagePlan, rng: Random) {
  const out = planOutput(plan.rt, rng, plan.maxTokens, plan.spec);
  return messageObject(plan, out, state.id('msg_'), out.toolCalls.map(() => state.id('toolu_')), 'batch');
}

const event = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n`;
const EMPTY = Buffer.alloc(0);
const jsonDelta = (p: string) => event('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(p)}}}`);
const textDelta = (p: string) => event('content_block_delta', `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(p)}}}`);
const CONTENT_BLOCK_START = Buffer.from(event('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'));
const PING = Buffer.from(event('ping', '{"type": "ping"}'));
const CONTENT_BLOCK_STOP = Buffer.from(event('content_block_stop', '{"type":"content_block_stop","index":0}'));
const MESSAGE_STOP = Buffer.from(event('message_stop', '{"type":"message_stop"}'));
const BROKEN = Buffer.from(event('content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_de'));

export async function handleMessages(x: Exchange): Promise<void> {
  const plan = await prepareMessage(x.state, await x.readJson(), { requireMaxTokens: true });
  const admitted = admit(x, plan.modelName, plan.inputTokens, plan.maxTokens, { model: plan.model });
  if (admitted.hang) return x.hang();
  const broken = contentFault(x, plan.spec);
  const out = planOutput(plan.rt, x.rng, plan.maxTokens, plan.spec, broken);
  const timing = visibleTiming(planTiming(plan.rt.model, x.state.scale, x.rng), out.reasoningTokens);
  const fault = x.fault(STREAM_FAULTS);
  const id = x.state.id('msg_');
  const toolIds = out.toolCalls.map(() => x.state.id('toolu_'));

  if (!plan.stream) {
    if (!(await x.wait(totalMs(timing, out.outputTokens) + (fault === 'stall' ? x.state.stallMs : 0)))) return;
    if (fault === 'drop') return x.drop();
    const body = JSON.stringify(messageObject(plan, out, id, toolIds));
    if (fault === 'malformed') return x.send(200, body.slice(0, body.length >> 1), 'application/json', admitted.headers);
    return x.send(200, body, 'application/json', admitted.headers);
  }

  const start = { ...messageObject(plan, out, id, toolIds), content: [], stop_reason: null, usage: usageOf(plan, 1, 'standard') };
  const call = out.toolCalls[0];
  const blockStart = call
    ? Buffer.from(event('content_block_start', JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: toolIds[0], name: call.name, input: {} } })))
    : CONTENT_BLOCK_START;
  const tokens = call ? answerFragments(plan.rt, call.answer, 'anthropic-json', jsonDelta) : answerFragments(plan.rt, out.answer, 'anthropic-delta', textDelta);
  // message_delta carries cumulative usage: the whole output so far, and the input again.
  const finalUsage = { input_tokens: plan.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: out.outputTokens + out.reasoningTokens };
  await writeStream(
    x,
    {
      preamble: [Buffer.from(event('message_start', JSON.stringify({ type: 'message_start', message: start })))],
      head: [blockStart, PING],
      tokenPrefix: EMPTY,
      tokens,
      tail: [
        CONTENT_BLOCK_STOP,
        Buffer.from(event('message_delta', JSON.stringify({ type: 'message_delta', delta: { stop_reason: stopReason(out), stop_sequence: null }, usage: finalUsage }))),
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
