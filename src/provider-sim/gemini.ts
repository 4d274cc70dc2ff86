// The Gemini API (Developer API, v1beta): models/{model}:generateContent, :streamGenerateContent?alt=sse,
// :countTokens, :embedContent, :batchEmbedContents, GET models; function calling and responseSchema /
// responseJsonSchema; usageMetadata with thoughtsTokenCount; Gemini's error bodies; API key by
// x-goog-api-key or ?key=.
import { DEFAULT_MAX_OUTPUT } from './limits.js';
import type { Model } from '../core/catalog/schema.js';
import { hashText, seededRandom, type Random } from '../core/random.js';
import { tokenCounterFor, type TokenCounter } from '../core/tokens/tokenizer.js';
import { admit } from './admission.js';
import type { Exchange } from './exchange.js';
import { STREAM_FAULTS } from './faults.js';
import { planTiming, totalMs } from './latency.js';
import { checkSchema, contentFault, planOutput, SchemaError, visibleTiming, type OutputPlan, type OutputSpec, type RequestPlan, type ToolChoice, type ToolSpec } from './output.js';
import { ApiError, errors } from './provider-errors.js';
import { writeStream } from './sse.js';
import type { SimState } from './state.js';
import type { Schema } from './structured.js';
import { countFramed, countShared, fragmentBytes } from './text.js';
import { GEMINI_FRAMING, reasoningRatio } from './usage-model.js';
import type { Body, MessageParts } from './validate.js';

export type GeminiPlan = RequestPlan;

