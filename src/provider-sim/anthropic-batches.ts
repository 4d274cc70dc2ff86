// Anthropic message batches: create, retrieve, list, cancel, delete, results JSONL. processing_status
// in_progress → ended (or canceling → ended); request_counts other than "processing" appear only at the end.
import { prepareMessage, completeMessage } from './anthropic-messages.js';
import { cancelTimeline, cutoffMs, planTimeline, resultOrder, toRfc3339, type Timeline } from './batch-timeline.js';
import type { Exchange } from './exchange.js';
import { rollFault } from './faults.js';
import { ApiError, anthropicType, errors } from './provider-errors.js';
import type { Random } from '../core/random.js';
import { keepBatch, perSimulator } from './state.js';
import { requireArray, type Body } from './validate.js';

/** Anthropic's limit on requests in one batch. */
const MAX_REQUESTS = 100_000;

interface Item {
  customId: string;
  /** The result when the request ran: {"type":"succeeded",…} or {"type":"errored",…}. */
  result: { type: 'succeeded' | 'errored' } & Record<string, unknown>;
}

interface AnthropicBatch {
  id: string;
  items: Item[];
  timeline: Timeline;
  rng: Random;
  results: string | undefined;
  deleted: boolean;
}

const store = perSimulator<AnthropicBatch>();

function statusAt(b: AnthropicBatch, t: number): 'in_progress' | 'canceling' | 'ended' {
  const tl = b.timeline;
  if (tl.cancelMs !== undefined && t < tl.cancelledMs!) return t >= tl.endMs ? 'ended' : 'canceling';
  if (tl.cancelMs !== undefined) return 'ended';
  return t < tl.endMs ? 'in_progress' : 'ended';
}

function endedAtMs(b: AnthropicBatch): number {
  const tl = b.timeline;
  return tl.cancelMs !== undefined ? Math.min(tl.cancelledMs!, tl.endMs) : tl.endMs;
}

/** What became of request i once the batch ended. */
function outcome(b: AnthropicBatch, i: number): 'succeeded' | 'errored' | 'canceled' | 'expired' {
  if (b.timeline.doneMs[i]! <= cutoffMs(b.timeline)) return b.items[i]!.result.type;
  return b.timeline.cancelMs !== undefined && b.timeline.cancelMs < b.timeline.endMs ? 'canceled' : 'expired';
}

function batchObject(x: Exchange, b: AnthropicBatch) {
  const status = statusAt(b, x.state.nowMs());
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  if (status === 'ended') b.items.forEach((_, i) => counts[outcome(b, i)]++);
  else counts.processing = b.items.length;
  const tl = b.timeline;
  return {
    id: b.id,
    type: 'message_batch',
    processing_status: status,
    request_counts: counts,
    ended_at: status === 'ended' ? toRfc3339(endedAtMs(b)) : null,
    created_at: toRfc3339(tl.createdMs),
    expires_at: toRfc3339(tl.expireMs),
    archived_at: null,
    cancel_initiated_at: tl.cancelMs !== undefined ? toRfc3339(tl.cancelMs) : null,
    // Absolute, as the real service gives it; the SDK fetches it as is.
    results_url: status === 'ended' ? `http://${x.req.headers.host ?? 'localhost'}/v1/messages/batches/${b.id}/results` : null,
  };
}

