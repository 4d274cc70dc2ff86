// Batch round trips through the official SDKs: upload → create → poll → results joined on custom_id,
// the status progression on an injected clock, cancel, per-item errors and expiry.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/provider-sim/index.js';

async function withSim<T>(opts: Partial<SimulatorOptions>, fn: (s: Simulator) => Promise<T>): Promise<T> {
  const s = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 5, ...opts });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** A clock the test moves by hand: batch progress is read against it. */
function manualClock(start = Date.parse('2026-11-25T12:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (seconds: number) => void (t += seconds * 1000) };
}

const N = 6;
const jsonl = (ids: string[], extra: (i: number) => object = () => ({})) =>
  ids.map((id, i) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `question ${i}` }], max_tokens: 20, ...extra(i) } })).join('\n');
const ids = Array.from({ length: N }, (_, i) => `req-${i}`);
const oa = (s: Simulator) => new OpenAI({ apiKey: 'sk-sim', baseURL: `${s.url}/v1`, maxRetries: 0 });
const an = (s: Simulator) => new Anthropic({ apiKey: 'sk-ant-sim', baseURL: s.url, maxRetries: 0 });

async function upload(client: OpenAI, text: string) {
  return client.files.create({ file: await toFile(Buffer.from(text), 'input.jsonl'), purpose: 'batch' });
}

async function readLines(client: OpenAI, fileId: string | null | undefined): Promise<any[]> {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text.trim().split('\n').map((l) => JSON.parse(l));
}

