// Gemini Batch Mode with inline requests: POST models/{model}:batchGenerateContent (a long-running
// operation), GET batches/{id} (state BATCH_STATE_PENDING → RUNNING → SUCCEEDED, or CANCELLED / EXPIRED /
// FAILED; results inline in metadata.output and response), GET batches, POST batches/{id}:cancel,
// DELETE batches/{id} — the calls @google/genai's ai.batches makes.
import { cancelTimeline, cutoffMs, planTimeline, toRfc3339, type Timeline } from './batch-timeline.js';
import type { Exchange } from './exchange.js';
import { rollFault } from './faults.js';
import { geminiModel, geminiResponse, pathModel, prepareGemini, requireGeminiKey } from './gemini.js';
import { planOutput } from './output.js';
import { ApiError, errors, geminiStatus } from './provider-errors.js';
import type { Random } from '../core/random.js';
import { keepBatch, perSimulator } from './state.js';
import type { Body } from './validate.js';

/** Requests in one inline batch (the simulator's bound, as Anthropic's). */
const MAX_BATCH_REQUESTS = 100_000;

interface Item {
  metadata: unknown;
  /** {response} or {error}, as the batch output's inlined response carries it. */
  result: Record<string, unknown>;
  ok: boolean;
}

interface GeminiBatch {
  id: string;
  model: string;
  displayName: string;
  items: Item[];
  timeline: Timeline;
  rng: Random;
  deleted: boolean;
}

const store = perSimulator<GeminiBatch>();
const METADATA_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch';
const OUTPUT_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput';

type State = 'BATCH_STATE_PENDING' | 'BATCH_STATE_RUNNING' | 'BATCH_STATE_SUCCEEDED' | 'BATCH_STATE_CANCELLED' | 'BATCH_STATE_EXPIRED';

function stateAt(b: GeminiBatch, t: number): State {
  const tl = b.timeline;
  if (tl.cancelMs !== undefined) return t < tl.cancelledMs! && t < tl.endMs ? 'BATCH_STATE_RUNNING' : 'BATCH_STATE_CANCELLED';
  if (t < tl.startMs) return 'BATCH_STATE_PENDING';
  if (t < tl.endMs) return 'BATCH_STATE_RUNNING';
  return tl.expires ? 'BATCH_STATE_EXPIRED' : 'BATCH_STATE_SUCCEEDED';
}

const DONE: readonly State[] = ['BATCH_STATE_SUCCEEDED', 'BATCH_STATE_CANCELLED', 'BATCH_STATE_EXPIRED'];

function operation(x: Exchange, b: GeminiBatch, forceState?: State) {
  const now = x.state.nowMs();
  const state = forceState ?? stateAt(b, now);
  const done = DONE.includes(state);
  const cutoff = cutoffMs(b.timeline);
  let succeeded = 0;
  let failed = 0;
  b.items.forEach((item, i) => {
    if (done && b.timeline.doneMs[i]! <= cutoff) {
      if (item.ok) succeeded++;
      else failed++;
    }
  });
  const pending = b.items.length - succeeded - failed;
  const metadata: Record<string, unknown> = {
    '@type': METADATA_TYPE,
    model: `models/${b.model}`,
    displayName: b.displayName,
    createTime: toRfc3339(b.timeline.createdMs),
    updateTime: toRfc3339(Math.min(now, done ? (b.timeline.cancelledMs ?? b.timeline.endMs) : now)),
    batchStats: { requestCount: String(b.items.length), successfulRequestCount: String(succeeded), failedRequestCount: String(failed), pendingRequestCount: String(pending) },
    state,
    name: `batches/${b.id}`,
  };
  const op: Record<string, unknown> = { name: `batches/${b.id}`, metadata, done };
  if (done) {
    metadata.endTime = toRfc3339(b.timeline.cancelMs !== undefined ? Math.min(b.timeline.cancelledMs!, b.timeline.endMs) : b.timeline.endMs);
    const inlined = b.items.map((item, i) =>
      b.timeline.doneMs[i]! <= cutoff
        ? { ...item.result, metadata: item.metadata }
        : { error: { code: 499, message: state === 'BATCH_STATE_EXPIRED' ? 'The request was not processed before the batch expired.' : 'The request was not processed: the batch was cancelled.', status: geminiStatus(499) }, metadata: item.metadata },
    );
    const output = { inlinedResponses: { inlinedResponses: inlined } };
    metadata.output = output;
    op.response = { '@type': OUTPUT_TYPE, ...output };
  }
  return op;
}

