// The reference for bench-accuracy's stream timing: a bare undici Pool loop streaming chat completions, run in
// its own fresh process as `aip bench` is, with the same concurrency, warm-up and sample count. It stamps each
// chunk when undici hands it over and counts the content tokens in it (delta.content that is not empty): what
// any client on undici on this machine can see at best, so bench's error can be told from the machine's.
// A closed loop: each worker sends its next request as soon as its last stream ended.
// Usage: node scripts/bench/bare-undici-stream.mjs BASE_URL CONCURRENCY REQUESTS WARMUP BODY
//   → one JSON line: [{ ttfb, ttft, end, gaps[] }] per measured request, ms from its send
import { Pool } from 'undici';

const [baseUrl, c, n, wu, body] = process.argv.slice(2);
const concurrency = Number(c);
const requests = Number(n);
const warmup = Number(wu);
const url = new URL(baseUrl);
const path = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
const pool = new Pool(url.origin, { connections: concurrency + 1, pipelining: 1 });
const headers = { 'content-type': 'application/json' };
const CONTENT = /"content":"[^"]/g;
const out = [];
let next = 0;
const total = warmup + requests;

async function one(measured) {
  const sent = performance.now();
  const res = await pool.request({ method: 'POST', path, headers, body });
  const ttfb = performance.now() - sent;
  let ttft;
  let last = 0;
  let end;
  const gaps = [];
  let carry = '';
  for await (const chunk of res.body) {
    const at = performance.now() - sent;
    const text = carry + chunk.toString('utf8');
    const cut = text.lastIndexOf('\n');
    const whole = cut >= 0 ? text.slice(0, cut) : '';
    carry = cut >= 0 ? text.slice(cut + 1) : text;
    const tokens = whole.match(CONTENT)?.length ?? 0;
    for (let i = 0; i < tokens; i++) {
      if (ttft === undefined) ttft = at;
      else gaps.push(at - last); // tokens read together: the read's interval to the first, 0 to the rest
      last = at;
    }
    if (end === undefined && whole.includes('[DONE]')) end = at;
  }
  if (measured) out.push({ ttfb, ttft, end: end ?? performance.now() - sent, gaps });
}

await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      await one(i >= warmup);
    }
  }),
);
await pool.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
