// A hostile OpenAI-compatible server for `aip bench`, in its own process (its own event loop, as any real
// server): it hangs, answers slowly, inflates or leaves out usage, answers 429 forever, or answers 401 with
// the key it was sent in the body. Written for these tests from the OpenAI format alone; loopback only.
//
// The behaviour is chosen per request by the first path segment of the base URL, e.g.
//   http://127.0.0.1:PORT/mode=slow,ms=400/v1/chat/completions
// mode   ok (default) | hang (never answers: no status, no headers) | slow (answers after ms)
//        | inflate (usage × factor) | nousage (no usage in the answer) | 429 (always, with retry-after)
//        | 401echo (401 whose message quotes the Authorization, x-api-key and x-goog-api-key headers)
// ms     slow: ms before the answer (default 400)
// factor inflate: the multiplier of prompt and completion tokens (default 50)
// retry  429: the retry-after header, s (default 3600); "none" sends no retry-after
// models hang: GET /models hangs too (default 0: GET /models answers at once)
// files  the status POST /v1/files answers (default 404: no batch API); "hang": the upload is never answered
// batch  stuck: with files=200, a batch is created and stays in_progress forever (polls answer at once);
//        "hang": the batch create is never answered
//
// GET /seen returns what the server received since the last /seen and clears it:
//   { completions: number, maxTokens: number, authorization: string[] } — completion requests received
//   (whatever came of them), the sum of their output caps (max_completion_tokens or max_tokens: what the
//   client had to reserve for them), and the distinct credentials headers seen.
// GET /state returns { batchCreates } (batch creates received so far) without clearing anything.
// Prints "listening on http://127.0.0.1:PORT" as its first line of stdout.
import { createServer } from 'node:http';

const DEFAULTS = { mode: 'ok', ms: 400, factor: 50, retry: '3600', models: 0, files: '404', batch: 'stuck' };

let seen = { completions: 0, maxTokens: 0, authorization: new Set() };
let batchCreates = 0;
/** Requests held open by hang: ended only when the client gives up (or the server stops). */
const hanging = new Set();

function configOf(segment) {
  const cfg = { ...DEFAULTS };
  for (const kv of segment.split(',')) {
    const [k, v] = kv.split('=');
    if (k && v !== undefined && k in cfg) cfg[k] = typeof DEFAULTS[k] === 'number' ? Number(v) : v;
  }
  return cfg;
}

function json(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function hang(req, res) {
  hanging.add(res);
  res.on('close', () => hanging.delete(res));
}

const WORDS = ['alpha ', 'beta ', 'gamma ', 'delta '];

function answer(res, body, cfg) {
  const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini';
  const text = WORDS.join('');
  const factor = cfg.mode === 'inflate' ? cfg.factor : 1;
  const usage = { prompt_tokens: 20 * factor, completion_tokens: 4 * factor, total_tokens: 24 * factor };
  if (body.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'chatcmpl-hostile', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }));
    for (const w of WORDS) res.write(chunk({ content: w }));
    res.write(chunk({}, 'stop'));
    if (cfg.mode !== 'nousage') res.write(`data: ${JSON.stringify({ id: 'chatcmpl-hostile', object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
    return;
  }
  json(res, 200, {
    id: 'chatcmpl-hostile',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    ...(cfg.mode === 'nousage' ? {} : { usage }),
  });
}

function credentials(req) {
  return [req.headers.authorization, req.headers['x-api-key'], req.headers['x-goog-api-key']].filter((v) => typeof v === 'string');
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/seen') {
    const out = { completions: seen.completions, maxTokens: seen.maxTokens, authorization: [...seen.authorization] };
    seen = { completions: 0, maxTokens: 0, authorization: new Set() };
    return json(res, 200, out);
  }
  if (url.pathname === '/state') return json(res, 200, { batchCreates });
  const segments = url.pathname.split('/').filter(Boolean);
  const cfg = segments[0]?.includes('=') ? configOf(segments.shift()) : { ...DEFAULTS };
  const path = `/${segments.join('/')}`;
  for (const c of credentials(req)) seen.authorization.add(c);
  const chunks = [];
  req.on('data', (d) => chunks.push(d));
  req.on('end', () => {
    if (cfg.mode === '401echo') {
      // What some proxies do: quote the credentials they were given back in the error.
      return json(res, 401, { error: { message: `Incorrect API key provided: ${credentials(req).join(' ') || '(none)'}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (req.method === 'GET' && path.endsWith('/models')) {
      if (cfg.mode === 'hang' && cfg.models) return hang(req, res);
      return json(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'hostile' }] });
    }
    if (req.method === 'POST' && path.endsWith('/files')) {
      if (cfg.files === 'hang') return hang(req, res);
      if (cfg.files !== '200') return json(res, Number(cfg.files), { error: { message: 'no files here', type: 'invalid_request_error' } });
      return json(res, 200, { id: 'file-hostile', object: 'file', bytes: 1, created_at: 0, filename: 'in.jsonl', purpose: 'batch', status: 'processed' });
    }
    const batchObject = (status) => ({ id: 'batch_hostile', object: 'batch', endpoint: '/v1/chat/completions', input_file_id: 'file-hostile', completion_window: '24h', status, created_at: 0, request_counts: { total: 1, completed: 0, failed: 0 } });
    if (req.method === 'POST' && path.endsWith('/batches')) batchCreates++;
    if (req.method === 'POST' && path.endsWith('/batches')) return cfg.batch === 'hang' ? hang(req, res) : json(res, 200, batchObject('validating'));
    if (req.method === 'GET' && /\/batches\/[^/]+$/.test(path)) return json(res, 200, batchObject('in_progress'));
    if (req.method === 'POST' && path.endsWith('/cancel')) return json(res, 200, batchObject('cancelling'));
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) return json(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
    seen.completions++;
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return json(res, 400, { error: { message: 'not JSON', type: 'invalid_request_error' } });
    }
    seen.maxTokens += Number(body.max_completion_tokens ?? body.max_tokens ?? 0);
    switch (cfg.mode) {
      case 'hang':
        return hang(req, res);
      case '429':
        return json(res, 429, { error: { message: 'Rate limit reached. Please try again later.', type: 'requests', code: 'rate_limit_exceeded' } }, cfg.retry === 'none' ? {} : { 'retry-after': cfg.retry });
      case 'slow': {
        const timer = setTimeout(() => answer(res, body, cfg), cfg.ms);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      default:
        return answer(res, body, cfg);
    }
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => {
  for (const res of hanging) res.destroy();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
