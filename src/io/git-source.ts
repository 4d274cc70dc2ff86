// Files as they were at a git revision: read and glob workload and prompt files from `git:REF` without
// checking anything out. The edge where aip talks to git (child processes); everything after it is pure.
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { FileAccessError, MAX_GLOB_FILES, tooLarge, type FileSource } from '../core/workload/file-source.js';
import { getMaxInputBytes } from './input-limits.js';

export interface GitRevision extends FileSource {
  /** The revision as the user wrote it ("origin/main"). */
  ref: string;
  /** The full commit id it resolved to. */
  commit: string;
  /** The repository's top-level directory (real path). */
  root: string;
  /** Is `path` a file at this revision? */
  exists(path: string): Promise<boolean>;
  /** `path` relative to the repository root, with forward slashes ("workloads/app.yaml"). */
  repoPath(path: string): string;
}

type Env = Record<string, string | undefined>;

interface TreeEntry {
  mode: string;
  blob: string;
  size: number;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly missingGit = false,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** Run git in `cwd`; the trimmed-right stdout, or a GitError with git's own message. */
export function git(args: string[], cwd: string, env: Env): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // LC_ALL=C keeps git's messages in English so they can be recognised; no pager, no prompts.
    const childEnv = { ...env, LC_ALL: 'C', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' };
    execFile('git', args, { cwd, env: childEnv, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolvePromise(stdout);
      const missingGit = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new GitError(missingGit ? 'git is not installed or not on PATH' : (stderr.trim() || error.message), stderr, missingGit));
    });
  });
}

const WHERE = { option: '--baseline' } as const;

/** Open `ref` in the repository that contains `cwd`. Unknown refs and non-repositories are usage errors (exit 2). */
export async function openGitRevision(ref: string, cwd: string, env: Env): Promise<GitRevision> {
  if (ref.trim() === '' || ref.startsWith('-')) {
    throw new UsageError(`"git:${ref}" does not name a git revision`, {
      ...WHERE,
      code: 'E_BASELINE_REF',
      expected: 'git:REF, e.g. git:origin/main, git:HEAD~1 or git:v1.2.0',
    });
  }
  let top: string;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], cwd, env)).trim();
  } catch (err) {
    const e = err as GitError;
    throw new UsageError(e.missingGit ? 'git is not installed or not on PATH, so a git:REF baseline cannot be read' : `${cwd} is not inside a git repository, so "git:${ref}" cannot be read`, {
      ...WHERE,
      code: 'E_BASELINE_GIT',
      expected: 'aip check run inside the repository that holds the workload files',
      hint: e.missingGit ? 'install git, or give a baseline file written by "aip baseline FILE -o aip-baseline.json"' : 'run it from the repository, or give a baseline file written by "aip baseline FILE -o aip-baseline.json"',
    });
  }
  let commit: string;
  try {
    commit = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], cwd, env)).trim();
  } catch {
    throw await unknownRefError(ref, cwd, env);
  }
  const root = realpathSync(top);
  const realCwd = safeRealpath(cwd);
  let tree: Map<string, TreeEntry> | undefined;
  const loadTree = async () => {
    if (tree) return tree;
    const out = await git(['ls-tree', '-r', '-z', '-l', '--full-tree', commit], root, env);
    tree = new Map();
    for (const record of out.split('\0')) {
      if (!record) continue;
      // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
      const tab = record.indexOf('\t');
      const [mode, type, blob, size] = record.slice(0, tab).split(/ +/);
      if (type === 'blob' && mode && blob) tree.set(record.slice(tab + 1), { mode, blob, size: Number(size) });
    }
    return tree;
  };

  const repoPath = (path: string): string => {
    const abs = isAbsolute(path) ? path : resolve(realCwd, path);
    const rel = relative(root, realDir(abs));
    return rel.split(sep).join('/');
  };

  const readEntry = async (rel: string, hops = 0): Promise<string> => {
    const entries = await loadTree();
    const entry = entries.get(rel);
    if (!entry) {
      const error = new Error(`${rel}: not in ${ref} (${commit.slice(0, 12)})`) as NodeJS.ErrnoException;
      error.code = 'ENOENT';
      throw error;
    }
    const maxBytes = getMaxInputBytes();
    if (entry.size > maxBytes) throw tooLarge(entry.size, { maxBytes });
    const text = await git(['cat-file', 'blob', entry.blob], root, env);
    if (entry.mode === '120000' && hops < 8) return readEntry(posix.normalize(posix.join(posix.dirname(rel), text)), hops + 1);
    return text;
  };

  return {
    ref,
    commit,
    root,
    repoPath,
    async exists(path) {
      return (await loadTree()).has(repoPath(path));
    },
    readText: (path) => readEntry(repoPath(path)),
    async glob(pattern, globCwd) {
      const { glob } = await import('tinyglobby');
      const files = await loadTree();
      const base = isAbsolute(globCwd) ? globCwd : resolve(realCwd, globCwd);
      // The same options as the file-system source, so a glob matches the same files in both.
      const found = await glob(pattern, { cwd: join(root, repoPath(base)), onlyFiles: true, expandDirectories: false, fs: treeFs(root, files), followSymbolicLinks: false });
      if (found.length > MAX_GLOB_FILES) throw new FileAccessError(`matches more than ${MAX_GLOB_FILES} files at ${ref} (stopped there)`, 'E_GLOB_LIMIT', 'narrow the pattern, e.g. prompts/*.md');
      // Under the directory as the caller named it (not its real path), so paths compare equal with the working tree's.
      return found.map((rel) => join(base, rel)).sort();
    },
  };
}