describe('OpenAI batch round trip', () => {
  it('uploads JSONL, completes, and returns one output line per request, in a different order, joined by custom_id', async () => {
    await withSim({}, async (s) => {
      const client = oa(s);
      const file = await upload(client, jsonl(ids));
      expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'input.jsonl' });
      expect((await client.files.retrieve(file.id)).bytes).toBe(Buffer.byteLength(jsonl(ids)));
      const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      expect(created.status).toBe('validating');
      // Latency scale 0: the batch is done at the next poll.
      const done = await client.batches.retrieve(created.id);
      expect(done.status).toBe('completed');
      expect(done.request_counts).toEqual({ total: N, completed: N, failed: 0 });
      expect(done.error_file_id).toBeNull();
      const lines = await readLines(client, done.output_file_id);
      expect(lines.map((l) => l.custom_id).sort()).toEqual([...ids].sort());
      expect(lines.map((l) => l.custom_id)).not.toEqual(ids);
      for (const l of lines) {
        expect(l.response.status_code).toBe(200);
        expect(l.response.body.object).toBe('chat.completion');
        expect(l.response.body.usage.completion_tokens).toBeLessThanOrEqual(20);
        expect(l.error).toBeNull();
      }
      // Batch usage is the sum over its requests.
      const sum = lines.reduce((a, l) => a + l.response.body.usage.prompt_tokens, 0);
      expect(done.usage!.input_tokens).toBe(sum);
      const listed = [];
      for await (const b of client.batches.list()) listed.push(b.id);
      expect(listed).toEqual([created.id]);
    });
  });

  it('moves validating → in_progress (counts growing) → finalizing → completed on the clock', async () => {
    const clock = manualClock();
    // sigma 0: processing takes exactly the median, 600 s; validating 30 s; finalizing 60 s.
    await withSim({ latencyScale: 1, now: clock.now, batchTurnaround: { medianSeconds: 600, sigma: 0 } }, async (s) => {
      const client = oa(s);
      const file = await upload(client, jsonl(ids));
      const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      const at = async (seconds: number) => {
        clock.advance(seconds);
        return client.batches.retrieve(b.id);
      };
      expect((await at(10)).status).toBe('validating');
      const early = await at(25); // t = 35 s: 5 s into processing
      expect(early.status).toBe('in_progress');
      expect(early.request_counts!.total).toBe(N);
      const mid = await at(300); // t = 335 s
      expect(mid.status).toBe('in_progress');
      expect(mid.request_counts!.completed).toBeGreaterThanOrEqual(early.request_counts!.completed);
      expect(mid.output_file_id).toBeNull();
      const fin = await at(300); // t = 635 s: processing ended at 630 s
      expect(fin.status).toBe('finalizing');
      expect(fin.request_counts!.completed).toBe(N);
      const done = await at(60); // t = 695 s: finalizing ended at 690 s
      expect(done.status).toBe('completed');
      expect(done.completed_at! - done.created_at).toBe(690);
      expect((await readLines(client, done.output_file_id)).length).toBe(N);
    });
  });

  it('batch-item-error: failed items go to the error file with their status code; the rest to the output', async () => {
    await withSim({}, async (s) => {
      const client = oa(s);
      const file = await upload(client, jsonl(ids, (i) => (i === 0 ? { model: 'gpt-unknown' } : {})));
      const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }, { headers: { 'x-aip-fault': 'batch-item-error:0.5' } });
      const done = await client.batches.retrieve(b.id);
      const out = await readLines(client, done.output_file_id);
      const errs = await readLines(client, done.error_file_id);
      expect(out.length + errs.length).toBe(N);
      expect(done.request_counts).toEqual({ total: N, completed: out.length, failed: errs.length });
      // req-0 names an unknown model: 404 in the error file, as the endpoint would answer it.
      expect(errs.find((l) => l.custom_id === 'req-0').response.status_code).toBe(404);
      const injected = errs.filter((l) => l.response.status_code === 500);
      expect(injected.length).toBe(s.stats().faults['batch-item-error'] ?? 0);
      for (const l of injected) expect(l.response.body.error.type).toBe('server_error');
    });
  });

  it('batch-expire: the batch ends expired; unfinished requests are in the error file as batch_expired', async () => {
    await withSim({}, async (s) => {
      const client = oa(s);
      const many = Array.from({ length: 20 }, (_, i) => `r${i}`);
      const file = await upload(client, jsonl(many));
      const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }, { headers: { 'x-aip-fault': 'batch-expire' } });
      const done = await client.batches.retrieve(b.id);
      expect(done.status).toBe('expired');
      const out = await readLines(client, done.output_file_id);
      const errs = await readLines(client, done.error_file_id);
      expect(out.length + errs.length).toBe(20);
      expect(errs.length).toBeGreaterThan(0);
      expect(errs.every((l) => l.error.code === 'batch_expired' && l.response === null)).toBe(true);
      expect(done.request_counts).toEqual({ total: 20, completed: out.length, failed: errs.length });
    });
  });

  it('cancel: cancelling, then cancelled; requests done before the cancel are kept', async () => {
    const clock = manualClock();
    await withSim({ latencyScale: 1, now: clock.now, batchTurnaround: { medianSeconds: 600, sigma: 0, cancelSeconds: 30 } }, async (s) => {
      const client = oa(s);
      const file = await upload(client, jsonl(ids));
      const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      clock.advance(330); // half-way through processing
      const before = await client.batches.retrieve(b.id);
      const c = await client.batches.cancel(b.id);
      expect(c.status).toBe('cancelling');
      clock.advance(31);
      const done = await client.batches.retrieve(b.id);
      expect(done.status).toBe('cancelled');
      expect(done.request_counts!.completed).toBe(before.request_counts!.completed);
      expect((await readLines(client, done.output_file_id)).length).toBe(before.request_counts!.completed);
      const again = await client.batches.cancel(b.id).catch((err) => err);
      expect(again).toBeInstanceOf(OpenAI.ConflictError);
    });
  });

  it('runs an embeddings batch: each output line holds the vectors and usage of its request', async () => {
    await withSim({}, async (s) => {
      const client = oa(s);
      const lines = ['alpha', 'beta gamma'].map((text, i) => JSON.stringify({ custom_id: `e${i}`, method: 'POST', url: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: text, dimensions: 8 } }));
      const file = await upload(client, lines.join('\n'));
      const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h' });
      const done = await client.batches.retrieve(b.id);
      const out = await readLines(client, done.output_file_id);
      expect(out.map((l) => l.custom_id).sort()).toEqual(['e0', 'e1']);
      for (const l of out) expect(l.response.body.data[0].embedding).toHaveLength(8);
      expect(done.usage!.input_tokens).toBe(out.reduce((a, l) => a + l.response.body.usage.prompt_tokens, 0));
    });
  });

  it('a file with broken lines fails validation with errors naming the lines', async () => {
    await withSim({}, async (s) => {
      const client = oa(s);
      const text = `${jsonl(['a'])}\n{not json\n${jsonl(['a'])}`;
      const file = await upload(client, text);
      const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      const done = await client.batches.retrieve(b.id);
      expect(done.status).toBe('failed');
      expect(done.errors!.data!.map((e) => [e.code, e.line])).toEqual([
        ['invalid_json_line', 2],
        ['duplicate_custom_id', 3],
      ]);
      const missing = await client.batches.create({ input_file_id: 'file-nope', endpoint: '/v1/chat/completions', completion_window: '24h' }).catch((err) => err);
      expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    });
  });
});

