// Workload files read from disk: prompt files found by a glob and tokenized (the pure normalisation and every
// kind of bad input, from in-memory files: test/unit/workload.test.ts).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';

describe('a workload file on disk', () => {
  it('tokenizes prompt files (mean over the files) and adds extra_tokens', async () => {
    const catalog = await loadCatalog();
    const dir = mkdtempSync(join(tmpdir(), 'aip-wl-'));
    mkdirSync(join(dir, 'prompts'));
    // "hello world" is 2 tokens in o200k_base; "hello world hello world" is 4: mean 3, plus 10 extra = 13.
    writeFileSync(join(dir, 'prompts', 'a.md'), 'hello world');
    writeFileSync(join(dir, 'prompts', 'b.md'), 'hello world hello world');
    writeFileSync(join(dir, 'w.yaml'), `version: 1\nworkloads:\n  - name: support-chat\n    model: gpt-4o-mini\n    volume: 1000\n    latency: 2h\n    input: { prompt: prompts/*.md, extra_tokens: 10 }\n    output: { tokens: 5 }\n`);
    const f = await loadWorkloadFile('w.yaml', { catalog, cwd: dir });
    const w = f.workloads[0]!;
    expect(w.input.promptFiles).toEqual([
      { path: join('prompts', 'a.md'), tokens: 2 },
      { path: join('prompts', 'b.md'), tokens: 4 },
    ]);
    expect(w.input.tokens).toBe(13);
    expect(w.input.method).toBe('tiktoken:o200k_base');
    expect(w.input.approximate).toBe(false);
  });
});
