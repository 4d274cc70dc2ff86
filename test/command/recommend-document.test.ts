// The recommend JSON document is described once (core/recommend/document.ts): what recommend --json and
// aip baseline write satisfies the schema field for field, and aip check reads a baseline back with it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecommendDocument } from '../../src/core/recommend/document.js';
import { ROOT, runAip } from '../helpers/run.js';

const env = { AIP_NO_CACHE: '1' };
const EXAMPLE = join(ROOT, 'examples/workloads.yaml');

describe('the recommend document schema', () => {
  it.each([
    ['recommend --json', ['recommend', EXAMPLE, '--json']],
    ['recommend --json --min-batch-saving', ['recommend', EXAMPLE, '--json', '--min-batch-saving', '200']],
    ['baseline', ['baseline', EXAMPLE]],
  ])('%s on examples/ satisfies it: every field described, none missing, none defaulted', async (_what, args) => {
    const res = await runAip(args, { env });
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout);
    const parsed = RecommendDocument.safeParse(doc);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    // zod drops keys the schema does not describe: equal means the schema names every field written
    expect(parsed.data).toEqual(doc);
  });
});

describe('a baseline read back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aip-doc-'));
  const workload = { name: 'support-chat', model: 'gpt-4o-mini', pattern: 'streaming', requests_per_month: 300_000, tokens: { input: 1200, output: 450 }, cost_usd_per_month: { direct: 1, streaming: 1, batch: 0.5 } };
  const check = (doc: unknown) => {
    writeFileSync(join(dir, 'base.json'), JSON.stringify(doc, null, 2));
    return runAip(['check', EXAMPLE, '--baseline', join(dir, 'base.json'), '--json'], { env });
  };

  it('needs only the fields check compares, as the first baselines had them', async () => {
    const res = await check({ aip_version: '0.1.0', workloads: [workload] });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).notes.join(' ')).toMatch(/does not record pricing overrides/);
    expect(JSON.parse(res.stdout).workloads.find((w: { name: string }) => w.name === 'support-chat').before.pattern).toBe('streaming');
  });

  it('checks the other fields where present, naming the line and field', async () => {
    const res = await check({ aip_version: '0.1.0', workloads: [{ ...workload, limits: 'none', via_queue: 'yes' }] });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/base\.json:\d+:\d+: workloads\[0\]\.limits: text is not a mapping/);
    expect(res.stderr).toMatch(/base\.json:\d+:\d+: workloads\[0\]\.via_queue: text is not true or false/);
  });

  it('names a missing required field', async () => {
    const { requests_per_month: _gone, ...rest } = workload;
    const res = await check({ aip_version: '0.1.0', workloads: [rest] });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/base\.json:\d+:\d+: workloads\[0\]\.requests_per_month: missing required field/);
  });
});
