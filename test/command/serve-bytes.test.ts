// The simulator's exact bytes for a seed: status line, headers (but Date) and body of a fixed series of requests
// on one simulator (seed 1, a fixed clock, latency scale 0), compared with a stored copy. Changing how a
// response is built (templates instead of objects, buffers instead of strings) must not change one byte; a
// deliberate change of the output updates the stored copy (`npx vitest run -u test/command/serve-bytes.test.ts`)
// and shows in review as a diff of the responses themselves.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator } from '../../src/provider-sim/index.js';

interface Req {
  name: string;
  path: string;
  body: unknown;
  headers?: Record<string, string>;
}

const SYSTEM = 'You are a helpful assistant that answers briefly and precisely.';
const USER = 'Explain in a few sentences when a batch API is cheaper than direct calls.';
const messages = [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: USER },
];
const weather = { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] } } };
const schema = { type: 'object', properties: { answer: { type: 'string' }, score: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['answer', 'score', 'tags'], additionalProperties: false };
const fault = (kind: string) => ({ 'x-aip-fault': kind });
const chat = '/v1/chat/completions';
const anthropic = { 'anthropic-version': '2023-06-01', 'x-api-key': 'k' };

const REQUESTS: Req[] = [
  { name: 'chat plain, max_tokens 50', path: chat, body: { model: 'gpt-4o-mini', messages, max_tokens: 50 } },
  { name: 'chat plain, no cap', path: chat, body: { model: 'gpt-4o-mini', messages } },
  { name: 'chat plain, named model with a date, service_tier auto', path: chat, body: { model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Say "hi" — with quotes\nand a new line.', name: 'bob' }], service_tier: 'auto' } },
  { name: 'chat plain, flex tier', path: chat, body: { model: 'gpt-4o-mini', messages, max_completion_tokens: 12, service_tier: 'flex' } },
  { name: 'chat SSE with usage', path: chat, body: { model: 'gpt-4o-mini', messages, max_tokens: 30, stream: true, stream_options: { include_usage: true } } },
  { name: 'chat SSE without usage', path: chat, body: { model: 'gpt-4o-mini', messages, max_tokens: 30, stream: true } },
  { name: 'chat tool call, plain', path: chat, body: { model: 'gpt-4o-mini', messages, tools: [weather], tool_choice: 'required' } },
  { name: 'chat tool call, SSE with usage', path: chat, body: { model: 'gpt-4o-mini', messages, tools: [weather], tool_choice: 'required', stream: true, stream_options: { include_usage: true } } },
  { name: 'chat after a tool result answers in text', path: chat, body: { model: 'gpt-4o-mini', tools: [weather], max_tokens: 20, messages: [...messages, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo","days":2}' } }] }, { role: 'tool', tool_call_id: 'call_1', content: 'sunny' }] } },
  { name: 'chat structured output', path: chat, body: { model: 'gpt-4o-mini', messages, response_format: { type: 'json_schema', json_schema: { name: 'reply', strict: true, schema } } } },
  { name: 'chat json_object', path: chat, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Answer in JSON.' }], response_format: { type: 'json_object' }, stream: true } },
  { name: 'chat reasoning model cut by its cap', path: chat, body: { model: 'o4-mini', messages, max_completion_tokens: 40, reasoning_effort: 'high' } },
  { name: 'chat reasoning model, SSE', path: chat, body: { model: 'o4-mini', messages, stream: true, stream_options: { include_usage: true } } },
  { name: 'chat malformed fault, plain', path: chat, body: { model: 'gpt-4o-mini', messages, max_tokens: 20 }, headers: fault('malformed') },
  { name: 'chat malformed fault, SSE', path: chat, body: { model: 'gpt-4o-mini', messages, max_tokens: 20, stream: true }, headers: fault('malformed') },
  { name: 'chat drop fault, SSE', path: chat, body: { model: 'gpt-4o-mini', messages, max_tokens: 20, stream: true }, headers: fault('drop') },
  { name: 'chat invalid-json fault', path: chat, body: { model: 'gpt-4o-mini', messages, response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } } }, headers: fault('invalid-json') },
  { name: 'chat tool-error fault, SSE', path: chat, body: { model: 'gpt-4o-mini', messages, tools: [weather], tool_choice: 'required', stream: true }, headers: fault('tool-error') },
  { name: 'chat 429 fault', path: chat, body: { model: 'gpt-4o-mini', messages }, headers: fault('429') },
  { name: 'chat unknown model', path: chat, body: { model: 'gpt-0', messages } },
  { name: 'chat invalid JSON', path: chat, body: '{"model":' },
  { name: 'anthropic plain', path: '/v1/messages', body: { model: 'claude-haiku-4-5', max_tokens: 40, system: SYSTEM, messages: [{ role: 'user', content: USER }] }, headers: anthropic },
  { name: 'anthropic SSE', path: '/v1/messages', body: { model: 'claude-haiku-4-5', max_tokens: 40, messages: [{ role: 'user', content: USER }], stream: true }, headers: anthropic },
  { name: 'responses plain', path: '/v1/responses', body: { model: 'gpt-4o-mini', instructions: SYSTEM, input: USER, max_output_tokens: 40, store: false } },
  { name: 'responses SSE', path: '/v1/responses', body: { model: 'gpt-4o-mini', input: USER, max_output_tokens: 25, stream: true } },
  { name: 'gemini plain', path: '/v1beta/models/gemini-2.5-flash-lite:generateContent', body: { contents: [{ role: 'user', parts: [{ text: USER }] }], generationConfig: { maxOutputTokens: 40 } }, headers: { 'x-goog-api-key': 'k' } },
  { name: 'gemini SSE', path: '/v1beta/models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse', body: { contents: [{ role: 'user', parts: [{ text: USER }] }], generationConfig: { maxOutputTokens: 25 } }, headers: { 'x-goog-api-key': 'k' } },
];

/** Everything the server sent for one request on a connection of its own, until it closed. */
function exchange(sim: Simulator, r: Req): Promise<Buffer> {
  const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const head = [`POST ${r.path} HTTP/1.1`, `host: ${sim.host}:${sim.port}`, 'content-type: application/json', `content-length: ${Buffer.byteLength(body)}`, 'connection: close', ...Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // Not half-closed after the request: a server sees the client's end as it leaving, and cuts a paced stream.
    const socket = connect(sim.port, sim.host, () => socket.write(`${head.join('\r\n')}\r\n\r\n${body}`));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

/** The response as text: its Date header left out (the real clock), a chunked body joined back together. */
function shown(raw: Buffer): string {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return text;
  const lines = text.slice(0, end).split('\r\n').filter((l) => !/^date:/i.test(l));
  let body = text.slice(end + 4);
  if (lines.some((l) => /^transfer-encoding: chunked$/i.test(l))) {
    let out = '';
    let at = 0;
    for (;;) {
      const eol = body.indexOf('\r\n', at);
      if (eol < 0) break;
      const size = parseInt(body.slice(at, eol), 16);
      if (!(size > 0)) break;
      out += body.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    body = out;
  }
  return `${lines.join('\n')}\n\n${Buffer.from(body, 'latin1').toString('utf8')}`;
}

const options = { seed: 1, now: () => new Date(Date.UTC(2026, 11, 1, 12, 0, 0)), warmModels: ['gpt-4o-mini', 'gpt-4.1-nano', 'o4-mini', 'claude-haiku-4-5', 'gemini-2.5-flash-lite'] };
let sim: Simulator;
let paced: Simulator;
beforeAll(async () => {
  const catalog = await loadCatalog();
  sim = await startSimulator({ catalog, latencyScale: 0, ...options });
  // Paced streams (latency scale above 0) are written token by token, chunked: the same events, framed apart.
  paced = await startSimulator({ catalog, latencyScale: 0.002, ...options });
});
afterAll(async () => {
  await sim.close();
  await paced.close();
});

describe('serve: the same bytes for a seed', () => {
  it(`${REQUESTS.length} requests of every API, plain and SSE, tools, structured output, reasoning and faults`, async () => {
    const out: string[] = [];
    // One after another: ids, random streams and rate-limit buckets follow the order of arrival.
    for (const r of REQUESTS) out.push(`### ${r.name}\n${shown(await exchange(sim, r))}`);
    await expect(out.join('\n\n')).toMatchFileSnapshot('__snapshots__/serve-bytes.txt');
  });

  it('paced: chat plain and SSE, a tool call streamed, Anthropic and Responses streams, at latency scale 0.002', async () => {
    const names = ['chat plain, max_tokens 50', 'chat SSE with usage', 'chat tool call, SSE with usage', 'chat malformed fault, SSE', 'anthropic SSE', 'responses SSE'];
    const out: string[] = [];
    for (const r of REQUESTS.filter((q) => names.includes(q.name))) out.push(`### ${r.name}\n${shown(await exchange(paced, r))}`);
    expect(out).toHaveLength(names.length);
    await expect(out.join('\n\n')).toMatchFileSnapshot('__snapshots__/serve-bytes-paced.txt');
  });
});