export async function handleBatchGenerateContent(x: Exchange, modelSegment: string): Promise<void> {
  requireGeminiKey(x);
  const modelName = pathModel(modelSegment);
  geminiModel(x.state, modelName, 'batchGenerateContent');
  const body = await x.readJson(x.state.maxUploadBytes);
  const batch = body.batch as Body | undefined;
  if (!batch || typeof batch !== 'object') throw errors.missing('gemini', 'batch');
  const input = batch.inputConfig ?? batch.input_config;
  if (!input || typeof input !== 'object') throw errors.missing('gemini', 'batch.input_config');
  const inputConfig = input as Body;
  if (inputConfig.fileName !== undefined || inputConfig.file_name !== undefined) {
    throw new ApiError(400, undefined, '* batch.input_config.file_name: the simulator takes inline requests only (input_config.requests); file input needs the Files API upload, which it does not implement.');
  }
  const wrapper = inputConfig.requests as Body | undefined;
  const requests = wrapper && Array.isArray(wrapper.requests) ? (wrapper.requests as unknown[]) : undefined;
  if (!requests || requests.length === 0) throw errors.missing('gemini', 'batch.input_config.requests.requests');
  // Each answer is generated (and kept) at create time: one batch holds at most as many as Anthropic's.
  if (requests.length > MAX_BATCH_REQUESTS) throw errors.invalidValue('gemini', 'batch.input_config.requests.requests', `a batch may hold at most ${MAX_BATCH_REQUESTS} requests`);
  const rng = x.state.nextRng();
  const faults = x.faultRates();
  const items: Item[] = [];
  for (const [i, r] of requests.entries()) {
    const req = r && typeof r === 'object' ? ((r as Body).request as Body | undefined) : undefined;
    const metadata = r && typeof r === 'object' ? (r as Body).metadata : undefined;
    try {
      if (!req || typeof req !== 'object') throw errors.missing('gemini', `batch.input_config.requests.requests[${i}].request`);
      const plan = await prepareGemini(x.state, req, modelName, 'batchGenerateContent');
      if (rollFault(['batch-item-error'], faults, rng)) {
        x.state.countFault('batch-item-error');
        throw errors.serverError('gemini');
      }
      const out = planOutput(plan.rt, rng, plan.maxTokens, plan.spec);
      items.push({ metadata, ok: true, result: { response: geminiResponse(plan, out, x.state.id('').replace(/^sim/, 'gem')) } });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      items.push({ metadata, ok: false, result: { error: { code: e.status, message: e.message, status: geminiStatus(e.status) } } });
    }
  }
  const expire = rollFault(['batch-expire'], faults, rng) !== undefined;
  if (expire) x.state.countFault('batch-expire');
  const timeline = planTimeline(items.length, rng, x.state.scale, x.state.turnaround, x.state.nowMs(), { phases: false, expire });
  const id = x.state.id('').replace(/^sim/, 'batch');
  const b: GeminiBatch = { id, model: modelName, displayName: typeof batch.displayName === 'string' ? batch.displayName : typeof batch.display_name === 'string' ? batch.display_name : id, items, timeline, rng, deleted: false };
  keepBatch(store(x.state), b.id, b);
  // A new batch is reported pending whatever the clock says: a client sees that state at least once.
  x.json(operation(x, b, 'BATCH_STATE_PENDING'));
}

function batchOr404(x: Exchange, id: string): GeminiBatch {
  const b = store(x.state).get(decodeURIComponent(id));
  if (!b || b.deleted) throw errors.notFound('gemini', 'batch', `batches/${id}`);
  return b;
}

export function handleGetGeminiBatch(x: Exchange, id: string): void {
  requireGeminiKey(x);
  x.json(operation(x, batchOr404(x, id)));
}

export function handleCancelGeminiBatch(x: Exchange, id: string): void {
  requireGeminiKey(x);
  const b = batchOr404(x, id);
  const state = stateAt(b, x.state.nowMs());
  if (DONE.includes(state)) throw new ApiError(400, undefined, `Batch batches/${b.id} is already in a terminal state (${state}) and cannot be cancelled.`);
  cancelTimeline(b.timeline, x.state.nowMs(), x.state.scale, x.state.turnaround);
  x.json({});
}

export function handleDeleteGeminiBatch(x: Exchange, id: string): void {
  requireGeminiKey(x);
  batchOr404(x, id).deleted = true;
  x.json({});
}

export function handleListGeminiBatches(x: Exchange): void {
  requireGeminiKey(x);
  const size = Math.min(100, Math.max(1, Number(x.query.get('pageSize') ?? 50) || 50));
  const all = [...store(x.state).values()].filter((b) => !b.deleted).reverse();
  const token = x.query.get('pageToken');
  const start = token ? Math.max(0, all.findIndex((b) => b.id === token)) : 0;
  const page = all.slice(start, start + size);
  const next = all[start + size];
  x.json({ operations: page.map((b) => operation(x, b)), ...(next ? { nextPageToken: next.id } : {}) });
}
