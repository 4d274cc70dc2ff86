// Request-body checks that answer in the provider's words (missing field, wrong type, bad value).
import { errors, type Surface } from './provider-errors.js';

export type Body = Record<string, unknown>;

export function requireString(surface: Surface, body: Body, field: string): string {
  const v = body[field];
  if (v === undefined || v === null) throw errors.missing(surface, field);
  if (typeof v !== 'string') throw errors.wrongType(surface, field, 'a string', v);
  return v;
}

export function requireArray(surface: Surface, body: Body, field: string): unknown[] {
  const v = body[field];
  if (v === undefined || v === null) throw errors.missing(surface, field);
  if (!Array.isArray(v)) throw errors.wrongType(surface, field, 'an array', v);
  return v;
}

/** An optional whole number ≥ min (null counts as absent, as both APIs accept). */
export function optionalInt(surface: Surface, body: Body, field: string, min: number): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw errors.wrongType(surface, field, 'an integer', v);
  if (v < min) throw errors.invalidValue(surface, field, `Invalid '${field}': integer below minimum value. Expected a value >= ${min}, but got ${v} instead.`);
  return v;
}

export function optionalBool(surface: Surface, body: Body, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw errors.wrongType(surface, field, 'a boolean', v);
  return v;
}

/** The text of a message's content: a string, or the `text` of its text parts/blocks. */
export function contentTexts(surface: Surface, content: unknown, field: string, out: string[]): void {
  if (typeof content === 'string') {
    out.push(content);
    return;
  }
  if (content === null || content === undefined) return;
  if (!Array.isArray(content)) throw errors.wrongType(surface, field, 'a string or an array of content parts', content);
  content.forEach((part, i) => {
    if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') out.push((part as { text: string }).text);
    else if (!part || typeof part !== 'object') throw errors.wrongType(surface, `${field}[${i}]`, 'an object', part);
  });
}

/** Checks a messages array and collects its text. */
export function messageTexts(surface: Surface, messages: unknown[], roles: readonly string[]): string[] {
  const out: string[] = [];
  if (messages.length === 0) throw errors.invalidValue(surface, 'messages', surface === 'openai' ? "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead." : 'at least one message is required');
  messages.forEach((m, i) => {
    const field = `messages[${i}]`;
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw errors.wrongType(surface, field, 'an object', m);
    const msg = m as Body;
    const role = msg.role;
    if (role === undefined) throw errors.missing(surface, `${field}.role`);
    if (typeof role !== 'string' || !roles.includes(role)) throw errors.invalidValue(surface, `${field}.role`, `Invalid value: '${String(role)}'. Supported values are: ${roles.map((r) => `'${r}'`).join(', ')}.`);
    if (!('content' in msg) && surface === 'anthropic') throw errors.missing(surface, `${field}.content`);
    contentTexts(surface, msg.content, `${field}.content`, out);
  });
  return out;
}
