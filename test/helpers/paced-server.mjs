// A small OpenAI-compatible chat server with known timing and configurable SSE quirks, run in its own process
// (its own event loop, as any real server) so bench's accuracy can be measured against it. Not aip's simulator:
// written for these tests from the OpenAI streaming format alone.
//
// The behaviour is chosen per request by the first path segment of the base URL, e.g.
//   http://127.0.0.1:PORT/ttft=20,itl=10,n=8,eol=crlf,done=none,hold=300/v1/chat/completions
// ttft   ms from the request to the first content token (default 20)
// itl    ms between content tokens (default 10)
// n      content tokens (default 8)
// eol    lf | crlf | cr: the SSE line ending (default lf)
// done   plain ("data: [DONE]") | spaced ("data:  [DONE] ") | none (finish_reason and usage, then the end) (default plain)
// hold   ms the response stays open after its last event (default 0)
// usage  1 | 0: a usage chunk (include_usage) or none (default 1)
// reasoning  visible reasoning tokens (reasoning_content) before the content, paced at itl (default 0)
// hidden     hidden reasoning tokens reported in usage.completion_tokens_details (default 0)
// files  the status POST /v1/files answers (default 404: no batch API; 500: a batch API that fails)
// models 0: GET /v1/models → 404 (default 1)
// cap    none | max_tokens: the output cap honoured (Ollama and llama-cpp-python read only max_tokens; default none)
//
// GET /truth returns what the server did per request, as durations from the request's arrival (ms), and clears
// it: { ttft, gaps[], end, head, arrived } — end is when the terminal event (or the last event) was written; head
// when the response head (and the role chunk) was; arrived is the request's arrival on the wall clock
// (performance.timeOrigin + now, ms). A client's TTFT − TTFB is comparable with ttft − head whatever the requests
// waited on their way in (which the server's clock cannot see).
// Prints "listening on http://127.0.0.1:PORT" as its first line of stdout.
import { createServer } from 'node:http';

const DEFAULTS = { ttft: 20, itl: 10, n: 8, eol: 'lf', done: 'plain', hold: 0, usage: 1, reasoning: 0, hidden: 0, models: 1, files: 404, cap: 'none' };
const EOL = { lf: '\n', crlf: '\r\n', cr: '\r' };

/** @type {Array<{ ttft: number, gaps: number[], end: number }>} */
let truth = [];

function configOf(segment) {
  const cfg = { ...DEFAULTS };
  for (const kv of segment.split(',')) {
    const [k, v] = kv.split('=');
    if (k && v !== undefined && k in cfg) cfg[k] = typeof DEFAULTS[k] === 'number' ? Number(v) : v;
  }
  return cfg;
}

const sleepUntil = (t0, ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t0 + ms - performance.now())));

async function stream(res, cfg, model, t0) {
  const eol = EOL[cfg.eol] ?? '\n';
  const event = (data) => `data: ${data}${eol}${eol}`;
  const chunk = (delta, finish = null, usage) =>
    event(JSON.stringify({ id: 'chatcmpl-paced', object: 'chat.completion.chunk', created: 0, model, choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) }));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk({ role: 'assistant', content: '' }));
  const record = { ttft: 0, gaps: [], end: 0, head: performance.now() - t0, arrived: performance.timeOrigin + t0 };
  // Every token on an absolute schedule from the request's arrival, so timer lateness does not add up.
  let at = cfg.ttft;
  for (let i = 0; i < cfg.reasoning; i++) {
    await sleepUntil(t0, at);
    res.write(chunk({ reasoning_content: `r${i} ` }));
    at += cfg.itl;
  }
  let last = 0;
  for (let i = 0; i < cfg.n; i++) {
    await sleepUntil(t0, at);
    res.write(chunk({ content: `tok${i} ` }));
    const now = performance.now() - t0;
    if (i === 0) record.ttft = now;
    else record.gaps.push(now - last);
    last = now;
    at += cfg.itl;
  }
  let out = chunk({}, 'stop');
  const completion = cfg.n + cfg.reasoning + cfg.hidden;
  if (cfg.usage) {
    out += chunk(null, null, {
      prompt_tokens: 10,
      completion_tokens: completion,
      total_tokens: 10 + completion,
      completion_tokens_details: { reasoning_tokens: cfg.reasoning + cfg.hidden },
    });
  }
  if (cfg.done === 'plain') out += event('[DONE]');
  else if (cfg.done === 'spaced') out += `data:  [DONE] ${eol}${eol}`;
  res.write(out);
  record.end = performance.now() - t0;
  truth.push(record);
  if (cfg.hold > 0) await sleepUntil(t0, record.end + cfg.hold);
  res.end();
}

const server = createServer((req, res) => {
  const t0 = performance.now();
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/truth') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(truth));
    truth = [];
    return;
  }
  const [, segment = '', ...rest] = url.pathname.split('/');
  const cfg = configOf(segment);
  const path = `/${rest.join('/')}`;
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (req.method === 'GET' && path === '/v1/models' && cfg.models) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'paced', object: 'model', owned_by: 'test' }] }));
      return;
    }
    if (req.method === 'POST' && path === '/v1/files' && cfg.files !== 404) {
      res.writeHead(cfg.files, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'the file store is down', type: 'server_error', code: null } }));
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error', code: 'not_found' } }));
      return;
    }
    let parsed = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      /* a broken body is answered like any other */
    }
    const model = parsed.model ?? 'paced';
    if (cfg.cap === 'max_tokens' && Number.isInteger(parsed.max_tokens)) cfg.n = Math.min(cfg.n, parsed.max_tokens);
    if (parsed.stream) {
      void stream(res, cfg, model, t0);
      return;
    }
    // A plain answer: the whole time of the stream, then one body.
    setTimeout(() => {
      const content = Array.from({ length: cfg.n }, (_, i) => `tok${i} `).join('');
      const completion = cfg.n + cfg.reasoning + cfg.hidden;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-paced',
          object: 'chat.completion',
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          ...(cfg.usage ? { usage: { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion } } : {}),
        }),
      );
      truth.push({ ttft: performance.now() - t0, gaps: [], end: performance.now() - t0 });
    }, cfg.ttft + cfg.itl * (cfg.n - 1));
  });
});

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