/** A read-only `fs` over the revision's tree, in the shape tinyglobby's crawler calls (so globs match exactly as on disk). */
function treeFs(root: string, files: Map<string, TreeEntry>) {
  const dirs = new Map<string, Map<string, boolean>>(); // dir (repo-relative, '' = root) → name → isDirectory
  const add = (dir: string, name: string, isDir: boolean) => {
    let m = dirs.get(dir);
    if (!m) dirs.set(dir, (m = new Map()));
    if (!m.has(name)) m.set(name, isDir);
  };
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) add(parts.slice(0, i).join('/'), parts[i]!, i < parts.length - 1);
  }
  const relDir = (p: string) => relative(root, String(p).replace(/[/\\]$/, '')).split(sep).join('/');
  const dirent = (name: string, isDir: boolean) => ({
    name,
    isFile: () => !isDir,
    isDirectory: () => isDir,
    isSymbolicLink: () => false,
  });
  const list = (p: string) => {
    const m = dirs.get(relDir(p));
    if (!m) {
      const e = new Error(`ENOENT: no such directory in the revision: ${p}`) as NodeJS.ErrnoException;
      e.code = 'ENOENT';
      throw e;
    }
    return [...m].map(([name, isDir]) => dirent(name, isDir));
  };
  const stat = (p: string) => {
    const isDir = dirs.has(relDir(p));
    return { isFile: () => !isDir, isDirectory: () => isDir, isSymbolicLink: () => false };
  };
  return {
    readdir: (p: string, _opts: unknown, cb: (e: Error | null, entries?: unknown[]) => void) => {
      try {
        cb(null, list(p));
      } catch (e) {
        cb(e as Error, []);
      }
    },
    readdirSync: (p: string) => list(p),
    realpath: (p: string, cb: (e: Error | null, r?: string) => void) => cb(null, p),
    realpathSync: (p: string) => p,
    stat: (p: string, cb: (e: Error | null, s?: unknown) => void) => cb(null, stat(p)),
    statSync: (p: string) => stat(p),
  } as never;
}

async function unknownRefError(ref: string, cwd: string, env: Env): Promise<UsageError> {
  const shallow = (await git(['rev-parse', '--is-shallow-repository'], cwd, env).catch(() => '')).trim() === 'true';
  const refs = (await git(['for-each-ref', '--format=%(refname:short)'], cwd, env).catch(() => '')).split('\n').filter(Boolean);
  const guess = closest(ref, refs, 1)[0];
  let hint: string;
  if (guess) hint = `did you mean "git:${guess}"?`;
  else if (shallow) hint = 'this is a shallow clone: check out with "fetch-depth: 0" (actions/checkout), or run "git fetch origin <base branch>" first';
  else hint = `fetch it first (e.g. "git fetch origin main"); "git branch -a" lists the branches this clone knows`;
  return new UsageError(`unknown git revision "${ref}"`, {
    ...WHERE,
    code: 'E_BASELINE_REF',
    expected: 'git:REF naming a commit, branch or tag this clone has (git:origin/main, git:HEAD~1)',
    hint,
  });
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The real path of `path`'s directory joined with its name (the file itself may not exist in the working tree). */
function realDir(path: string): string {
  return join(safeRealpath(dirname(path)), path.slice(dirname(path).length + 1));
}

/** The repository root and the cwd's path inside it ("ai/"), as git sees them (through any symlinks); undefined outside a repository. */
export async function placeInRepo(cwd: string, env: Env): Promise<{ root: string; prefix: string } | undefined> {
  try {
    const [root = '', prefix = ''] = (await git(['rev-parse', '--show-toplevel', '--show-prefix'], cwd, env)).split('\n');
    return { root, prefix };
  } catch {
    return undefined;
  }
}