describe('Anthropic message batch round trip', () => {
  const requests = ids.map((id, i) => ({ custom_id: id, params: { model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user' as const, content: `question ${i}` }] } }));

  it('creates, ends, and streams results JSONL in a different order, joined by custom_id', async () => {
    await withSim({}, async (s) => {
      const client = an(s);
      const created = await client.messages.batches.create({ requests });
      expect(created.processing_status).toBe('in_progress');
      expect(created.request_counts).toEqual({ processing: N, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
      expect(created.results_url).toBeNull();
      const done = await client.messages.batches.retrieve(created.id);
      expect(done.processing_status).toBe('ended');
      expect(done.request_counts).toEqual({ processing: 0, succeeded: N, errored: 0, canceled: 0, expired: 0 });
      const results = [];
      for await (const r of await client.messages.batches.results(created.id)) results.push(r);
      expect(results.map((r) => r.custom_id).sort()).toEqual([...ids].sort());
      expect(results.map((r) => r.custom_id)).not.toEqual(ids);
      for (const r of results) {
        expect(r.result.type).toBe('succeeded');
        if (r.result.type === 'succeeded') {
          expect(r.result.message.usage.service_tier).toBe('batch');
          expect(r.result.message.usage.output_tokens).toBeLessThanOrEqual(20);
        }
      }
      const listed = [];
      for await (const b of client.messages.batches.list()) listed.push(b.id);
      expect(listed).toEqual([created.id]);
      expect((await client.messages.batches.delete(created.id)).type).toBe('message_batch_deleted');
    });
  });

  it('reports only "processing" until the whole batch ends, then all counts at once', async () => {
    const clock = manualClock();
    await withSim({ latencyScale: 1, now: clock.now, batchTurnaround: { medianSeconds: 600, sigma: 0 } }, async (s) => {
      const client = an(s);
      const b = await client.messages.batches.create({ requests });
      clock.advance(599);
      const mid = await client.messages.batches.retrieve(b.id);
      expect(mid.processing_status).toBe('in_progress');
      expect(mid.request_counts.processing).toBe(N);
      expect(mid.results_url).toBeNull();
      await expect(client.messages.batches.results(b.id)).rejects.toThrow(/results_url/);
      clock.advance(2);
      const done = await client.messages.batches.retrieve(b.id);
      expect(done.processing_status).toBe('ended');
      expect(done.request_counts.succeeded).toBe(N);
      expect(Date.parse(done.ended_at!) - Date.parse(done.created_at)).toBe(600_000);
    });
  });

  it('cancel: canceling, then ended with the unfinished requests canceled', async () => {
    const clock = manualClock();
    await withSim({ latencyScale: 1, now: clock.now, batchTurnaround: { medianSeconds: 600, sigma: 0 } }, async (s) => {
      const client = an(s);
      const b = await client.messages.batches.create({ requests });
      clock.advance(300);
      expect((await client.messages.batches.cancel(b.id)).processing_status).toBe('canceling');
      clock.advance(31);
      const done = await client.messages.batches.retrieve(b.id);
      expect(done.processing_status).toBe('ended');
      const c = done.request_counts;
      expect(c.succeeded + c.canceled).toBe(N);
      const results = [];
      for await (const r of await client.messages.batches.results(b.id)) results.push(r.result.type);
      expect(results.filter((t) => t === 'canceled').length).toBe(c.canceled);
    });
  });

  it('batch-item-error and batch-expire: errored results carry the error envelope; expired ones are typed "expired"', async () => {
    await withSim({}, async (s) => {
      const client = an(s);
      const bad = [...requests, { custom_id: 'unknown-model', params: { model: 'claude-nope', max_tokens: 5, messages: [{ role: 'user' as const, content: 'x' }] } }];
      const b = await client.messages.batches.create({ requests: bad }, { headers: { 'x-aip-fault': 'batch-item-error:0.5' } });
      const results = [];
      for await (const r of await client.messages.batches.results(b.id)) results.push(r);
      const unknown = results.find((r) => r.custom_id === 'unknown-model')!;
      expect(unknown.result).toMatchObject({ type: 'errored', error: { type: 'error', error: { type: 'not_found_error' } } });
      const injected = results.filter((r) => r.result.type === 'errored' && (r.result.error as any).error.type === 'api_error');
      expect(injected.length).toBe(s.stats().faults['batch-item-error']);
      const many = Array.from({ length: 20 }, (_, i) => ({ ...requests[0]!, custom_id: `e${i}` }));
      const e = await client.messages.batches.create({ requests: many }, { headers: { 'x-aip-fault': 'batch-expire' } });
      const ended = await client.messages.batches.retrieve(e.id);
      expect(ended.processing_status).toBe('ended');
      expect(ended.request_counts.expired).toBeGreaterThan(0);
      expect(ended.request_counts.succeeded + ended.request_counts.expired).toBe(20);
    });
  });

  it('rejects a duplicate custom_id at create with invalid_request_error', async () => {
    await withSim({}, async (s) => {
      const e = await an(s).messages.batches.create({ requests: [requests[0]!, requests[0]!] }).catch((err) => err);
      expect(e).toBeInstanceOf(Anthropic.BadRequestError);
      expect(e.error.error.message).toMatch(/duplicate custom_id/);
    });
  });
});
