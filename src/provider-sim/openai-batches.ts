// OpenAI batches: create from an uploaded JSONL file, retrieve, list, cancel; statuses validating →
// in_progress → finalizing → completed (or failed / expired / cancelling → cancelled); output and error files.
import { cutoffMs, cancelTimeline, planTimeline, resultOrder, toUnix, type Timeline } from './batch-timeline.js';
import type { Exchange } from './exchange.js';
import { rollFault, type FaultRates } from './faults.js';
import { embeddingObject, prepareEmbedding } from './embeddings.js';
import { storeFile } from './files.js';
import { completeChat, prepareChat } from './openai-chat.js';
import { completeResponses, prepareResponses } from './openai-responses.js';
import { ApiError, errors } from './provider-errors.js';
import type { Random } from '../core/random.js';
import { keepBatch, perSimulator, type SimState } from './state.js';
import { requireString, type Body } from './validate.js';

/** Requests in one batch input file (OpenAI's limit). */
const MAX_BATCH_REQUESTS = 50_000;
const SUPPORTED_ENDPOINTS = ['/v1/responses', '/v1/chat/completions', '/v1/embeddings'];

interface LineError {
  code: string;
  message: string;
  param: string | null;
  line: number;
}

interface Item {
  customId: string;
  ok: boolean;
  /** The output or error file line (without the trailing newline). */
  line: string;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

interface OpenAIBatch {
  id: string;
  endpoint: string;
  inputFileId: string;
  metadata: unknown;
  model: string | null;
  items: Item[];
  validationErrors: LineError[];
  timeline: Timeline;
  rng: Random;
  outputFileId: string | null;
  errorFileId: string | null;
  settled: boolean;
}

const store = perSimulator<OpenAIBatch>();

type Status = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

function statusAt(b: OpenAIBatch, t: number): Status {
  const tl = b.timeline;
  if (b.validationErrors.length > 0) return t < tl.startMs ? 'validating' : 'failed';
  if (tl.cancelMs !== undefined) return t < tl.cancelledMs! ? 'cancelling' : 'cancelled';
  if (t < tl.startMs) return 'validating';
  if (tl.expires) return t < tl.expireMs ? 'in_progress' : 'expired';
  if (t < tl.endMs) return 'in_progress';
  if (t < tl.finalizedMs) return 'finalizing';
  return 'completed';
}

const TERMINAL: readonly Status[] = ['failed', 'completed', 'expired', 'cancelled'];

/** Writes the output and error files once the batch has reached a final state. */
function settle(state: SimState, b: OpenAIBatch, status: Status): void {
  if (b.settled || !TERMINAL.includes(status) || status === 'failed') return;
  b.settled = true;
  const cutoff = cutoffMs(b.timeline);
  const output: string[] = [];
  const errorsOut: string[] = [];
  for (const i of resultOrder(b.items.length, b.rng)) {
    const item = b.items[i]!;
    if (b.timeline.doneMs[i]! <= cutoff) (item.ok ? output : errorsOut).push(item.line);
    else {
      const code = status === 'expired' ? 'batch_expired' : 'batch_cancelled';
      const message = status === 'expired' ? 'This request could not be executed before the completion window expired.' : 'This request was not executed because the batch was cancelled.';
      errorsOut.push(JSON.stringify({ id: state.id('batch_req_'), custom_id: item.customId, response: null, error: { code, message } }));
    }
  }
  const file = (lines: string[], name: string) => (lines.length > 0 ? storeFile(state, name, 'batch_output', Buffer.from(`${lines.join('\n')}\n`)).id : null);
  b.outputFileId = file(output, `${b.id}_output.jsonl`);
  b.errorFileId = file(errorsOut, `${b.id}_error.jsonl`);
}

function batchObject(state: SimState, b: OpenAIBatch) {
  const t = state.nowMs();
  const status = statusAt(b, t);
  settle(state, b, status);
  const tl = b.timeline;
  const cutoff = Math.min(t, cutoffMs(tl));
  let completed = 0;
  let failed = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let reasoningTokens = 0;
  b.items.forEach((item, i) => {
    if (tl.doneMs[i]! <= cutoff) {
      if (item.ok) {
        completed++;
        inputTokens += item.inputTokens;
        outputTokens += item.outputTokens;
        reasoningTokens += item.reasoningTokens;
      } else failed++;
    } else if (status === 'expired') failed++;
  });
  const counted = status !== 'validating' && status !== 'failed';
  const at = (ms: number | undefined, reached: boolean) => (reached && ms !== undefined ? toUnix(ms) : null);
  const started = status !== 'validating' && status !== 'failed';
  return {
    id: b.id,
    object: 'batch',
    endpoint: b.endpoint,
    model: b.model,
    errors: b.validationErrors.length > 0 ? { object: 'list', data: b.validationErrors } : null,
    input_file_id: b.inputFileId,
    completion_window: '24h',
    status,
    output_file_id: b.outputFileId,
    error_file_id: b.errorFileId,
    created_at: toUnix(tl.createdMs),
    in_progress_at: at(tl.startMs, started),
    expires_at: toUnix(tl.expireMs),
    finalizing_at: at(tl.endMs, status === 'finalizing' || status === 'completed'),
    completed_at: at(tl.finalizedMs, status === 'completed'),
    failed_at: at(tl.startMs, status === 'failed'),
    expired_at: at(tl.expireMs, status === 'expired'),
    cancelling_at: at(tl.cancelMs, tl.cancelMs !== undefined),
    cancelled_at: at(tl.cancelledMs, status === 'cancelled'),
    request_counts: { total: counted ? b.items.length : 0, completed, failed },
    metadata: b.metadata ?? null,
    usage: { input_tokens: inputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: outputTokens, output_tokens_details: { reasoning_tokens: reasoningTokens }, total_tokens: inputTokens + outputTokens },
  };
}

/** One batch request against its endpoint; throws ApiError as the endpoint would answer. */
async function runRequest(state: SimState, endpoint: string, body: Body, rng: Random, faults: FaultRates): Promise<{ body: unknown; inputTokens: number; outputTokens: number; reasoningTokens: number }> {
  if (body.stream === true) throw errors.invalidValue('openai', 'stream', 'Streaming is not supported in the Batch API.');
  const chat = endpoint === '/v1/chat/completions' ? await prepareChat(state, body) : undefined;
  const responses = endpoint === '/v1/responses' ? await prepareResponses(state, body) : undefined;
  const embedding = chat || responses ? undefined : await prepareEmbedding(state, body);
  // An invalid request fails as such; only a valid one can meet an injected server error.
  if (rollFault(['batch-item-error'], faults, rng)) {
    state.countFault('batch-item-error');
    throw errors.serverError('openai');
  }
  if (chat) {
    const completion = completeChat(state, chat, rng);
    return { body: completion, inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens, reasoningTokens: completion.usage.completion_tokens_details.reasoning_tokens };
  }
  if (responses) return completeResponses(state, responses, rng);
  return { body: embeddingObject(embedding!), inputTokens: embedding!.tokens, outputTokens: 0, reasoningTokens: 0 };
}

/** Runs every line of the input file now (results are revealed as the timeline says). */
async function runLines(state: SimState, content: string, endpoint: string, rng: Random, faults: FaultRates): Promise<{ items: Item[]; errors: LineError[]; model: string | null }> {
  const items: Item[] = [];
  const lineErrors: LineError[] = [];
  const seen = new Set<string>();
  let model: string | null = null;
  const lines = content.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const text = lines[n]!.trim();
    if (text === '') continue;
    const lineNo = n + 1;
    let req: Body;
    try {
      req = JSON.parse(text) as Body;
      if (!req || typeof req !== 'object' || Array.isArray(req)) throw new Error('not an object');
    } catch {
      lineErrors.push({ code: 'invalid_json_line', message: `This line is not parseable as valid JSON.`, param: null, line: lineNo });
      continue;
    }
    const customId = req.custom_id;
    if (typeof customId !== 'string' || customId === '') {
      lineErrors.push({ code: 'missing_required_parameter', message: "Missing required parameter: 'custom_id'.", param: 'custom_id', line: lineNo });
      continue;
    }
    if (seen.has(customId)) {
      lineErrors.push({ code: 'duplicate_custom_id', message: `The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.`, param: 'custom_id', line: lineNo });
      continue;
    }
    seen.add(customId);
    if (req.method !== 'POST') lineErrors.push({ code: 'invalid_method', message: `Invalid method: ${String(req.method)}. Only POST is supported.`, param: 'method', line: lineNo });
    if (req.url !== endpoint) lineErrors.push({ code: 'mismatched_endpoint', message: `The provided URL '${String(req.url)}' does not match the batch endpoint '${endpoint}'.`, param: 'url', line: lineNo });
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Body;
    if (typeof body.model === 'string') model ??= body.model;
    const requestId = state.id('req_');
    const lineId = state.id('batch_req_');
    try {
      const result = await runRequest(state, endpoint, body, rng, faults);
      const line = JSON.stringify({ id: lineId, custom_id: customId, response: { status_code: 200, request_id: requestId, body: result.body }, error: null });
      items.push({ customId, ok: true, line, inputTokens: result.inputTokens, outputTokens: result.outputTokens, reasoningTokens: result.reasoningTokens });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const errBody = { error: { message: e.message, type: e.type ?? 'invalid_request_error', param: e.param, code: e.code } };
      const line = JSON.stringify({ id: lineId, custom_id: customId, response: { status_code: e.status, request_id: requestId, body: errBody }, error: null });
      items.push({ customId, ok: false, line, inputTokens: 0, outputTokens: 0, reasoningTokens: 0 });
    }
  }
  if (items.length === 0 && lineErrors.length === 0) lineErrors.push({ code: 'empty_file', message: 'The input file is empty.', param: null, line: 1 });
  return { items, errors: lineErrors, model };
}

