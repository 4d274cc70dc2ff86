// Stream handling of bench's client, on plain values: ITL from arrival times with coalesced reads split evenly,
// SSE line endings, where the output cap goes, [DONE] with whitespace, and the Gemini stream's end.
import { describe, expect, it } from 'vitest';
import { geminiAdapter } from '../../src/client/providers/gemini.js';
import { isDone, openaiChatAdapter } from '../../src/client/providers/openai.js';
import { openaiResponsesAdapter } from '../../src/client/providers/openai-responses.js';
import type { StreamAccumulator } from '../../src/client/providers/types.js';
import { StreamTiming } from '../../src/client/resilient.js';
import { LineEndings, sseEvents } from '../../src/client/sse.js';

const req = { customId: 'a', model: 'm', prompt: 'hi', maxTokens: 7 };

describe('ITL from arrival times', () => {
  it('one token per read: the gaps between reads', () => {
    const t = new StreamTiming();
    for (const at of [100, 110, 125, 130]) t.content(at);
    expect(t.finish()).toMatchObject({ firstContentAt: 100, itlMs: [10, 15, 5], coalesced: 0 });
  });

  it('several tokens in one read share the interval since the previous read evenly', () => {
    const t = new StreamTiming();
    // read at 100: 1 token; read at 130: 3 tokens; read at 140: 1 token.
    for (const at of [100, 130, 130, 130, 140]) t.content(at);
    expect(t.finish()).toMatchObject({ itlMs: [10, 10, 10, 10], coalesced: 3 });
  });

  it('extra tokens of the first read are carried into the next read\'s share: the gaps add up to last − first', () => {
    const t = new StreamTiming();
    for (const at of [100, 100, 120, 140]) t.content(at);
    const { itlMs } = t.finish();
    expect(itlMs).toEqual([10, 10, 20]);
    expect(itlMs.reduce((a, b) => a + b, 0)).toBe(40);
  });

  it('reasoning before content: TTFT is to the first content token', () => {
    const t = new StreamTiming();
    t.reasoning(50);
    t.reasoning(60);
    t.content(90);
    expect(t.finish()).toMatchObject({ firstReasoningAt: 50, firstContentAt: 90 });
  });
});

describe('SSE line endings', () => {
  it('CR, LF and CRLF, also split across reads, are one line ending each', () => {
    const eol = new LineEndings();
    expect(eol.normalise('data: a\r')).toBe('data: a\n');
    expect(eol.normalise('\ndata: b\r\n\r')).toBe('data: b\n\n');
    expect(eol.normalise('\rdata: c\n\n')).toBe('\ndata: c\n\n');
  });

  it('every event of a bare-CR stream arrives with its own read, and the last one without a blank line too', async () => {
    async function* body() {
      yield new TextEncoder().encode('data: 1\r\r');
      yield new TextEncoder().encode('data: 2\r\r');
      yield new TextEncoder().encode('data: [DONE]');
    }
    let read = 0;
    const seen: Array<[string, number]> = [];
    const reads = body();
    const counted = { async *[Symbol.asyncIterator]() { for await (const c of reads) { read += 1; yield c; } } };
    for await (const e of sseEvents(counted, () => read)) seen.push([e.data, e.at]);
    expect(seen).toEqual([['1', 1], ['2', 2], ['[DONE]', 3]]);
  });
});

describe('request bodies and stream ends', () => {
  it('a generic OpenAI-compatible server gets the output cap in max_tokens and max_completion_tokens; OpenAI in the latter', () => {
    expect(openaiChatAdapter({ cap: 'both' }).chatBody(req, false)).toMatchObject({ max_tokens: 7, max_completion_tokens: 7 });
    expect(openaiChatAdapter({ cap: 'completion' }).chatBody(req, false)).not.toHaveProperty('max_tokens');
    expect(openaiChatAdapter({ cap: 'completion', serviceTier: 'flex' }).chatBody(req, true)).toMatchObject({ service_tier: 'flex', stream: true });
    expect(openaiResponsesAdapter({ serviceTier: 'priority' }).chatBody(req, false)).toMatchObject({ max_output_tokens: 7, service_tier: 'priority', input: 'hi' });
  });

  it('[DONE] with whitespace around it is [DONE]', () => {
    expect(isDone('[DONE]')).toBe(true);
    expect(isDone(' [DONE] ')).toBe(true);
    expect(isDone('[DONE]x')).toBe(false);
  });

  it('a chat chunk with finish_reason finishes the answer; [DONE] ends the stream', () => {
    const acc: StreamAccumulator = { text: '', contentEvents: 0 };
    const a = openaiChatAdapter();
    expect(a.streamEvent({ data: JSON.stringify({ choices: [{ delta: { reasoning_content: 'hmm' } }] }) }, acc)).toEqual({ reasoning: 'hmm' });
    expect(a.streamEvent({ data: JSON.stringify({ choices: [{ delta: { content: 'x' }, finish_reason: 'stop' }] }) }, acc)).toEqual({ content: 'x', finished: true });
    expect(a.streamEvent({ data: JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 9, completion_tokens_details: { reasoning_tokens: 4 } } }) }, acc)).toEqual({ finished: true });
    expect(acc.usage).toEqual({ inputTokens: 3, outputTokens: 9, cachedInputTokens: 0, reasoningTokens: 4 });
  });

  it('Gemini: thought parts are reasoning, the chunk with finishReason ends the stream, thoughts are billed output', () => {
    const acc: StreamAccumulator = { text: '', contentEvents: 0 };
    expect(geminiAdapter.pathFor!(req, true)).toBe('/v1beta/models/m:streamGenerateContent?alt=sse');
    expect(geminiAdapter.streamEvent({ data: JSON.stringify({ candidates: [{ content: { parts: [{ text: 'plan', thought: true }, { text: 'Hi' }] } }] }) }, acc)).toEqual({ content: 'Hi', reasoning: 'plan' });
    const last = geminiAdapter.streamEvent({ data: JSON.stringify({ candidates: [{ content: { parts: [{ text: '!' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2, thoughtsTokenCount: 5 } }) }, acc);
    expect(last).toEqual({ content: '!', finished: true, done: true });
    expect(acc.usage).toEqual({ inputTokens: 4, outputTokens: 7, cachedInputTokens: 0, reasoningTokens: 5 });
  });
});
