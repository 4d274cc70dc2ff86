// The composite action and the example workflow: valid YAML, every input they use is declared, and they
// run aip check the way docs/ci.md says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/paths.js';

describe('GitHub Action (action.yml)', () => {
  const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const action = parse(text) as { runs: { using: string; steps: Array<{ run?: string; uses?: string }> }; inputs: Record<string, unknown>; outputs: Record<string, unknown> };

  it('is a composite action whose expressions name declared inputs only', () => {
    expect(action.runs.using).toBe('composite');
    const used = [...text.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) expect(Object.keys(action.inputs)).toContain(name);
  });

  it('runs the built aip from the action path: markdown report, annotations, and the verdict as the exit code', () => {
    const run = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(run).toContain('node "$GITHUB_ACTION_PATH/bin/aip.js" check "${args[@]}" --format markdown -- "${files[@]}"');
    expect(run).toContain('--format github -- "${files[@]}"');
    expect(run).toContain('baseline="git:origin/$BASE_REF"');
    expect(run).toContain('startswith("<!-- aip-check -->")');
    expect(run).toContain('exit "$CODE"');
  });

  it('passes the file list safely: no glob, no unquoted expansion, "--" before the files, --trust base by default', () => {
    const run = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(run).toContain('set -f');
    expect(run).not.toMatch(/\$AIP_FILES(?!")/);
    expect(run).toContain('read -r -d \'\' -a files <<< "$AIP_FILES"');
    expect(action.inputs.trust).toMatchObject({ default: 'base' });
    expect(run).toContain('"--trust=$AIP_TRUST"');
    // A baseline file of the pull request's tree is read from the base branch instead.
    expect(run).toContain('baseline="git:origin/$BASE_REF:$baseline"');
  });

  it('updates only a comment its own identity wrote, not any comment that starts with the marker', () => {
    const run = action.runs.steps.map((s) => s.run ?? '').join('\n');
    expect(run).toContain('select(.user.login == env.AIP_ME and (.body | startswith("<!-- aip-check -->")))');
    expect(run).toContain('AIP_ME="github-actions[bot]"');
  });
});

describe('example workflow (docs/github-workflow.yml)', () => {
  const wf = parse(readFileSync(join(ROOT, 'docs/github-workflow.yml'), 'utf8')) as { on: unknown; jobs: Record<string, { steps: Array<{ with?: Record<string, unknown>; run?: string }> }> };

  it('checks out with full history and comments the markdown report on the pull request', () => {
    expect(wf.on).toBe('pull_request');
    const steps = wf.jobs['aip-check']!.steps;
    expect(steps[0]!.with).toEqual({ 'fetch-depth': 0 });
    const run = steps.map((s) => s.run ?? '').join('\n');
    expect(run).toContain('npx aip check --baseline "git:origin/$BASE_REF" --trust base');
    expect(run).toContain('--format markdown -- workloads.yaml > aip-check.md');
    expect(run).toContain('gh pr comment "$PR" --body-file aip-check.md');
  });
});