/** Requests must carry an API key (header or query), as the Gemini API requires. */
export function requireGeminiKey(x: Exchange): void {
  const header = x.req.headers['x-goog-api-key'];
  if ((typeof header === 'string' && header !== '') || x.query.get('key')) return;
  if (typeof x.req.headers.authorization === 'string') return; // OAuth bearer tokens (Vertex-style clients)
  throw new ApiError(403, undefined, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
}

/** The catalog's Gemini model for a path's model name ("gemini-2.5-flash" or "models/gemini-2.5-flash"). */
export function geminiModel(state: SimState, name: string, method: string): Model {
  const model = state.findModel(name);
  if (!model || model.provider !== 'google' || model.lifecycle.status === 'retired' || model.kind === 'embedding') throw errors.unknownModel('gemini', name, method);
  return model;
}

const isObj = (v: unknown): v is Body => v !== null && typeof v === 'object' && !Array.isArray(v);

function partTexts(part: Body, out: string[]): void {
  if (typeof part.text === 'string') out.push(part.text);
  const call = part.functionCall as Body | undefined;
  if (isObj(call)) out.push(String(call.name ?? ''), JSON.stringify(call.args ?? {}));
  const response = part.functionResponse as Body | undefined;
  if (isObj(response)) out.push(String(response.name ?? ''), JSON.stringify(response.response ?? {}));
}

/** The contents as messages, and whether the last turn is a function response. */
function contentsParts(contents: unknown): { parts: MessageParts[]; afterToolResult: boolean } {
  if (contents === undefined || contents === null) throw errors.missing('gemini', 'contents');
  const list = Array.isArray(contents) ? contents : [contents];
  if (list.length === 0) throw new ApiError(400, undefined, '* GenerateContentRequest.contents: contents is not specified');
  let afterToolResult = false;
  const parts = list.map((c, i) => {
    if (!isObj(c)) throw errors.wrongType('gemini', `contents[${i}]`, 'a Content object', c);
    const role = c.role === undefined ? 'user' : c.role;
    if (role !== 'user' && role !== 'model' && role !== 'function') throw errors.invalidValue('gemini', `contents[${i}].role`, `Please use a valid role: user, model.`);
    if (!Array.isArray(c.parts) || c.parts.length === 0) throw new ApiError(400, undefined, `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
    const texts: string[] = [];
    for (const p of c.parts) if (isObj(p)) partTexts(p, texts);
    afterToolResult = c.parts.some((p) => isObj(p) && isObj(p.functionResponse));
    return { role: String(role), texts };
  });
  return { parts, afterToolResult };
}

function geminiSchema(schema: unknown, field: string): Schema {
  if (!isObj(schema)) throw errors.wrongType('gemini', field, 'a Schema object', schema);
  try {
    checkSchema(schema);
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    throw new ApiError(400, undefined, `* GenerateContentRequest.${field}: ${e.message} (at ${e.where})`);
  }
  return schema;
}

function tools(body: Body): { specs: ToolSpec[]; choice: ToolChoice; texts: string[] } {
  const specs: ToolSpec[] = [];
  const list = body.tools;
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) throw errors.wrongType('gemini', 'tools', 'a list', list);
    list.forEach((t, i) => {
      if (!isObj(t)) return;
      const decls = t.functionDeclarations ?? t.function_declarations;
      if (!Array.isArray(decls)) return; // googleSearch, codeExecution, …: accepted, never called here
      decls.forEach((d, j) => {
        if (!isObj(d) || typeof d.name !== 'string') throw errors.missing('gemini', `tools[${i}].function_declarations[${j}].name`);
        const params = d.parametersJsonSchema ?? d.parameters ?? { type: 'object', properties: {} };
        specs.push({ name: d.name, schema: geminiSchema(params, `tools[${i}].function_declarations[${j}].parameters`) });
      });
    });
  }
  const config = isObj(body.toolConfig) ? body.toolConfig : isObj(body.tool_config) ? body.tool_config : undefined;
  const fcc = config && (isObj(config.functionCallingConfig) ? config.functionCallingConfig : isObj(config.function_calling_config) ? config.function_calling_config : undefined);
  const mode = typeof fcc?.mode === 'string' ? fcc.mode.toUpperCase() : 'AUTO';
  const allowed = Array.isArray(fcc?.allowedFunctionNames) ? (fcc!.allowedFunctionNames as string[]) : undefined;
  let choice: ToolChoice = { mode: 'auto' };
  if (mode === 'NONE') choice = { mode: 'none' };
  else if (mode === 'ANY' || mode === 'VALIDATED') choice = allowed?.length === 1 ? { mode: 'tool', name: allowed[0]! } : { mode: 'required' };
  else if (mode !== 'AUTO' && mode !== 'MODE_UNSPECIFIED') throw errors.invalidValue('gemini', 'tool_config.function_calling_config.mode', `Invalid value "${mode}"`);
  if (choice.mode === 'tool' && !specs.some((s) => s.name === (choice as { name: string }).name)) throw errors.invalidValue('gemini', 'tool_config.function_calling_config.allowed_function_names', 'names a function that is not declared');
  const allowedSpecs = allowed && choice.mode === 'required' ? specs.filter((s) => allowed.includes(s.name)) : specs;
  return { specs: allowedSpecs, choice, texts: list ? [JSON.stringify(list)] : [] };
}

/** Validates a generateContent request (live, count or batch item) and counts its input; throws ApiError. */
export async function prepareGemini(state: SimState, body: Body, modelName: string, method = 'generateContent'): Promise<GeminiPlan> {
  const model = geminiModel(state, modelName, method);
  const { parts, afterToolResult } = contentsParts(body.contents);
  const system: string[] = [];
  if (isObj(body.systemInstruction ?? body.system_instruction)) {
    const si = (body.systemInstruction ?? body.system_instruction) as Body;
    if (Array.isArray(si.parts)) for (const p of si.parts) if (isObj(p)) partTexts(p, system);
  }
  const gc = (isObj(body.generationConfig) ? body.generationConfig : isObj(body.generation_config) ? body.generation_config : {}) as Body;
  const maxTokens = gc.maxOutputTokens ?? gc.max_output_tokens;
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) throw errors.invalidValue('gemini', 'generation_config.max_output_tokens', `must be a positive integer, got ${JSON.stringify(maxTokens)}`);
  if (typeof maxTokens === 'number' && model.max_output !== undefined && maxTokens > model.max_output + 1) throw errors.invalidValue('gemini', 'generation_config.max_output_tokens', `The maximum number of output tokens for ${model.id} is ${model.max_output + 1}.`);
  const candidates = gc.candidateCount ?? gc.candidate_count;
  if (candidates !== undefined && (typeof candidates !== 'number' || !Number.isInteger(candidates) || candidates < 1 || candidates > 8)) throw errors.invalidValue('gemini', 'generation_config.candidate_count', `must be an integer between 1 and 8, got ${JSON.stringify(candidates) ?? 'Infinity'}`);
  for (const [camel, snake, max] of [['temperature', 'temperature', 2], ['topP', 'top_p', 1]] as const) {
    const v = gc[camel] ?? gc[snake];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)) throw errors.invalidValue('gemini', `generation_config.${snake}`, `must be a number between 0 and ${max}`);
  }
  const t = tools(body);
  const mime = gc.responseMimeType ?? gc.response_mime_type;
  const schema = gc.responseJsonSchema ?? gc.response_json_schema ?? gc._responseJsonSchema ?? gc.responseSchema ?? gc.response_schema;
  if (schema !== undefined && mime !== 'application/json') throw new ApiError(400, undefined, `* GenerateContentRequest.generation_config.response_mime_type: response_mime_type must be 'application/json' when response_schema is set.`);
  const format: OutputSpec['format'] = schema !== undefined ? { schema: geminiSchema(schema, 'generation_config.response_schema') } : mime === 'application/json' ? { jsonObject: true } : undefined;
  const thinking = isObj(gc.thinkingConfig) ? gc.thinkingConfig : isObj(gc.thinking_config) ? gc.thinking_config : undefined;
  const budget = typeof thinking?.thinkingBudget === 'number' ? thinking.thinkingBudget : typeof thinking?.thinking_budget === 'number' ? thinking.thinking_budget : undefined;
  const rt = await state.runtime(model);
  const extra = [...system, ...t.texts];
  if (format && 'schema' in format) extra.push(JSON.stringify(format.schema));
  const inputTokens = await countFramed(rt, parts, GEMINI_FRAMING, extra);
  if (model.context_window !== undefined && inputTokens > model.context_window) throw errors.invalidValue('gemini', 'contents', `The input token count (${inputTokens}) exceeds the maximum number of tokens allowed (${model.context_window}).`);
  const spec: OutputSpec = { format, tools: t.specs, toolChoice: t.choice, afterToolResult, reasoningRatio: reasoningRatio(model, undefined, budget) };
  return { modelName: model.id, model, rt, inputTokens, maxTokens: maxTokens as number | undefined, spec };
}

function finishReason(out: OutputPlan): string {
  return out.truncated ? 'MAX_TOKENS' : 'STOP';
}

function usageMetadata(plan: GeminiPlan, out: OutputPlan) {
  const u: Record<string, unknown> = {
    promptTokenCount: plan.inputTokens,
    candidatesTokenCount: out.outputTokens,
    totalTokenCount: plan.inputTokens + out.outputTokens + out.reasoningTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: plan.inputTokens }],
  };
  if (out.reasoningTokens > 0) u.thoughtsTokenCount = out.reasoningTokens;
  return u;
}

function candidateParts(out: OutputPlan): unknown[] {
  if (out.toolCalls.length > 0) return out.toolCalls.map((c) => ({ functionCall: { name: c.name, args: c.input && typeof c.input === 'object' ? c.input : {} } }));
  return [{ text: out.answer.text }];
}

export function geminiResponse(plan: GeminiPlan, out: OutputPlan, responseId: string) {
  return {
    candidates: [{ content: { parts: candidateParts(out), role: 'model' }, finishReason: finishReason(out), index: 0 }],
    usageMetadata: usageMetadata(plan, out),
    modelVersion: plan.model.id,
    responseId,
  };
}

/** The model name in a Gemini path segment ("gemini-2.5-flash"), unescaped. */
export function pathModel(segment: string): string {
  return decodeURIComponent(segment).replace(/^models\//, '');
}

export async function handleGenerateContent(x: Exchange, modelSegment: string, stream: boolean): Promise<void> {
  requireGeminiKey(x);
  const plan = await prepareGemini(x.state, await x.readJson(), pathModel(modelSegment), stream ? 'streamGenerateContent' : 'generateContent');
  const admitted = admit(x, plan.modelName, plan.inputTokens, plan.maxTokens ?? plan.model.max_output ?? DEFAULT_MAX_OUTPUT, { model: plan.model });
  if (admitted.hang) return x.hang();
  const broken = contentFault(x, plan.spec);
  const out = planOutput(plan.rt, x.rng, plan.maxTokens, plan.spec, broken);
  const timing = visibleTiming(planTiming(plan.model, x.state.scale, x.rng), out.reasoningTokens);
  const fault = x.fault(STREAM_FAULTS);
  const responseId = x.state.id('').replace(/^sim/, 'gem');

  if (!stream) {
    if (!(await x.wait(totalMs(timing, out.outputTokens) + (fault === 'stall' ? x.state.stallMs : 0)))) return;
    if (fault === 'drop') return x.drop();
    const body = JSON.stringify(geminiResponse(plan, out, responseId));
    if (fault === 'malformed') return x.send(200, body.slice(0, body.length >> 1), 'application/json', admitted.headers);
    return x.send(200, body, 'application/json', admitted.headers);
  }

  // One chunk per token; each carries the usage so far (prompt only until the last), as Gemini's chunks do.
  const tail = `,"usageMetadata":{"promptTokenCount":${plan.inputTokens},"totalTokenCount":${plan.inputTokens},"promptTokensDetails":[{"modality":"TEXT","tokenCount":${plan.inputTokens}}]},"modelVersion":${JSON.stringify(plan.model.id)},"responseId":"${responseId}"}\r\n\r\n`;
  const make = (p: string) => `data: {"candidates":[{"content":{"parts":[{"text":${JSON.stringify(p)}}],"role":"model"},"index":0}]`;
  const last = { candidates: [{ content: { parts: out.toolCalls.length > 0 ? candidateParts(out) : [{ text: '' }], role: 'model' }, finishReason: finishReason(out), index: 0 }], usageMetadata: usageMetadata(plan, out), modelVersion: plan.model.id, responseId };
  const tokens = out.toolCalls.length > 0 ? [] : out.answer.pieces.map((p) => Buffer.concat([fragmentBytes('gemini-text', p, make), Buffer.from(tail)]));
  await writeStream(
    x,
    {
      head: [],
      tokenPrefix: Buffer.alloc(0),
      tokens,
      tail: [Buffer.from(`data: ${JSON.stringify(last)}\r\n\r\n`)],
      broken: () => Buffer.from('data: {"candidates":[{"content":{"parts":[{"te\r\n\r\n'),
    },
    timing,
    fault,
    admitted.headers,
  );
}

export async function handleCountTokensGemini(x: Exchange, modelSegment: string): Promise<void> {
  requireGeminiKey(x);
  const body = await x.readJson();
  // Either the contents alone, or a whole generateContentRequest (system instruction and tools counted too).
  const inner = isObj(body.generateContentRequest) ? body.generateContentRequest : body;
  const plan = await prepareGemini(x.state, inner, pathModel(modelSegment), 'countTokens');
  x.json({ totalTokens: plan.inputTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: plan.inputTokens }] });
}

// ----- embeddings -----

/** Gemini embedding models served by name (the catalog lists none): their default dimensions. */
const GEMINI_EMBEDDING_MODELS: Record<string, number> = { 'gemini-embedding-001': 3072, 'text-embedding-004': 768, 'embedding-001': 768 };

let embeddingCounter: Promise<TokenCounter> | undefined;

function embedding(text: string, dimensions: number): number[] {
  const rng: Random = seededRandom(hashText(text));
  const v = Array.from({ length: dimensions }, () => rng.uniform() * 2 - 1);
  const norm = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
  return v.map((x) => x / norm);
}

async function embedOne(modelName: string, req: Body, field: string): Promise<{ values: number[]; tokens: number }> {
  const dims = GEMINI_EMBEDDING_MODELS[modelName];
  if (dims === undefined) throw errors.unknownModel('gemini', modelName, 'embedContent');
  const content = req.content as Body | undefined;
  if (!isObj(content) || !Array.isArray(content.parts)) throw errors.missing('gemini', `${field}.content`);
  const texts: string[] = [];
  for (const p of content.parts) if (isObj(p)) partTexts(p, texts);
  const d = req.outputDimensionality ?? req.output_dimensionality;
  if (d !== undefined && (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > dims)) throw errors.invalidValue('gemini', `${field}.output_dimensionality`, `must be between 1 and ${dims}`);
  embeddingCounter ??= tokenCounterFor({ encoding: 'o200k_base', factor: 1, approximate: true }, 'gemini');
  const counter = await embeddingCounter;
  let tokens = 0;
  for (const t of texts) tokens += await countShared(counter, t);
  return { values: embedding(texts.join('\n'), (d as number | undefined) ?? dims), tokens };
}

export async function handleEmbedContent(x: Exchange, modelSegment: string): Promise<void> {
  requireGeminiKey(x);
  const modelName = pathModel(modelSegment);
  const body = await x.readJson();
  const e = await embedOne(modelName, body, 'EmbedContentRequest');
  const admitted = admit(x, modelName, e.tokens, 0);
  if (admitted.hang) return x.hang();
  x.json({ embedding: { values: e.values } }, 200, admitted.headers);
}

export async function handleBatchEmbedContents(x: Exchange, modelSegment: string): Promise<void> {
  requireGeminiKey(x);
  const modelName = pathModel(modelSegment);
  const body = await x.readJson();
  if (!Array.isArray(body.requests) || body.requests.length === 0) throw errors.missing('gemini', 'requests');
  if (body.requests.length > 100) throw errors.invalidValue('gemini', 'requests', 'at most 100 requests are allowed per batch');
  const out: Array<{ values: number[]; tokens: number }> = [];
  for (const [i, r] of body.requests.entries()) {
    if (!isObj(r)) throw errors.wrongType('gemini', `requests[${i}]`, 'an EmbedContentRequest', r);
    if (typeof r.model === 'string' && pathModel(r.model) !== modelName) throw errors.invalidValue('gemini', `requests[${i}].model`, `Model "${r.model}" does not match the batch model models/${modelName}.`);
    out.push(await embedOne(modelName, r, `requests[${i}]`));
  }
  const admitted = admit(x, modelName, out.reduce((a, e) => a + e.tokens, 0), 0);
  if (admitted.hang) return x.hang();
  x.json({ embeddings: out.map((e) => ({ values: e.values })) }, 200, admitted.headers);
}

// ----- models -----

function geminiModelObject(m: Model) {
  return {
    name: `models/${m.id}`,
    version: '001',
    displayName: m.name,
    description: m.name,
    inputTokenLimit: m.context_window,
    outputTokenLimit: (m.max_output ?? DEFAULT_MAX_OUTPUT) + 1,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: /2\.5-(pro|flash)/.test(m.id),
  };
}

export function handleListGeminiModels(x: Exchange): void {
  requireGeminiKey(x);
  const models = x.state.catalog.models.filter((m) => m.provider === 'google' && m.lifecycle.status !== 'retired' && m.kind !== 'embedding');
  const embeddings = Object.entries(GEMINI_EMBEDDING_MODELS).map(([id, dims]) => ({ name: `models/${id}`, version: '001', displayName: id, description: `embedding model (${dims} dimensions)`, inputTokenLimit: 2048, outputTokenLimit: 1, supportedGenerationMethods: ['embedContent', 'batchEmbedContents'] }));
  x.json({ models: [...models.map(geminiModelObject), ...embeddings] });
}

export function handleGetGeminiModel(x: Exchange, modelSegment: string): void {
  requireGeminiKey(x);
  const name = pathModel(modelSegment);
  if (GEMINI_EMBEDDING_MODELS[name] !== undefined) return x.json({ name: `models/${name}`, version: '001', displayName: name, supportedGenerationMethods: ['embedContent', 'batchEmbedContents'] });
  x.json(geminiModelObject(geminiModel(x.state, name, 'get')));
}
