// OpenAI Responses API: POST /v1/responses (plain, and SSE with its typed events: response.created,
// response.in_progress, output_item.added, content_part.added, output_text.delta…, output_text.done,
// content_part.done, output_item.done, response.completed — or response.incomplete / response.failed),
// GET and DELETE /v1/responses/{id}, POST /v1/responses/input_tokens; reasoning items, function calls,
// text.format json_schema, service_tier with flex's shed.
import { DEFAULT_MAX_OUTPUT } from './limits.js';
import { admit } from './admission.js';
import type { Exchange } from './exchange.js';
import { STREAM_FAULTS } from './faults.js';
import { planTiming, totalMs } from './latency.js';
import { checkOpenAISchema, functionTools, reasoningEffort, serviceTier, toolChoice } from './openai-common.js';
import { contentFault, planOutput, visibleTiming, type OutputPlan, type OutputSpec, type RequestPlan } from './output.js';
import { ApiError, errors } from './provider-errors.js';
import type { Random } from '../core/random.js';
import { writeStream } from './sse.js';
import { perSimulator, type SimState } from './state.js';
import { countFramed } from './text.js';
import { OPENAI_FRAMING, reasoningRatio } from './usage-model.js';
import { contentTexts, optionalBool, optionalInt, optionalNumberIn, requireString, type Body, type MessageParts } from './validate.js';

const ROLES = ['user', 'assistant', 'system', 'developer'];

export interface ResponsesPlan extends RequestPlan {
  stream: boolean;
  store: boolean;
  tier: { requested: string | undefined; used: string };
  effort: string | undefined;
  /** Request fields echoed in the response object. */
  echo: Record<string, unknown>;
}

interface Stored {
  body: string;
  inputTokens: number;
  outputTokens: number;
}

/** Responses kept for GET and previous_response_id (the most recent ones; older ones are forgotten). */
const MAX_STORED = 2000;
const stored = perSimulator<Stored>();

function remember(state: SimState, id: string, s: Stored): void {
  const m = stored(state);
  if (m.size >= MAX_STORED) m.delete(m.keys().next().value!);
  m.set(id, s);
}

