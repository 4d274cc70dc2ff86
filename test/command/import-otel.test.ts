// The real producers: the official openai SDK under @traceloop/instrumentation-openai and the Anthropic
// SDK's own OpenTelemetry GenAI tracing, against `aip serve`'s simulator on loopback. The spans are
// exported as OTLP JSON (the collector file exporter's shape: one ExportTraceServiceRequest per line),
// imported, and the workloads must match the traffic sent. Then `aip recommend` reads the written file.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator } from '../../src/provider-sim/index.js';
import { runAip } from '../helpers/run.js';

let sim: Simulator;
let dir: string;
let spansFile: string;
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const sent = {
  openaiDirect: { n: 0, input: 0, output: 0 },
  openaiStreamed: 0,
  anthropicDirect: { n: 0, input: 0, output: 0 },
  anthropicStreamed: { n: 0, input: 0, output: 0 },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aip-import-otel-'));
  provider.register();
  const instrumentation = new OpenAIInstrumentation({ traceContent: false });
  instrumentation.setTracerProvider(provider);
  instrumentation.manuallyInstrument(OpenAI as never);
  sim = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0.02, seed: 11 });
  const openai = new OpenAI({ apiKey: 'sk-sim', baseURL: `${sim.url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: 'sk-ant-sim', baseURL: sim.url, maxRetries: 0 });
  const questions = ['What is a prompt cache?', 'Summarise the release notes in two lines.', 'Classify: "refund please"', 'Translate "good morning" to French.', 'List three prime numbers.', 'Why is the sky blue?'];

  for (const [i, q] of questions.entries()) {
    const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], max_tokens: 20 + i * 5 });
    sent.openaiDirect.n += 1;
    sent.openaiDirect.input += r.usage!.prompt_tokens;
    sent.openaiDirect.output += r.usage!.completion_tokens;
  }
  for (const q of questions.slice(0, 4)) {
    const s = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }], max_tokens: 30, stream: true, stream_options: { include_usage: true } });
    for await (const _ of s) void _;
    sent.openaiStreamed += 1;
  }
  for (const [i, q] of questions.slice(0, 5).entries()) {
    const m = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 25 + i * 10, messages: [{ role: 'user', content: q }] });
    sent.anthropicDirect.n += 1;
    sent.anthropicDirect.input += m.usage.input_tokens;
    sent.anthropicDirect.output += m.usage.output_tokens;
  }
  for (const [i, q] of questions.entries()) {
    const stream = anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 40 + i * 10, messages: [{ role: 'user', content: q }] });
    const m = await stream.finalMessage();
    sent.anthropicStreamed.n += 1;
    sent.anthropicStreamed.input += m.usage.input_tokens;
    sent.anthropicStreamed.output += m.usage.output_tokens;
  }
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  // Two export batches, one ExportTraceServiceRequest per line, as the collector's file exporter writes.
  const half = Math.ceil(spans.length / 2);
  const lines = [spans.slice(0, half), spans.slice(half)].map((batch) => new TextDecoder().decode(JsonTraceSerializer.serializeRequest(batch)));
  spansFile = join(dir, 'traces.jsonl');
  await writeFile(spansFile, `${lines.join('\n')}\n`);
}, 60_000);

afterAll(async () => {
  await sim?.close();
  await provider.shutdown();
  await rm(dir, { recursive: true, force: true });
});

describe('aip import of spans from the real instrumentations', () => {
  it('emits the attribute names this import reads (GenAI conventions, new provider name)', async () => {
    const text = await readFile(spansFile, 'utf8');
    expect(text).toContain('"gen_ai.provider.name"');
    expect(text).toContain('"gen_ai.usage.input_tokens"');
    expect(text).toContain('"gen_ai.response.time_to_first_chunk"'); // the Anthropic SDK's streamed spans
    expect(text).toContain('"gen_ai.request.stream"');
  });

  it('derives one workload per model and pattern that matches the traffic sent', async () => {
    const r = await runAip(['import', spansFile, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const byName = Object.fromEntries(doc.workloads.map((w: { name: string }) => [w.name, w]));
    const names = Object.keys(byName);
    const find = (model: string, streaming: boolean) => doc.workloads.find((w: { model: string; streaming: boolean }) => w.model === model && w.streaming === streaming);

    const oa = find('gpt-4o-mini', false) ?? doc.workloads.find((w: { model: string }) => w.model === 'gpt-4o-mini');
    expect(oa, names.join(', ')).toBeDefined();
    expect(oa.requests).toBe(sent.openaiDirect.n);
    expect(oa.input_tokens_mean).toBeCloseTo(sent.openaiDirect.input / sent.openaiDirect.n, 2);
    expect(oa.output_tokens_mean).toBeCloseTo(sent.openaiDirect.output / sent.openaiDirect.n, 2);

    const ad = find('claude-haiku-4-5', false);
    expect(ad.requests).toBe(sent.anthropicDirect.n);
    expect(ad.input_tokens_mean).toBeCloseTo(sent.anthropicDirect.input / sent.anthropicDirect.n, 2);
    expect(ad.output_tokens_mean).toBeCloseTo(sent.anthropicDirect.output / sent.anthropicDirect.n, 2);
    expect(ad.observed.pattern).toBe('direct');
    expect(ad.observed.service_tier).toBe('standard');

    const as = find('claude-haiku-4-5', true);
    expect(as.requests).toBe(sent.anthropicStreamed.n);
    expect(as.input_tokens_mean).toBeCloseTo(sent.anthropicStreamed.input / sent.anthropicStreamed.n, 2);
    expect(as.output_tokens_mean).toBeCloseTo(sent.anthropicStreamed.output / sent.anthropicStreamed.n, 2);
    expect(as.observed.pattern).toBe('streaming');
    expect(as.user_facing).toBe(true);
    expect(as.speed.samples).toBe(sent.anthropicStreamed.n);
    expect(as.output_tokens_p95).toBeGreaterThanOrEqual(Math.round(as.output_tokens_mean));

    // Volume: the requests scaled from the period the spans cover to a 30-day month.
    // (A period under a second counts as one second: the import never divides a month by a blink.)
    const periodS = Math.max((Date.parse(doc.period.end) - Date.parse(doc.period.start)) / 1000, 1);
    const expected = (sent.anthropicStreamed.n * 2_592_000) / periodS;
    expect(Math.abs(as.requests_per_month - expected) / expected).toBeLessThan(0.002);

    // traceloop records no usage for streamed chat completions: counted and reported, not zero-token traffic.
    expect(doc.skipped['no-tokens']).toBe(sent.openaiStreamed);
    expect(doc.workloads.reduce((s: number, w: { requests: number }) => s + w.requests, 0)).toBe(sent.openaiDirect.n + sent.anthropicDirect.n + sent.anthropicStreamed.n);
  });

  it('writes a workload file that aip recommend reads unchanged, and a calibration that labels latencies as measured', async () => {
    const out = join(dir, 'workloads.yaml');
    const cal = join(dir, 'calibration.yaml');
    const r = await runAip(['import', spansFile, '-o', out, '--latency', '*streaming*=5s', '--latency', '30s', '--calibration', cal]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not imported: 4 without token counts/);
    const yaml = await readFile(out, 'utf8');
    expect(yaml).toMatch(/latency: 5s +# tolerance from --latency \(\*streaming\*\)/);
    expect(yaml).not.toContain('TODO');

    const rec = await runAip(['recommend', out, '--json', '--catalog', cal]);
    expect(rec.code, rec.stderr).toBe(0);
    const doc = JSON.parse(rec.stdout);
    expect(doc.workloads.length).toBe(3);
    const streamed = doc.workloads.find((w: { name: string }) => w.name.includes('claude-haiku-4-5-streaming'));
    expect(streamed.latency_source).toMatch(new RegExp(`^measured: \\d+ requests, \\d{4}-\\d{2}-\\d{2}`));
    const table = await runAip(['recommend', out, '--details', '--catalog', cal]);
    expect(table.stdout).toMatch(/\(measured: \d+ requests,\s/);

    // Without --latency the file says TODO and recommend refuses it with exit 2, naming the line.
    const out2 = join(dir, 'todo.yaml');
    expect((await runAip(['import', spansFile, '-o', out2])).code).toBe(0);
    const refused = await runAip(['recommend', out2]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/todo\.yaml:\d+:\d+: workloads\[0\]\.latency: the latency tolerance is not set yet/);
  });

  it('prices the traffic as sent next to the recommendation (--recommend)', async () => {
    const r = await runAip(['import', spansFile, '--recommend', '--latency', '24h']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/What you pay now and what you could/);
    expect(r.stdout).toMatch(/total/);
    const j = JSON.parse((await runAip(['import', spansFile, '--recommend', '--latency', '24h', '--json'])).stdout);
    expect(j.total_usd_per_month.now).toBeGreaterThan(0);
    // A day's tolerance: batch at half price for the models that have one, so the saving is positive.
    expect(j.total_usd_per_month.saving).toBeGreaterThan(0);
    for (const w of j.workloads) expect(w.recommended).not.toBeNull();
  });
});
