// The README as a reader sees it: every code block closed, and the figures it shows are what aip prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runAip } from '../helpers/run.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('closes every fenced code block before the next one opens (an open fence swallows the sections after it)', () => {
    // Fences alternate: an opening one (```sh, ```text, ...) then a bare closing one.
    const fences = [...readme.matchAll(/^```(\S*)\s*$/gm)].map((m) => ({ lang: m[1], line: readme.slice(0, m.index).split('\n').length }));
    const unbalanced: string[] = [];
    for (let i = 0; i < fences.length; i += 2) {
      const open = fences[i]!;
      const close = fences[i + 1];
      if (close === undefined || close.lang !== '') unbalanced.push(`line ${open.line}: \`\`\`${open.lang} is not closed before line ${close?.line ?? 'EOF'}`);
    }
    expect(unbalanced).toEqual([]);
  });

  it('starts no section inside a code block', () => {
    const outside = readme.replace(/^```\S*\s*$[\s\S]*?^```\s*$/gm, '');
    const headings = readme.match(/^## .*/gm) ?? [];
    expect(headings.length).toBeGreaterThan(5);
    for (const h of headings) expect(outside).toContain(h);
  });

  it('shows the growth table simulate prints for the options it names', async () => {
    const shown = /here `([^`]*)`\), the month the[\s\S]*?```text\n([\s\S]*?)```/.exec(readme);
    expect(shown).not.toBeNull();
    const options = shown![1]!.split(/\s+/);
    const r = await runAip(['simulate', 'examples/workloads.yaml', '--months', '8', '--growth', '50', ...options]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(shown![2]!);
  });
});