/** The input items as messages the model reads (with OpenAI's framing). */
function inputParts(input: unknown, instructions: unknown): { parts: MessageParts[]; afterToolResult: boolean } {
  const parts: MessageParts[] = [];
  if (typeof instructions === 'string') parts.push({ role: 'developer', texts: [instructions] });
  else if (instructions !== undefined && instructions !== null) throw errors.wrongType('openai', 'instructions', 'a string', instructions);
  if (typeof input === 'string') {
    parts.push({ role: 'user', texts: [input] });
    return { parts, afterToolResult: false };
  }
  if (input === undefined || input === null) return { parts, afterToolResult: false };
  if (!Array.isArray(input)) throw errors.wrongType('openai', 'input', 'a string or an array of input items', input);
  let last: string | undefined;
  input.forEach((item, i) => {
    const field = `input[${i}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw errors.wrongType('openai', field, 'an object', item);
    const it = item as Body;
    const type = typeof it.type === 'string' ? it.type : 'message';
    last = type;
    if (type === 'message') {
      if (typeof it.role !== 'string' || !ROLES.includes(it.role)) throw errors.invalidValue('openai', `${field}.role`, `Invalid value: '${String(it.role)}'. Supported values are: ${ROLES.map((r) => `'${r}'`).join(', ')}.`);
      const texts: string[] = [];
      contentTexts('openai', it.content, `${field}.content`, texts);
      parts.push({ role: it.role, texts });
    } else if (type === 'function_call') {
      parts.push({ role: 'assistant', texts: [String(it.name ?? ''), String(it.arguments ?? '')] });
    } else if (type === 'function_call_output') {
      parts.push({ role: 'tool', texts: [typeof it.output === 'string' ? it.output : JSON.stringify(it.output ?? '')] });
    }
    // reasoning and item_reference items carry nothing the simulator counts.
  });
  return { parts, afterToolResult: last === 'function_call_output' };
}

function textFormat(body: Body): OutputSpec['format'] {
  const text = body.text as Body | undefined | null;
  const format = text && typeof text === 'object' ? (text.format as Body | undefined) : undefined;
  if (!format || typeof format !== 'object' || format.type === 'text' || format.type === undefined) return undefined;
  if (format.type === 'json_object') return { jsonObject: true };
  if (format.type === 'json_schema') {
    if (typeof format.name !== 'string') throw errors.missing('openai', 'text.format.name');
    return { schema: checkOpenAISchema(format.schema, `response_format '${format.name}'`, 'text.format.schema', format.strict === true) };
  }
  throw errors.invalidValue('openai', 'text.format.type', `Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.`);
}

/** Validates a Responses request (live, count or batch line) and counts its input; throws ApiError. */
export async function prepareResponses(state: SimState, body: Body): Promise<ResponsesPlan> {
  const modelName = requireString('openai', body, 'model');
  const maxTokens = optionalInt('openai', body, 'max_output_tokens', 16);
  optionalNumberIn('openai', body, 'temperature', 0, 2);
  optionalNumberIn('openai', body, 'top_p', 0, 1);
  const stream = optionalBool('openai', body, 'stream') ?? false;
  const store = optionalBool('openai', body, 'store') ?? true;
  const { parts, afterToolResult } = inputParts(body.input, body.instructions);
  const tier = serviceTier(body);
  const reasoning = body.reasoning as Body | undefined | null;
  const effort = reasoningEffort(reasoning && typeof reasoning === 'object' ? reasoning.effort : undefined, 'reasoning.effort');
  const model = state.findModel(modelName);
  if (!model || model.lifecycle.status === 'retired') throw errors.unknownModel('openai', modelName);
  if (model.kind === 'embedding') throw errors.invalidValue('openai', 'model', `The model \`${modelName}\` is an embedding model and does not support the Responses API.`);
  if (maxTokens !== undefined && model.max_output !== undefined && maxTokens > model.max_output) throw errors.invalidValue('openai', 'max_output_tokens', `max_output_tokens is too large: ${maxTokens}. This model supports at most ${model.max_output} output tokens.`);
  const tools = functionTools(body.tools, false);
  const choice = toolChoice(body.tool_choice, tools.specs, false);
  const format = textFormat(body);
  const rt = await state.runtime(model);
  const extra = [...tools.texts];
  if (format && 'schema' in format) extra.push(JSON.stringify(format.schema));
  let inputTokens = await countFramed(rt, parts, OPENAI_FRAMING, extra);
  // The previous response's input and output are part of this one's context (and billed as input).
  const previous = body.previous_response_id;
  if (previous !== undefined && previous !== null) {
    const prev = typeof previous === 'string' ? stored(state).get(previous) : undefined;
    if (!prev) throw new ApiError(400, 'invalid_request_error', `Previous response with id '${String(previous)}' not found.`, 'previous_response_not_found', 'previous_response_id');
    inputTokens += prev.inputTokens + prev.outputTokens;
  }
  if (parts.length === 0) throw errors.missing('openai', 'input');
  if (model.context_window !== undefined && inputTokens > model.context_window) {
    throw new ApiError(400, 'invalid_request_error', `Your input exceeds the context window of this model. Please adjust your input and try again.`, 'context_length_exceeded', 'input');
  }
  const spec: OutputSpec = { format, tools: tools.specs, toolChoice: choice, afterToolResult, reasoningRatio: reasoningRatio(model, effort) };
  const echo = {
    instructions: body.instructions ?? null,
    max_output_tokens: maxTokens ?? null,
    metadata: body.metadata ?? {},
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: previous ?? null,
    temperature: body.temperature ?? 1,
    text: { format: body.text && typeof body.text === 'object' && (body.text as Body).format ? (body.text as Body).format : { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    user: body.user ?? null,
  };
  return { modelName, model, rt, inputTokens, maxTokens, stream, store, spec, tier, effort, echo };
}

interface Ids {
  id: string;
  reasoningId: string;
  messageId: string;
  callIds: Array<{ itemId: string; callId: string }>;
}

function newIds(state: SimState, out: OutputPlan): Ids {
  return { id: state.id('resp_'), reasoningId: state.id('rs_'), messageId: state.id('msg_'), callIds: out.toolCalls.map(() => ({ itemId: state.id('fc_'), callId: state.id('call_') })) };
}

function usageOf(plan: ResponsesPlan, out: OutputPlan) {
  const output = out.outputTokens + out.reasoningTokens;
  return { input_tokens: plan.inputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: out.reasoningTokens }, total_tokens: plan.inputTokens + output };
}

const outputText = (text: string) => ({ type: 'output_text', annotations: [], logprobs: [], text });

function outputItems(out: OutputPlan, ids: Ids) {
  const items: unknown[] = [];
  if (out.reasoningTokens > 0) items.push({ id: ids.reasoningId, type: 'reasoning', summary: [] });
  if (out.toolCalls.length > 0) {
    out.toolCalls.forEach((c, i) => items.push({ id: ids.callIds[i]!.itemId, type: 'function_call', status: 'completed', arguments: c.arguments, call_id: ids.callIds[i]!.callId, name: c.name }));
  } else {
    items.push({ id: ids.messageId, type: 'message', status: out.truncated ? 'incomplete' : 'completed', content: [outputText(out.answer.text)], role: 'assistant' });
  }
  return items;
}

function responseObject(plan: ResponsesPlan, ids: Ids, createdAt: number, status: string, out: OutputPlan | undefined, extra?: Record<string, unknown>) {
  return {
    id: ids.id,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    ...plan.echo,
    model: plan.modelName,
    output: out ? outputItems(out, ids) : [],
    reasoning: { effort: plan.spec.reasoningRatio > 0 ? (plan.effort ?? 'medium') : null, summary: null },
    service_tier: plan.tier.used,
    store: plan.store,
    usage: out ? usageOf(plan, out) : null,
    ...extra,
  };
}

const finalStatus = (out: OutputPlan) => (out.truncated ? 'incomplete' : 'completed');

/** A response as a batch item computes it (no latency, no stream). */
export function completeResponses(state: SimState, plan: ResponsesPlan, rng: Random) {
  const out = planOutput(plan.rt, rng, plan.maxTokens, plan.spec);
  const ids = newIds(state, out);
  const obj = responseObject(plan, ids, Math.floor(state.nowMs() / 1000), finalStatus(out), out);
  return { body: obj, inputTokens: plan.inputTokens, outputTokens: out.outputTokens + out.reasoningTokens, reasoningTokens: out.reasoningTokens };
}

/** JSON strings of answer pieces, remembered (the vocabulary is small; this is the streaming hot path). */
const pieceJson = new Map<string, string>();

/** The rest of each output_text.delta event after the shared prefix: `"piece","logprobs":[],"sequence_number":n}`. */
function deltaSuffixes(pieces: readonly string[], firstSeq: number): Buffer[] {
  const texts = pieces.map((p, k) => {
    let j = pieceJson.get(p);
    if (j === undefined) {
      j = JSON.stringify(p);
      if (pieceJson.size < 4096) pieceJson.set(p, j);
    }
    return `${j},"logprobs":[],"sequence_number":${firstSeq + k}}\n\n`;
  });
  let total = 0;
  for (const t of texts) total += Buffer.byteLength(t);
  const all = Buffer.allocUnsafe(total);
  let at = 0;
  return texts.map((t) => {
    const n = all.write(t, at);
    const b = all.subarray(at, at + n);
    at += n;
    return b;
  });
}

const sse = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export async function handleResponses(x: Exchange): Promise<void> {
  const plan = await prepareResponses(x.state, await x.readJson());
  const admitted = admit(x, plan.modelName, plan.inputTokens, plan.maxTokens ?? plan.model.max_output ?? DEFAULT_MAX_OUTPUT, { model: plan.model, serviceTier: plan.tier.requested, inBand500: plan.stream });
  if (admitted.hang) return x.hang();
  const failsInStream = plan.stream && x.fault(['500']) === '500';
  const broken = contentFault(x, plan.spec);
  const out = planOutput(plan.rt, x.rng, plan.maxTokens, plan.spec, broken);
  const timing = visibleTiming(planTiming(plan.rt.model, x.state.scale, x.rng), out.reasoningTokens);
  const fault = x.fault(STREAM_FAULTS);
  const ids = newIds(x.state, out);
  const createdAt = Math.floor(x.state.nowMs() / 1000);
  const done = responseObject(plan, ids, createdAt, finalStatus(out), out);
  const doneText = JSON.stringify(done);
  // A response that fails in its stream is not kept (the real API keeps it as failed; nothing reads that here).
  if (plan.store && !failsInStream) remember(x.state, ids.id, { body: doneText, inputTokens: plan.inputTokens, outputTokens: out.outputTokens + out.reasoningTokens });

  if (!plan.stream) {
    if (!(await x.wait(totalMs(timing, out.outputTokens) + (fault === 'stall' ? x.state.stallMs : 0)))) return;
    if (fault === 'drop') return x.drop();
    if (fault === 'malformed') return x.send(200, doneText.slice(0, doneText.length >> 1), 'application/json', admitted.headers);
    return x.send(200, doneText, 'application/json', admitted.headers);
  }

  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) => Buffer.from(sse(type, { ...data, sequence_number: seq++ }));
  // Events that carry the whole response reuse its JSON (serialized once) rather than encode it again.
  const withResponse = (type: string, responseJson: string) => Buffer.from(`event: ${type}\ndata: {"type":"${type}","response":${responseJson},"sequence_number":${seq++}}\n\n`);
  const pendingText = JSON.stringify(responseObject(plan, ids, createdAt, 'in_progress', undefined));
  const preamble = [withResponse('response.created', pendingText), withResponse('response.in_progress', pendingText)];
  const head: Buffer[] = [];
  let index = 0;
  if (out.reasoningTokens > 0) {
    const item = { id: ids.reasoningId, type: 'reasoning', summary: [] };
    preamble.push(ev('response.output_item.added', { output_index: 0, item }));
    head.push(ev('response.output_item.done', { output_index: 0, item }));
    index = 1;
  }
  const tokens: Buffer[] = [];
  let tokenPrefix = Buffer.alloc(0);
  const tail: Buffer[] = [];
  const call = out.toolCalls[0];
  if (call) {
    const { itemId, callId } = ids.callIds[0]!;
    head.push(ev('response.output_item.added', { output_index: index, item: { id: itemId, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name: call.name } }));
    for (const p of call.answer.pieces) tokens.push(ev('response.function_call_arguments.delta', { item_id: itemId, output_index: index, delta: p }));
    tail.push(ev('response.function_call_arguments.done', { item_id: itemId, output_index: index, name: call.name, arguments: call.arguments }));
    tail.push(ev('response.output_item.done', { output_index: index, item: { id: itemId, type: 'function_call', status: 'completed', arguments: call.arguments, call_id: callId, name: call.name } }));
  } else {
    const item = { id: ids.messageId, type: 'message', status: 'in_progress', content: [], role: 'assistant' };
    head.push(ev('response.output_item.added', { output_index: index, item }));
    head.push(ev('response.content_part.added', { item_id: ids.messageId, output_index: index, content_index: 0, part: outputText('') }));
    // One event per token: the delta events carry the text, piece by piece. Each event is the request's
    // prefix (shared) and a suffix with the piece and its sequence number, all suffixes in one buffer.
    tokenPrefix = Buffer.from(`event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"${ids.messageId}","output_index":${index},"content_index":0,"delta":`);
    tokens.push(...deltaSuffixes(out.answer.pieces, seq));
    seq += out.answer.pieces.length;
    const text = out.answer.text;
    tail.push(ev('response.output_text.done', { item_id: ids.messageId, output_index: index, content_index: 0, text, logprobs: [] }));
    tail.push(ev('response.content_part.done', { item_id: ids.messageId, output_index: index, content_index: 0, part: outputText(text) }));
    tail.push(ev('response.output_item.done', { output_index: index, item: { ...item, status: out.truncated ? 'incomplete' : 'completed', content: [outputText(text)] } }));
  }
  // A server error after the stream began: the real API ends the stream with response.failed.
  if (failsInStream) {
    const failed = responseObject(plan, ids, createdAt, 'failed', undefined, { error: { code: 'server_error', message: 'The server had an error processing your request. Sorry about that! You can retry your request.' } });
    await writeStream(x, { preamble, head: [ev('response.failed', { response: failed })], tokenPrefix: Buffer.alloc(0), tokens: [], tail: [], broken: () => Buffer.alloc(0) }, timing, undefined, admitted.headers);
    return;
  }
  tail.push(withResponse(out.truncated ? 'response.incomplete' : 'response.completed', doneText));
  await writeStream(
    x,
    { preamble, head, tokenPrefix, tokens, tail, broken: () => Buffer.from(`event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"${ids.messageId}","del\n\n`) },
    timing,
    fault,
    admitted.headers,
  );
}

export function handleGetResponse(x: Exchange, id: string): void {
  const s = stored(x.state).get(id);
  if (!s) throw errors.notFound('openai', 'response', id);
  x.send(200, s.body);
}

export function handleDeleteResponse(x: Exchange, id: string): void {
  if (!stored(x.state).delete(id)) throw errors.notFound('openai', 'response', id);
  x.json({ id, object: 'response', deleted: true });
}

/** POST /v1/responses/input_tokens: the input count of a Responses request, framing included. */
export async function handleResponsesInputTokens(x: Exchange): Promise<void> {
  const plan = await prepareResponses(x.state, await x.readJson());
  x.json({ object: 'response.input_tokens', input_tokens: plan.inputTokens });
}

export { ApiError };