export async function handleCreateMessageBatch(x: Exchange): Promise<void> {
  const body = await x.readJson(x.state.maxUploadBytes);
  const requests = requireArray('anthropic', body, 'requests');
  if (requests.length === 0) throw errors.invalidValue('anthropic', 'requests', 'at least one request is required');
  if (requests.length > MAX_REQUESTS) throw errors.invalidValue('anthropic', 'requests', `a batch may hold at most ${MAX_REQUESTS} requests`);
  const seen = new Set<string>();
  const rng = x.state.nextRng();
  const faults = x.faultRates();
  const items: Item[] = [];
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i] as Body | null;
    if (!r || typeof r !== 'object') throw errors.wrongType('anthropic', `requests.${i}`, 'an object', r);
    const customId = r.custom_id;
    if (typeof customId !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(customId)) throw errors.invalidValue('anthropic', `requests.${i}.custom_id`, 'expected 1 to 64 letters, digits, "-" or "_"');
    if (seen.has(customId)) throw errors.invalidValue('anthropic', `requests.${i}.custom_id`, `duplicate custom_id "${customId}": each must be unique within the batch`);
    seen.add(customId);
    const params = r.params as Body | null;
    if (!params || typeof params !== 'object') throw errors.missing('anthropic', `requests.${i}.params`);
    if (params.stream === true) throw errors.invalidValue('anthropic', `requests.${i}.params.stream`, 'streaming is not supported in batches');
    try {
      const plan = await prepareMessage(x.state, params, { requireMaxTokens: true });
      // An invalid request fails as such; only a valid one can meet an injected server error.
      if (rollFault(['batch-item-error'], faults, rng)) {
        x.state.countFault('batch-item-error');
        throw errors.serverError('anthropic');
      }
      items.push({ customId, result: { type: 'succeeded', message: completeMessage(x.state, plan, rng) } });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const error = { type: 'error', error: { type: anthropicType(e.status), message: e.message }, request_id: x.state.id('req_') };
      items.push({ customId, result: { type: 'errored', error } });
    }
  }
  const expire = rollFault(['batch-expire'], faults, rng) !== undefined;
  if (expire) x.state.countFault('batch-expire');
  const timeline = planTimeline(items.length, rng, x.state.scale, x.state.turnaround, x.state.nowMs(), { phases: false, expire });
  const b: AnthropicBatch = { id: x.state.id('msgbatch_'), items, timeline, rng, results: undefined, deleted: false };
  keepBatch(store(x.state), b.id, b);
  // A new batch is reported in progress whatever the clock says: a client sees that state at least once.
  x.json({ ...batchObject(x, b), processing_status: 'in_progress', ended_at: null, results_url: null, request_counts: { processing: items.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 } });
}

function batchOr404(x: Exchange, id: string): AnthropicBatch {
  const b = store(x.state).get(id);
  if (!b || b.deleted) throw errors.notFound('anthropic', 'message batch', id);
  return b;
}

export function handleGetMessageBatch(x: Exchange, id: string): void {
  x.json(batchObject(x, batchOr404(x, id)));
}

export function handleCancelMessageBatch(x: Exchange, id: string): void {
  const b = batchOr404(x, id);
  if (statusAt(b, x.state.nowMs()) === 'in_progress') cancelTimeline(b.timeline, x.state.nowMs(), x.state.scale, x.state.turnaround);
  const obj = batchObject(x, b);
  // The cancel response shows "canceling" even when the cancel settles at once (scale 0).
  x.json(obj.processing_status === 'ended' && b.timeline.cancelMs === x.state.nowMs() ? { ...obj, processing_status: 'canceling', ended_at: null, results_url: null, request_counts: { processing: b.items.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 } } : obj);
}

export function handleDeleteMessageBatch(x: Exchange, id: string): void {
  const b = batchOr404(x, id);
  if (statusAt(b, x.state.nowMs()) !== 'ended') throw new ApiError(400, undefined, `Batch ${id} cannot be deleted while it is still processing; cancel it first.`);
  b.deleted = true;
  x.json({ id, type: 'message_batch_deleted' });
}

export function handleMessageBatchResults(x: Exchange, id: string): void {
  const b = batchOr404(x, id);
  if (statusAt(b, x.state.nowMs()) !== 'ended') throw new ApiError(404, undefined, `Batch ${id} has not finished processing; results are not available yet.`);
  if (b.results === undefined) {
    const lines = resultOrder(b.items.length, b.rng).map((i) => {
      const o = outcome(b, i);
      const item = b.items[i]!;
      return JSON.stringify({ custom_id: item.customId, result: o === 'succeeded' || o === 'errored' ? item.result : { type: o } });
    });
    b.results = `${lines.join('\n')}\n`;
  }
  x.send(200, b.results, 'application/binary');
}

export function handleListMessageBatches(x: Exchange): void {
  const limit = Math.min(1000, Math.max(1, Number(x.query.get('limit') ?? 20) || 20));
  let all = [...store(x.state).values()].filter((b) => !b.deleted).reverse();
  const after = x.query.get('after_id');
  const before = x.query.get('before_id');
  if (after) {
    const i = all.findIndex((b) => b.id === after);
    all = i >= 0 ? all.slice(i + 1) : [];
  } else if (before) {
    const i = all.findIndex((b) => b.id === before);
    all = i >= 0 ? all.slice(Math.max(0, i - limit), i) : [];
  }
  const data = all.slice(0, limit).map((b) => batchObject(x, b));
  x.json({ data, has_more: all.length > limit, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
}