export async function handleCreateBatch(x: Exchange): Promise<void> {
  const body = await x.readJson();
  const inputFileId = requireString('openai', body, 'input_file_id');
  const endpoint = requireString('openai', body, 'endpoint');
  const window = requireString('openai', body, 'completion_window');
  if (window !== '24h') throw errors.invalidValue('openai', 'completion_window', `Invalid value: '${window}'. Supported values are: '24h'.`);
  if (!SUPPORTED_ENDPOINTS.includes(endpoint)) throw errors.invalidValue('openai', 'endpoint', `Invalid value: '${endpoint}'. The simulator supports: ${SUPPORTED_ENDPOINTS.map((e) => `'${e}'`).join(', ')}.`);
  const file = x.state.files.get(inputFileId);
  if (!file) throw errors.notFound('openai', 'file', inputFileId);
  if (file.purpose !== 'batch') throw errors.invalidValue('openai', 'input_file_id', `File ${inputFileId} has purpose '${file.purpose}'; a batch input file must have purpose 'batch'.`);
  const text = file.content.toString('utf8');
  // OpenAI's limit on one batch: 50,000 requests. Each answer is generated (and kept) at create time.
  let requests = 0;
  for (const line of text.split('\n')) if (line.trim()) requests++;
  if (requests > MAX_BATCH_REQUESTS) throw errors.invalidValue('openai', 'input_file_id', `The batch input file holds ${requests} requests; a batch may hold at most ${MAX_BATCH_REQUESTS}.`);
  const rng = x.state.nextRng();
  const faults = x.faultRates();
  const { items, errors: lineErrors, model } = await runLines(x.state, text, endpoint, rng, faults);
  const expire = rollFault(['batch-expire'], faults, rng) !== undefined;
  if (expire) x.state.countFault('batch-expire');
  const timeline = planTimeline(items.length, rng, x.state.scale, x.state.turnaround, x.state.nowMs(), { phases: true, expire });
  const b: OpenAIBatch = { id: x.state.id('batch_'), endpoint, inputFileId, metadata: body.metadata, model, items, validationErrors: lineErrors, timeline, rng, outputFileId: null, errorFileId: null, settled: false };
  keepBatch(store(x.state), b.id, b);
  // A new batch is reported as validating whatever the clock says: a client sees that state at least once.
  x.json({ ...batchObject(x.state, b), status: 'validating', in_progress_at: null, request_counts: { total: 0, completed: 0, failed: 0 } });
}

