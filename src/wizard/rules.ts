// Answers checked as typed with the workload schema's own rules (never a second set of rules), so what
// the wizard accepts is exactly what `aip recommend` accepts.
import type { z } from 'zod';
import { WorkloadSpecSchema } from '../core/workload/schema.js';
import { parseVolume } from '../core/workload/units.js';

type Check = true | string;

/** A zod issue in words (the schema decides; this only phrases zod's own codes for a person). */
function describe(issue: z.core.$ZodIssue, value: unknown): string {
  const params = (issue as { params?: { expected?: string; hint?: string } }).params;
  let parts = [issue.message];
  if (issue.code === 'invalid_type' && issue.expected === 'int') parts = [`${String(value)} is not a whole number`];
  else if (issue.code === 'too_small' && issue.origin === 'number') parts = [`${String(value)} is below ${issue.minimum}`, `expected at least ${issue.minimum}`];
  else if (issue.code === 'too_big' && issue.origin === 'number') parts = [`${String(value)} is above ${issue.maximum}`, `expected at most ${issue.maximum}`];
  else if (issue.code === 'too_small' && issue.origin === 'string') parts = ['expected some text'];
  if (params?.expected) parts.push(`expected ${params.expected}`);
  if (params?.hint) parts.push(params.hint);
  return parts.join('; ');
}

function check(schema: z.ZodType, value: unknown): Check {
  const r = schema.safeParse(value);
  return r.success ? true : describe(r.error.issues[0]!, value);
}

/** Issues of an object schema that concern one field (the other fields hold valid placeholders). */
function checkField(schema: z.ZodType, value: Record<string, unknown>, field: string): Check {
  const r = schema.safeParse(value);
  if (r.success) return true;
  const issue = r.error.issues.find((i) => i.path[0] === field);
  return issue ? describe(issue, value[field]) : true;
}

const shape = WorkloadSpecSchema.shape;

/** A typed number as the file will hold it: "1,200" → 1200; anything else stays text. */
export function typedNumber(text: string): number | undefined {
  const t = text.trim().replace(/[,_]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** A typed token count as the file takes it: a number, or "15k", "1.5M". */
export function typedCount(text: string): number | undefined {
  const m = /^\s*(\d[\d,_]*(?:\.\d+)?)\s*([kKmM])\s*$/.exec(text);
  return m ? Number(m[1]!.replace(/[,_]/g, '')) * (/k/i.test(m[2]!) ? 1e3 : 1e6) : typedNumber(text);
}

/** A typed fraction as the file takes it: 0.6, or "60%". */
export function typedFraction(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  return m ? Number(m[1]) / 100 : typedNumber(text);
}

/** A typed number (read by `read`) checked by `rule`; text that is no number says what was expected. */
export function numberCheck(text: string, rule: (n: number) => true | string, expected: string, read: (text: string) => number | undefined = typedNumber): true | string {
  const n = read(text);
  if (n === undefined) return `"${text.trim()}" is not a number; expected ${expected}`;
  return rule(n);
}

/** A volume as the file will hold it: a plain number stays a number, "300k" or "2k/day" stays text. */
export function volumeValue(text: string): number | string {
  return typedNumber(text) ?? text.trim();
}

export const rules = {
  name: (text: string): Check => check(shape.name, text.trim()),
  volume: (text: string): Check => check(shape.volume, volumeValue(text)),
  latency: (text: string): Check => check(shape.latency, text.trim()),
  /** Mean input tokens (input.tokens) or tokens added to a prompt file (input.extra_tokens). */
  inputTokens: (n: number): Check => checkField(shape.input, { tokens: n }, 'tokens'),
  extraTokens: (n: number): Check => checkField(shape.input, { prompt: 'x', extra_tokens: n }, 'extra_tokens'),
  cached: (n: number): Check => checkField(shape.input, { tokens: 1, cached: n }, 'cached'),
  outputTokens: (n: number): Check => checkField(shape.output, { tokens: n }, 'tokens'),
  /** Output p95 against the mean already given (the schema refuses a p95 below the mean). */
  outputP95: (n: number, mean: number): Check => checkField(shape.output, { tokens: mean, p95: n }, 'p95'),
  peakFactor: (n: number): Check => check(shape.peak_factor, n),
  /** One field of a pricing override, USD per 1M tokens. */
  price: (field: string, n: number): Check => checkField(shape.pricing, { [field]: n }, field),
};

/** Requests per month of a volume the rules accepted. */
export function requestsPerMonth(volume: number | string): number {
  const r = parseVolume(volume);
  if (!r.ok) throw new Error(`volume "${volume}" was not validated`);
  return r.perMonth;
}
