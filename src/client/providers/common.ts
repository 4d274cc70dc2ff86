// Helpers shared by the adapters: a JSON call that turns an error status into a classified AttemptError,
// and parsing of stream payloads that fails as `malformed` rather than crashing.
import { AttemptError, classifyHttp, httpDetail } from '../failure.js';
import { parseJson, type Http, type HttpRequest } from '../http.js';

export async function callJson(http: Http, req: HttpRequest): Promise<unknown> {
  const res = await http.sendText({ ...req, headers: { 'content-type': 'application/json', ...req.headers } });
  const body = parseJson(res.text);
  if (res.status >= 400) throw new AttemptError({ ...classifyHttp(res.status, res.headers, body, Date.now()), detail: httpDetail(res.status, res.text), request: `${req.method} ${http.resolvePath(req.path)}` });
  if (body === undefined) throw new AttemptError({ class: 'malformed', retryable: true, providerFault: true, status: res.status, message: 'response body is not JSON' });
  return body;
}

export function parseEventData(data: string): Record<string, unknown> {
  const parsed = parseJson(data);
  if (parsed === undefined || parsed === null || typeof parsed !== 'object') {
    throw new AttemptError({ class: 'malformed', retryable: true, providerFault: true, message: `broken SSE chunk: ${data.slice(0, 60)}` });
  }
  return parsed as Record<string, unknown>;
}

/** JSONL text → objects; a broken line is reported, not fatal to the others. */
export function parseJsonLines(text: string): { rows: Record<string, unknown>[]; broken: number } {
  const rows: Record<string, unknown>[] = [];
  let broken = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const row = parseJson(line);
    if (row && typeof row === 'object') rows.push(row as Record<string, unknown>);
    else broken += 1;
  }
  return { rows, broken };
}

export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
