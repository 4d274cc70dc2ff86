import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGitRevision } from '../../src/io/git-source.js';
import { UsageError } from '../../src/core/errors.js';
import { makeRepo, type TempRepo } from '../helpers/git-repo.js';

describe('git file source (git:REF baselines)', () => {
  let repo: TempRepo;
  let first: string;
  beforeAll(() => {
    repo = makeRepo({
      'app/workloads.yaml': 'version: 1\n',
      'app/prompts/a.md': 'first prompt\n',
      'app/prompts/b.md': 'second prompt\n',
      'app/prompts/notes.txt': 'not a prompt\n',
      'README.md': 'root file\n',
    });
    first = repo.commit('first');
    // After the commit: a new prompt file and a changed one exist only in the working tree.
    repo.write({ 'app/prompts/c.md': 'third\n', 'app/prompts/a.md': 'first prompt, now longer\n' });
  });
  afterAll(() => repo.cleanup());

  it('reads files as they were at the revision, relative to the process cwd or absolute', async () => {
    const rev = await openGitRevision('HEAD', join(repo.dir, 'app'), repo.env);
    expect(rev.commit).toBe(first);
    expect(rev.repoPath('workloads.yaml')).toBe('app/workloads.yaml');
    expect(await rev.readText('prompts/a.md')).toBe('first prompt\n');
    expect(await rev.readText(join(repo.dir, 'README.md'))).toBe('root file\n');
  });

  it('globs over the revision tree, not the working tree', async () => {
    const rev = await openGitRevision('main', repo.dir, repo.env);
    const app = join(repo.dir, 'app');
    expect(await rev.glob('prompts/*.md', app)).toEqual([join(app, 'prompts/a.md'), join(app, 'prompts/b.md')]);
    expect(await rev.glob('**/*.md', repo.dir)).toEqual([join(repo.dir, 'README.md'), join(app, 'prompts/a.md'), join(app, 'prompts/b.md')]);
    expect(await rev.glob('missing/*.md', app)).toEqual([]);
  });

  it('a file absent at the revision fails with ENOENT, as the file system does', async () => {
    const rev = await openGitRevision('HEAD', repo.dir, repo.env);
    expect(await rev.exists('app/prompts/c.md')).toBe(false);
    expect(await rev.exists('app/prompts/b.md')).toBe(true);
    await expect(rev.readText('app/prompts/c.md')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an unknown ref is a usage error that names the option and suggests the close branch', async () => {
    const err = await openGitRevision('mian', repo.dir, repo.env).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('unknown git revision "mian"');
    expect((err as UsageError).where.option).toBe('--baseline');
    expect((err as UsageError).hint).toBe('did you mean "git:main"?');
    await expect(openGitRevision('HEAD~5', repo.dir, repo.env)).rejects.toThrow(/unknown git revision "HEAD~5"/);
    await expect(openGitRevision('--output=x', repo.dir, repo.env)).rejects.toThrow(/does not name a git revision/);
  });

  it('outside a repository it says so', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'aip-nogit-'));
    try {
      await expect(openGitRevision('HEAD', outside, { ...repo.env, GIT_CEILING_DIRECTORIES: tmpdir() })).rejects.toThrow(/is not inside a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
