// OpenInference's instrumentation of the official openai SDK (llm.* attributes, not gen_ai.*) against the
// simulator: the spans it really emits import with the traffic's request count and mean tokens.
import OpenAI from 'openai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator } from '../../src/provider-sim/index.js';
import { runAip } from '../helpers/run.js';

let sim: Simulator;
let dir: string;
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aip-import-oi-'));
  provider.register();
  const instrumentation = new OpenAIInstrumentation({ tracerProvider: provider });
  instrumentation.manuallyInstrument(OpenAI);
  sim = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 5 });
});
afterAll(async () => {
  await sim?.close();
  await provider.shutdown();
  await rm(dir, { recursive: true, force: true });
});

it('imports OpenInference llm.* spans of chat completions and embeddings', async () => {
  const openai = new OpenAI({ apiKey: 'sk-sim', baseURL: `${sim.url}/v1`, maxRetries: 0 });
  let input = 0;
  let output = 0;
  for (let i = 0; i < 5; i++) {
    const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Question number ${i}: what is ${i} + ${i}?` }], max_tokens: 10 + i });
    input += r.usage!.prompt_tokens;
    output += r.usage!.completion_tokens;
  }
  await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'one short text' });
  await provider.forceFlush();
  const file = join(dir, 'oi.jsonl');
  await writeFile(file, `${new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans()))}\n`);

  const r = await runAip(['import', file, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  const chat = doc.workloads.find((w: { model: string }) => w.model === 'gpt-4o-mini');
  expect(chat).toMatchObject({ requests: 5, streaming: false });
  expect(chat.input_tokens_mean).toBeCloseTo(input / 5, 2);
  expect(chat.output_tokens_mean).toBeCloseTo(output / 5, 2);
  // OpenInference records the embedding call but not its token count in every version: either it is
  // imported as an embedding workload, or counted among the spans without tokens.
  const emb = doc.workloads.find((w: { model: string }) => w.model === 'text-embedding-3-small');
  if (emb) expect(emb.output_tokens_mean).toBe(0);
  else expect(doc.skipped['no-tokens']).toBe(1);
}, 60_000);