function batchOr404(x: Exchange, id: string): OpenAIBatch {
  const b = store(x.state).get(id);
  if (!b) throw errors.notFound('openai', 'batch', id);
  return b;
}

export function handleGetBatch(x: Exchange, id: string): void {
  x.json(batchObject(x.state, batchOr404(x, id)));
}

export function handleCancelBatch(x: Exchange, id: string): void {
  const b = batchOr404(x, id);
  const status = statusAt(b, x.state.nowMs());
  if (status !== 'validating' && status !== 'in_progress' && status !== 'finalizing') {
    throw new ApiError(409, 'invalid_request_error', `Cannot cancel a batch with status '${status}'.`);
  }
  cancelTimeline(b.timeline, x.state.nowMs(), x.state.scale, x.state.turnaround);
  // The cancel response shows "cancelling" even when the simulated cancel settles at once (scale 0).
  x.json({ ...batchObject(x.state, b), status: 'cancelling' });
}

export function handleListBatches(x: Exchange): void {
  const limit = Math.min(100, Math.max(1, Number(x.query.get('limit') ?? 20) || 20));
  const after = x.query.get('after');
  let all = [...store(x.state).values()].reverse();
  if (after) {
    const i = all.findIndex((b) => b.id === after);
    all = i >= 0 ? all.slice(i + 1) : [];
  }
  const data = all.slice(0, limit).map((b) => batchObject(x.state, b));
  x.json({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: all.length > limit });
}
