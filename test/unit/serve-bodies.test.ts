// Bodies the simulator writes as text templates are the same bytes as the objects they stand for, encoded with
// JSON.stringify (which batches still use): many seeds, models and request shapes.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { seededRandom } from '../../src/core/random.js';
import { completionJson, completionObject, prepareChat } from '../../src/provider-sim/openai-chat.js';
import { planOutput } from '../../src/provider-sim/output.js';
import { SimState } from '../../src/provider-sim/state.js';

const weather = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, note: { type: 'string' } }, required: ['city', 'note'] } } };
const schema = { type: 'object', properties: { answer: { type: 'string' }, n: { type: 'integer' }, ok: { type: 'boolean' } }, required: ['answer', 'n', 'ok'] };
const user = [{ role: 'user', content: 'Say "hi" — then\tstop.\n' }];

const BODIES: Array<Record<string, unknown>> = [
  { model: 'gpt-4o-mini', messages: user },
  { model: 'gpt-4o-mini', messages: user, max_tokens: 1 },
  { model: 'gpt-4o-mini', messages: user, max_tokens: 50, service_tier: 'flex' },
  { model: 'openai/gpt-4.1-nano', messages: user, service_tier: 'auto' },
  { model: 'o4-mini', messages: user, reasoning_effort: 'high', max_completion_tokens: 30 },
  { model: 'o4-mini', messages: user, reasoning_effort: 'low' },
  { model: 'gpt-4o-mini', messages: user, tools: [weather], tool_choice: 'required' },
  { model: 'gpt-4o-mini', messages: user, tools: [weather, { ...weather, function: { ...weather.function, name: 'other' } }], max_tokens: 5 },
  { model: 'gpt-4o-mini', messages: user, response_format: { type: 'json_schema', json_schema: { name: 'r', schema } } },
  { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_object' }, max_tokens: 8 },
];

describe('completionJson', () => {
  it('is JSON.stringify(completionObject) for 10 request shapes × 60 seeds, broken outputs included', async () => {
    const state = new SimState({ catalog: await loadCatalog(), latencyScale: 0 });
    let compared = 0;
    for (const body of BODIES) {
      const plan = await prepareChat(state, body);
      for (let seed = 1; seed <= 60; seed++) {
        // Every third seed breaks the structured output or tool call, as the content faults do.
        const broken = seed % 3 === 0 ? (plan.spec.tools.length > 0 ? 'tool-error' : plan.spec.format ? 'invalid-json' : undefined) : undefined;
        const out = planOutput(plan.rt, seededRandom(seed), plan.maxTokens, plan.spec, broken);
        const callIds = out.toolCalls.map((_, i) => `call_${seed}_${i}`);
        const created = 1_700_000_000 + seed;
        expect(completionJson(plan, out, `chatcmpl-${seed}`, created, callIds)).toBe(JSON.stringify(completionObject(plan, out, `chatcmpl-${seed}`, created, callIds)));
        compared++;
      }
    }
    expect(compared).toBe(600);
  });
});
