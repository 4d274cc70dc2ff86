// What OpenAI's chat completions and Responses APIs share: service_tier, reasoning effort, function tools
// and structured-output schemas, checked as OpenAI checks them (its 400 bodies).
import { ApiError, errors } from './provider-errors.js';
import { checkSchema, SchemaError, type ToolChoice, type ToolSpec } from './output.js';
import { strictModeProblem, type Schema } from './structured.js';
import type { Body } from './validate.js';

export const SERVICE_TIERS = ['auto', 'default', 'flex', 'scale', 'priority'] as const;

/** The requested service_tier and the one the response reports ("auto" runs on "default"). */
/** No service_tier asked for (nearly every request): one shared answer rather than an object each time. */
const NO_TIER: Readonly<{ requested: string | undefined; used: string }> = Object.freeze({ requested: undefined, used: 'default' });

export function serviceTier(body: Body): Readonly<{ requested: string | undefined; used: string }> {
  const v = body.service_tier;
  if (v === undefined || v === null) return NO_TIER;
  if (typeof v !== 'string' || !(SERVICE_TIERS as readonly string[]).includes(v)) {
    throw errors.invalidValue('openai', 'service_tier', `Invalid value: '${String(v)}'. Supported values are: ${SERVICE_TIERS.map((t) => `'${t}'`).join(', ')}.`);
  }
  return { requested: v, used: v === 'auto' ? 'default' : v };
}

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

export function reasoningEffort(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(REASONING_EFFORTS as readonly string[]).includes(value)) {
    throw errors.invalidValue('openai', field, `Invalid value: '${String(value)}'. Supported values are: ${REASONING_EFFORTS.map((t) => `'${t}'`).join(', ')}.`);
  }
  return value;
}

/** A schema OpenAI refuses, or the simulator cannot satisfy: OpenAI's 400 for the field. */
export function checkOpenAISchema(schema: unknown, what: string, param: string, strict: boolean): Schema {
  if (schema === undefined || schema === null) return {};
  if (typeof schema !== 'object' && typeof schema !== 'boolean') throw errors.wrongType('openai', param, 'an object', schema);
  const s = schema as Schema;
  if (strict) {
    const problem = strictModeProblem(s);
    if (problem) throw new ApiError(400, 'invalid_request_error', `Invalid schema for ${what}: ${problem}`, 'invalid_json_schema', param);
  }
  try {
    checkSchema(s);
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    throw new ApiError(400, 'invalid_request_error', `Invalid schema for ${what}: In context=(${e.where}), ${e.message}.`, 'invalid_json_schema', param);
  }
  return s;
}

/** Function tools of either API: chat nests them under `function`, Responses does not. */
export function functionTools(tools: unknown, nested: boolean): { specs: ToolSpec[]; texts: string[] } {
  if (tools === undefined || tools === null) return { specs: [], texts: [] };
  if (!Array.isArray(tools)) throw errors.wrongType('openai', 'tools', 'an array', tools);
  const specs: ToolSpec[] = [];
  tools.forEach((t, i) => {
    if (!t || typeof t !== 'object') throw errors.wrongType('openai', `tools[${i}]`, 'an object', t);
    const tool = t as Body;
    if (tool.type !== 'function') return; // built-in tools (web search, …) are accepted and never called
    const fn = (nested ? tool.function : tool) as Body | undefined;
    if (!fn || typeof fn !== 'object') throw errors.missing('openai', `tools[${i}].function`);
    if (typeof fn.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) throw errors.invalidValue('openai', `tools[${i}]${nested ? '.function' : ''}.name`, `Invalid 'tools[${i}]${nested ? '.function' : ''}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`);
    const strict = fn.strict === true;
    const schema = checkOpenAISchema(fn.parameters ?? { type: 'object', properties: {} }, `function '${fn.name}'`, `tools[${i}]${nested ? '.function' : ''}.parameters`, strict);
    specs.push({ name: fn.name, schema });
  });
  return { specs, texts: [JSON.stringify(tools)] };
}

export function toolChoice(value: unknown, specs: ToolSpec[], nested: boolean): ToolChoice {
  if (value === undefined || value === null) return { mode: 'auto' };
  if (value === 'auto' || value === 'none' || value === 'required') {
    if (value === 'required' && specs.length === 0) throw errors.invalidValue('openai', 'tool_choice', "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
    return { mode: value };
  }
  const v = value as Body;
  const name = nested ? ((v?.function as Body | undefined)?.name as unknown) : v?.name;
  if (v && typeof v === 'object' && v.type === 'function' && typeof name === 'string') {
    if (!specs.some((s) => s.name === name)) throw errors.invalidValue('openai', 'tool_choice', `Tool choice '${name}' not found in 'tools' parameter.`);
    return { mode: 'tool', name };
  }
  if (v && typeof v === 'object' && v.type === 'allowed_tools') return { mode: v.mode === 'required' ? 'required' : 'auto' };
  throw errors.invalidValue('openai', 'tool_choice', `Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a function.`);
}
