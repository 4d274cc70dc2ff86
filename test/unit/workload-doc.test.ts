// docs/workload-file.md is what src/build/workload-doc.ts generates from the schema now ("npm run build"
// rewrites it): a key added to the schema without rebuilding the page fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKLOAD_DOC_FILE, workloadFileReference } from '../../src/build/workload-doc.js';
import { ROOT } from '../helpers/paths.js';

describe('the workload file reference', () => {
  const committed = readFileSync(join(ROOT, WORKLOAD_DOC_FILE), 'utf8');

  it(`${WORKLOAD_DOC_FILE} is what the schema generates (run "npm run build" after changing the schema)`, () => {
    expect(committed).toBe(workloadFileReference());
  });

  it('lists every key of a workload, with what it takes', () => {
    for (const key of ['name', 'model', 'volume', 'latency', 'user_facing', 'task', 'input', 'output', 'peak_factor', 'fallback', 'pricing']) {
      expect(committed).toMatch(new RegExp(`^\\| \`${key}\` \\|`, 'm'));
    }
    expect(committed).toContain('## `workloads[].input`');
    expect(committed).toMatch(/\| `cached` \| no \| a number or text; e\.g\. `0\.65`, `65%` \|/);
    expect(committed).toMatch(/\| `tokens` \| no \| a number or text; e\.g\. `1200`, `15k`, `1\.5M` \|/);
  });
});
