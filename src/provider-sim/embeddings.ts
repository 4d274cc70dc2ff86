// OpenAI embeddings: POST /v1/embeddings — deterministic unit vectors (a function of the input text), floats or base64.
import { tokenCounterFor, type TokenCounter } from '../core/tokens/tokenizer.js';
import { admit } from './admission.js';
import type { Exchange } from './exchange.js';
import { errors } from './provider-errors.js';
import { hashText, seededRandom } from '../core/random.js';
import { countShared, countTexts } from './text.js';
import type { SimState } from './state.js';
import { optionalIntIn, requireString, type Body } from './validate.js';

let embeddingCounter: Promise<TokenCounter> | undefined;

/** OpenAI's limits on one embeddings request: 2,048 inputs, 300,000 tokens in all. */
const MAX_INPUTS = 2048;
const MAX_TOKENS_PER_REQUEST = 300_000;

/** OpenAI embedding models not in the catalog are still served: they all use cl100k_base. */
function isOpenAIEmbeddingName(name: string): boolean {
  return /^text-embedding-(3-small|3-large|ada-002)$/.test(name);
}

function defaultDimensions(name: string): number {
  return name.includes('large') ? 3072 : 1536;
}

function vector(text: string, dimensions: number): Float32Array {
  const rng = seededRandom(hashText(text));
  const v = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const x = rng.uniform() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const k = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) v[i] = v[i]! * k;
  return v;
}

export interface EmbeddingPlan {
  modelName: string;
  inputs: Array<string | number[]>;
  tokens: number;
  dimensions: number;
  format: 'float' | 'base64';
}

/** Validates an embeddings request (live or a batch line) and counts its tokens; throws ApiError. */
export async function prepareEmbedding(state: SimState, body: Body): Promise<EmbeddingPlan> {
  const modelName = requireString('openai', body, 'model');
  const input = body.input;
  if (input === undefined || input === null) throw errors.missing('openai', 'input');
  const inputs: Array<string | number[]> = typeof input === 'string' ? [input] : Array.isArray(input) && input.length > 0 && input.every((i) => typeof i === 'number') ? [input as number[]] : (input as Array<string | number[]>);
  if (Array.isArray(inputs) && inputs.length > MAX_INPUTS) throw errors.invalidValue('openai', 'input', `Invalid 'input': array too long. Expected an array with maximum length ${MAX_INPUTS}, but got an array with length ${inputs.length} instead.`);
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((i) => typeof i === 'string' || (Array.isArray(i) && i.every((n) => typeof n === 'number')))) {
    throw errors.invalidValue('openai', 'input', "Invalid 'input': expected a string, an array of strings, or an array of token arrays.");
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') throw errors.invalidValue('openai', 'encoding_format', `Invalid value: '${String(format)}'. Supported values are: 'float' and 'base64'.`);
  const model = state.findModel(modelName);
  if (model ? model.kind !== 'embedding' : !isOpenAIEmbeddingName(modelName)) {
    if (model) throw errors.invalidValue('openai', 'model', `The model \`${modelName}\` does not support embeddings.`);
    throw errors.unknownModel('openai', modelName);
  }
  // A model's vectors can be shortened, never lengthened (text-embedding-3-large: up to 3072).
  const dimensions = optionalIntIn('openai', body, 'dimensions', 1, defaultDimensions(modelName)) ?? defaultDimensions(modelName);
  let tokens = 0;
  const texts: string[] = [];
  for (const i of inputs) {
    if (typeof i === 'string') texts.push(i);
    else tokens += i.length;
  }
  if (model) tokens += await countTexts(await state.runtime(model), texts);
  else {
    embeddingCounter ??= tokenCounterFor({ encoding: 'cl100k_base', factor: 1, approximate: false }, modelName);
    const counter = await embeddingCounter;
    for (const t of texts) tokens += await countShared(counter, t);
  }
  if (tokens > MAX_TOKENS_PER_REQUEST) throw errors.invalidValue('openai', 'input', `Requested ${tokens} tokens, max ${MAX_TOKENS_PER_REQUEST} tokens per request`);
  return { modelName, inputs, tokens, dimensions, format };
}

export function embeddingObject(plan: EmbeddingPlan) {
  const data = plan.inputs.map((i, index) => {
    const v = vector(typeof i === 'string' ? i : i.join(','), plan.dimensions);
    return { object: 'embedding', index, embedding: plan.format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v) };
  });
  return { object: 'list', data, model: plan.modelName, usage: { prompt_tokens: plan.tokens, total_tokens: plan.tokens } };
}

export async function handleEmbeddings(x: Exchange): Promise<void> {
  const plan = await prepareEmbedding(x.state, await x.readJson());
  const admitted = admit(x, plan.modelName, plan.tokens, 0);
  if (admitted.hang) return x.hang();
  x.json(embeddingObject(plan), 200, admitted.headers);
}
