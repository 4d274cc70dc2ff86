// Temporary git repositories for `aip check` tests: hermetic (no global or system git config), removed after.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Environment for git and aip in tests: no user or system config is read, commits have a fixed author and date. */
export function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'aip test',
    GIT_AUTHOR_EMAIL: 'test@aip.invalid',
    GIT_COMMITTER_NAME: 'aip test',
    GIT_COMMITTER_EMAIL: 'test@aip.invalid',
    GIT_AUTHOR_DATE: '2026-11-01T12:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-01T12:00:00Z',
    NO_COLOR: '1',
  };
}

export interface TempRepo {
  dir: string;
  env: Record<string, string>;
  /** Write files (path relative to the repo → text). */
  write(files: Record<string, string>): void;
  remove(path: string): void;
  /** Stage everything and commit; returns the commit id. */
  commit(message: string): string;
  git(...args: string[]): string;
  cleanup(): void;
}

export function makeRepo(files: Record<string, string> = {}): TempRepo {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'aip-check-')));
  const env = gitEnv(dir);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const repo: TempRepo = {
    dir,
    env,
    git,
    write(more) {
      for (const [path, text] of Object.entries(more)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    },
    remove(path) {
      rmSync(join(dir, path), { force: true });
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  repo.write(files);
  return repo;
}
