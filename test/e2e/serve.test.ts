// aip serve as a child process: "listening on" is its first line, it answers the openai SDK, and it exits 0
// on SIGTERM.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/paths.js';

describe('aip serve end to end', () => {
  it('prints "listening on" first, serves the openai SDK, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--latency-scale', '0', '--seed', '4'], { cwd: ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const lines = createInterface({ input: child.stdout! });
      const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', () => reject(new Error('exited before listening')));
      });
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
      expect(m).not.toBeNull();
      const client = new OpenAI({ apiKey: 'sk-sim', baseURL: `${m![1]}/v1`, maxRetries: 0 });
      const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }], max_tokens: 5 });
      expect(r.usage!.completion_tokens).toBeLessThanOrEqual(5);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
