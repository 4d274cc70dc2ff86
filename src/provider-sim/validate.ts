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

/** An optional whole number in [min, max] (the providers' own bounds: `n` ≤ 128, `candidateCount` ≤ 8). */
export function optionalIntIn(surface: Surface, body: Body, field: string, min: number, max: number): number | undefined {
  const v = optionalInt(surface, body, field, min);
  if (v !== undefined && v > max) throw errors.invalidValue(surface, field, `Invalid '${field}': integer above maximum value. Expected a value <= ${max}, but got ${v} instead.`);
  return v;
}

/**
 * An optional finite number in [min, max] (temperature, top_p). JSON's 1e999 reads as Infinity: refused as
 * the providers refuse a value out of range.
 */
export function optionalNumberIn(surface: Surface, body: Body, field: string, min: number, max: number): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw errors.wrongType(surface, field, 'a number', v);
  if (!Number.isFinite(v) || v < min || v > max) {
    const shown = Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
    throw errors.invalidValue(surface, field, `Invalid '${field}': expected a number between ${min} and ${max}, but got ${shown} instead.`);
  }
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

/**
 * Everything in a content part that the model reads as text: its `text`, a tool call's input, a tool
 * result's content (Anthropic tool_use / tool_result blocks, Gemini functionCall / functionResponse).
 */
function partTexts(part: Body, out: string[]): void {
  if (typeof part.text === 'string') out.push(part.text);
  if (part.input !== undefined) out.push(JSON.stringify(part.input));
  if (typeof part.name === 'string' && part.type === 'tool_use') out.push(part.name);
  if (part.type === 'tool_result') {
    if (typeof part.content === 'string') out.push(part.content);
    else if (Array.isArray(part.content)) for (const c of part.content) if (c && typeof c === 'object') partTexts(c as Body, out);
  }
}

/** One message as the model reads it: its role, the texts in it, and an optional name. */
export interface MessageParts {
  role: string;
  texts: string[];
  name?: string;
}

/** Checks a messages array and collects each message's role and texts (for counting with framing). */
export function messageParts(surface: Surface, messages: unknown[], roles: readonly string[]): MessageParts[] {
  if (messages.length === 0) throw errors.invalidValue(surface, 'messages', surface === 'openai' ? "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead." : 'at least one message is required');
  return messages.map((m, i) => {
    const field = `messages[${i}]`;
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw errors.wrongType(surface, field, 'an object', m);
    const msg = m as Body;
    const role = msg.role;
    if (role === undefined) throw errors.missing(surface, `${field}.role`);
    if (typeof role !== 'string' || !roles.includes(role)) throw errors.invalidValue(surface, `${field}.role`, `Invalid value: '${String(role)}'. Supported values are: ${roles.map((r) => `'${r}'`).join(', ')}.`);
    if (!('content' in msg) && surface === 'anthropic') throw errors.missing(surface, `${field}.content`);
    const texts: string[] = [];
    const content = msg.content;
    if (Array.isArray(content)) {
      content.forEach((part, j) => {
        if (!part || typeof part !== 'object') throw errors.wrongType(surface, `${field}.content[${j}]`, 'an object', part);
        partTexts(part as Body, texts);
      });
    } else contentTexts(surface, content, `${field}.content`, texts);
    // OpenAI assistant tool calls: the model reads each call's name and arguments.
    if (Array.isArray(msg.tool_calls)) {
      for (const c of msg.tool_calls) {
        const fn = c && typeof c === 'object' ? ((c as Body).function as Body | undefined) : undefined;
        if (fn && typeof fn.name === 'string') texts.push(fn.name);
        if (fn && typeof fn.arguments === 'string') texts.push(fn.arguments);
      }
    }
    return { role, texts, name: typeof msg.name === 'string' ? msg.name : undefined };
  });
}
