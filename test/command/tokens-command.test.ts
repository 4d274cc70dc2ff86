// aip tokens in-process: JSON shape, per-file and total counts, cost per call, fallbacks, --exact, and
// every bad-input path (exit 2, the message names the file or option).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLength, loadEncoder } from '../../src/core/tokens/tokenizer.js';
import { mixedText } from '../../scripts/mixed-text.mjs';
import { runAip } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'aip-tokens-'));
writeFileSync(join(dir, 'hello.txt'), 'hello world');
mkdirSync(join(dir, 'prompts'));
writeFileSync(join(dir, 'prompts', 'a.md'), 'tiktoken is great!');
writeFileSync(join(dir, 'prompts', 'b.md'), 'antidisestablishmentarianism');
writeFileSync(join(dir, 'special.md'), 'Our README mentions <|endoftext|> as text.');
writeFileSync(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));

const json = (stdout: string) => JSON.parse(stdout) as {
  model: string; encoding: string; approximate: boolean; method: string; error_note: string | null;
  files: Array<{ path: string; tokens: number }>; total_tokens: number; input_cost_usd: number | null; notes: string[];
};

describe('aip tokens', () => {
  it('prints the docs/spec.md JSON for one file with its input cost per call', async () => {
    const r = await runAip(['tokens', 'hello.txt', '--model', 'gpt-4o-mini', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    // 2 tokens × $0.15 per 1M = $0.0000003
    expect(doc).toMatchObject({ model: 'gpt-4o-mini', encoding: 'o200k_base', approximate: false, files: [{ path: 'hello.txt', tokens: 2 }], total_tokens: 2 });
    expect(doc.input_cost_usd).toBeCloseTo(3e-7, 15);
  });

  it('expands a glob in sorted order and totals the files', async () => {
    const r = await runAip(['tokens', 'prompts/*.md', 'hello.txt', '-m', 'text-embedding-3-small', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    // cl100k_base: 6 + 6 + 2 = 14 tokens; × $0.02 per 1M = $0.00000028
    expect(doc.files).toEqual([
      { path: 'prompts/a.md', tokens: 6, bytes: 18 },
      { path: 'prompts/b.md', tokens: 6, bytes: 28 },
      { path: 'hello.txt', tokens: 2, bytes: 11 },
    ]);
    expect(doc.encoding).toBe('cl100k_base');
    expect(doc.total_tokens).toBe(14);
    expect(doc.input_cost_usd).toBeCloseTo(2.8e-7, 15);
  });

  it('reads stdin for "-"', async () => {
    const r = await runAip(['tokens', '-', '--model', 'gpt-4o', '--json'], { cwd: dir, stdin: 'tiktoken is great!' });
    expect(json(r.stdout).files).toEqual([{ path: '-', tokens: 6, bytes: 18 }]);
  });

  it('shows a table with a total row for people', async () => {
    const r = await runAip(['tokens', 'prompts/*.md', '--model', 'gpt-4o'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/prompts\/a\.md\s+│\s+6\s+│/);
    // 12 tokens × $2.50 per 1M = $0.00003
    expect(r.stdout).toMatch(/total\s+│\s+12\s+│\s+46\s+│\s+\$0\.000030\s+│/);
  });

  it('flags Claude counts as approximate, scaled, with the likely error', async () => {
    const r = await runAip(['tokens', 'prompts/b.md', '--model', 'claude-sonnet-4-5', '--json'], { cwd: dir });
    const doc = json(r.stdout);
    // 6 o200k tokens × 1.16 = 6.96 → 7; × $3 per 1M = $0.000021
    expect(doc).toMatchObject({ approximate: true, total_tokens: 7, method: 'heuristic:claude≈o200k_base×1.16' });
    expect(doc.error_note).toMatch(/20%/);
    expect(doc.input_cost_usd).toBeCloseTo(2.1e-5, 15);
    const table = await runAip(['tokens', 'prompts/b.md', '--model', 'claude-sonnet-4-5'], { cwd: dir });
    expect(table.stdout).toMatch(/~7/);
    expect(table.stdout).toMatch(/approximate:/);
  });

  it('flags Gemini counts as approximate', async () => {
    const doc = json((await runAip(['tokens', 'hello.txt', '--model', 'gemini/gemini-2.5-flash', '--json'], { cwd: dir })).stdout);
    expect(doc).toMatchObject({ model: 'gemini-2.5-flash', approximate: true, total_tokens: 2 });
    expect(doc.error_note).toMatch(/countTokens/);
  });

  it('counts <|endoftext|> in a file as plain text', async () => {
    const r = await runAip(['tokens', 'special.md', '--model', 'gpt-4o', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const o200k = await loadEncoder('o200k_base');
    expect(json(r.stdout).total_tokens).toBe(encodeLength(o200k, 'Our README mentions <|endoftext|> as text.'));
  });

  it('falls back to o200k_base for an OpenAI name the catalog lacks, says so on stderr, and leaves the cost unknown', async () => {
    const r = await runAip(['tokens', 'hello.txt', '--model', 'gpt-5.9', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ model: 'gpt-5.9', encoding: 'o200k_base', total_tokens: 2, input_cost_usd: null });
    expect(r.stderr).toMatch(/"gpt-5\.9" is not in the catalog.*o200k_base/);
  });

  it('counts OpenAI models offline even with --exact, and says so', async () => {
    const r = await runAip(['tokens', 'hello.txt', '--model', 'gpt-4o', '--exact', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ total_tokens: 2, method: 'tiktoken:o200k_base' });
    expect(r.stderr).toMatch(/--exact changes nothing/);
  });

  it('streams a multi-megabyte file to the same count as encoding it whole', async () => {
    const text = mixedText(1_500_000, 7);
    writeFileSync(join(dir, 'big.txt'), text);
    const r = await runAip(['tokens', 'big.txt', '--model', 'gpt-4.1', '--json'], { cwd: dir });
    const o200k = await loadEncoder('o200k_base');
    expect(json(r.stdout).total_tokens).toBe(encodeLength(o200k, text));
  });
});

describe('aip tokens: bad input exits 2 and names the file or option', () => {
  it.each([
    [['tokens', 'hello.txt', '--model', 'claude-sonet-4-5'], /--model: unknown model "claude-sonet-4-5"[\s\S]*did you mean "claude-sonnet-4-5"/],
    [['tokens', 'missing.md', '--model', 'gpt-4o'], /error: missing\.md: cannot read the file \(no such file\)/],
    [['tokens', 'prompts', '--model', 'gpt-4o'], /error: prompts: is a directory[\s\S]*prompts\/\*\*\/\*/],
    [['tokens', 'image.png', '--model', 'gpt-4o'], /error: image\.png: looks like a binary file \(a NUL byte at byte 8\)/],
    [['tokens', 'nothing/*.md', '--model', 'gpt-4o'], /error: nothing\/\*\.md: the glob "nothing\/\*\.md" matches no files/],
    [['tokens', 'hello.txt'], /required option '-m, --model <id>'/],
    [['tokens', 'hello.txt', '--model', 'claude-haiku-4-5', '--exact'], /--exact: needs the environment variable ANTHROPIC_API_KEY/],
    [['tokens', 'hello.txt', '--model', 'gemini-2.5-pro', '--exact'], /--exact: not available for gemini-2\.5-pro/],
    [['tokens', 'hello.txt', '--model', 'gpt-5.9', '--exact'], /--exact: needs a catalog model/],
  ])('%j', async (args, message) => {
    const r = await runAip(args, { cwd: dir, env: { ANTHROPIC_API_KEY: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });
});

describe('aip tokens --exact against a loopback count_tokens server', () => {
  const KEY = 'sk-ant-test-4f2a9c-secret';
  const seen: Array<{ url: string; headers: IncomingMessage['headers']; body: { model: string; messages: Array<{ role: string; content: string }> } }> = [];
  let baseUrl = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const parsed = JSON.parse(body);
      seen.push({ url: req.url ?? '', headers: req.headers, body: parsed });
      if (req.headers['x-api-key'] !== KEY) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${req.headers['x-api-key']}` } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      // A fixed answer the test can recognise: 1000 + characters of the message.
      res.end(JSON.stringify({ input_tokens: 1000 + parsed.messages[0].content.length }));
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts each file to /v1/messages/count_tokens with the key and version headers, and reports exact counts', async () => {
    const r = await runAip(['tokens', 'hello.txt', 'prompts/a.md', '--model', 'claude-haiku-4-5', '--exact', '--json'], { cwd: dir, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: baseUrl } });
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ approximate: false, method: 'api:count_tokens', files: [{ path: 'hello.txt', tokens: 1011 }, { path: 'prompts/a.md', tokens: 1018 }], total_tokens: 2029 });
    const last = seen.at(-1)!;
    expect(last.url).toBe('/v1/messages/count_tokens');
    expect(last.headers['anthropic-version']).toBe('2023-06-01');
    expect(last.body).toEqual({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'tiktoken is great!' }] });
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('sends the key to another host only with --send-key-to, and never to a URL holding credentials', async () => {
    // 0.0.0.0 reaches this machine (the server listens on 127.0.0.1) but is not a loopback name: it stands for a
    // remote host that ANTHROPIC_BASE_URL, set for another tool or by a script, would hand the key to.
    const remote = baseUrl.replace('127.0.0.1', '0.0.0.0');
    const host = new URL(remote).host;
    const before = seen.length;
    const refused = await runAip(['tokens', 'hello.txt', '--model', 'claude-haiku-4-5', '--exact'], { cwd: dir, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: remote } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`ANTHROPIC_BASE_URL points at ${host}; ANTHROPIC_API_KEY goes only to api.anthropic.com or this machine`);
    expect(refused.stderr).toContain(`--send-key-to ${host}`);
    expect(seen.length).toBe(before);
    const allowed = await runAip(['tokens', 'hello.txt', '--model', 'claude-haiku-4-5', '--exact', '--send-key-to', host, '--json'], { cwd: dir, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: remote } });
    expect(allowed.code).toBe(0);
    expect(json(allowed.stdout)).toMatchObject({ total_tokens: 1011 });
    expect(seen.length).toBe(before + 1);
    // user:password@ in the variable: refused before any request, and neither the URL nor the password printed.
    const withCreds = baseUrl.replace('http://', 'http://me:hunter2secret@');
    const creds = await runAip(['tokens', 'hello.txt', '--model', 'claude-haiku-4-5', '--exact'], { cwd: dir, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: withCreds } });
    expect(creds.code).toBe(2);
    expect(creds.stderr).toContain('ANTHROPIC_BASE_URL holds a user name or password');
    expect(creds.stdout + creds.stderr).not.toContain('hunter2secret');
    expect(seen.length).toBe(before + 1);
    for (const r of [refused, allowed, creds]) expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('exits 2 on a refused key without ever printing the key', async () => {
    const wrong = 'sk-ant-wrong-key-777';
    const r = await runAip(['tokens', 'hello.txt', '--model', 'claude-haiku-4-5', '--exact'], { cwd: dir, env: { ANTHROPIC_API_KEY: wrong, ANTHROPIC_BASE_URL: baseUrl } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--exact: Anthropic count_tokens answered HTTP 401/);
    expect(r.stderr).toMatch(/check ANTHROPIC_API_KEY/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});

describe('a typo of a catalog id versus a newer OpenAI name', () => {
  it.each([
    ['gpt-4o-mnii', true],
    ['gtp-4o', true],
    ['gpt-5.9', false],
    ['o5-mini', false],
    ['gpt-5.4-pro', false],
    ['gpt-4o-mini-2026-01-01', false],
  ])('%s → typo: %s', async (name, typo) => {
    const { looksLikeTypo } = await import('../../src/core/tokens/select.js');
    expect(looksLikeTypo(name, ['gpt-4o', 'gpt-4o-mini', 'gpt-5.4', 'o4-mini', 'gpt-5-mini'])).toBe(typo);
  });
});
