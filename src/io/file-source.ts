// Where workload and prompt files are read from: the file system by default, or anything else that can
// read text and expand globs (aip check reads them from a git revision).
//
// Contained: a prompt path or glob resolves inside the workload file's repository (the nearest directory
// up with a .git), or outside a repository the current directory (or the file's own, if not below it);
// absolute paths, ".." that leave it and symlinks that point out of it are refused unless allowOutside.
// Only regular files are read (no devices, FIFOs or directories), each at most 20 MB (read in bounded
// steps, so /proc files that claim size 0 are bounded too; --max-input-size raises the limit). Globs match
// at most MAX_GLOB_FILES files, MAX_GLOB_DEPTH directories deep, in GLOB_TIMEOUT_MS; past that they are
// refused (never silently cut).
import { constants, existsSync, realpathSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { getMaxInputBytes } from './input-limits.js';
import {
  FileAccessError,
  GLOB_TIMEOUT_MS,
  MAX_GLOB_DEPTH,
  MAX_GLOB_FILES,
  tooLarge,
  type FileSource,
} from '../core/workload/file-source.js';

export interface DiskAccess {
  /** Read prompt files outside the workload file's repository (or directory), and absolute prompt paths. */
  allowOutside: boolean;
  /** The current directory: outside a repository, prompt paths may reach anywhere below it. */
  cwd?: string;
}

/** A regular file's text, at most `maxBytes` (FileAccessError beyond, or for anything but a regular file). */
export async function readInputFile(path: string, maxBytes: number = getMaxInputBytes()): Promise<string> {
  // Look before opening: opening a FIFO waits for a writer, and a device may never end.
  notRegular(await stat(path));
  // O_NONBLOCK: should the path become a FIFO in between, the open returns instead of waiting.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    notRegular(info);
    if (info.size > maxBytes) throw tooLarge(info.size, { maxBytes });
    // Read in steps up to the limit: a file may grow, and /proc files report size 0.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(undefined, { maxBytes });
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

function notRegular(info: Stats): void {
  if (info.isFile()) return;
  if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  throw new FileAccessError('not a regular file (a device, FIFO or socket)', 'E_NOT_REGULAR', 'name a text file');
}

/**
 * The directory prompt paths must stay in for a workload file in `dir`: its repository's top; outside a
 * repository, the current directory when the file is below it, else the file's own directory.
 */
export function containmentRoot(dir: string, cwd?: string): string {
  const real = safeRealpath(dir);
  for (let d = real; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) break;
  }
  const here = cwd === undefined ? undefined : safeRealpath(cwd);
  return here !== undefined && isInside(here, real) ? here : real;
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

const OUTSIDE_HINT = 'prompt files are read only inside the workload file\'s repository: move the file there, or run with --allow-outside if you trust this workload file';

/** Reads the disk within the limits at the top of this file. */
export function diskFileSource(limits: DiskAccess = { allowOutside: false }): FileSource {
  const roots = new Map<string, string>();
  const rootOf = (dir: string) => {
    let r = roots.get(dir);
    if (r === undefined) roots.set(dir, (r = containmentRoot(dir, limits.cwd)));
    return r;
  };
  return {
    readText: (path) => readInputFile(path),
    async glob(pattern, cwd) {
      const root = rootOf(cwd);
      if (!limits.allowOutside) {
        if (isAbsolute(pattern) || /^[a-zA-Z]:[\\/]/.test(pattern)) throw new FileAccessError('an absolute path: prompt paths are relative to the workload file', 'E_OUTSIDE', OUTSIDE_HINT);
        // The fixed part of the pattern (before any glob character) must not climb out of the root.
        const fixed = pattern.split(/[\\/]/).filter((_, i, parts) => !parts.slice(0, i + 1).some((p) => /[*?[\]{}()!]/.test(p)));
        if (!isInside(root, resolve(cwd, ...fixed))) throw new FileAccessError('leaves the repository (".." above its top)', 'E_OUTSIDE', OUTSIDE_HINT);
      }
      const { glob } = await import('tinyglobby');
      let found: string[];
      try {
        found = await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false, deep: MAX_GLOB_DEPTH + 1, signal: AbortSignal.timeout(GLOB_TIMEOUT_MS) });
      } catch (err) {
        if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') {
          throw new FileAccessError(`took longer than ${GLOB_TIMEOUT_MS / 1000} s to expand (stopped)`, 'E_GLOB_LIMIT', 'narrow the pattern, e.g. prompts/*.md');
        }
        throw err;
      }
      if (found.length > MAX_GLOB_FILES) throw new FileAccessError(`matches more than ${MAX_GLOB_FILES} files (stopped there)`, 'E_GLOB_LIMIT', 'narrow the pattern, e.g. prompts/*.md');
      if (found.some((f) => relative(cwd, f).split(sep).length - 1 > MAX_GLOB_DEPTH)) {
        throw new FileAccessError(`reaches more than ${MAX_GLOB_DEPTH} directories deep (stopped there)`, 'E_GLOB_LIMIT', 'narrow the pattern, e.g. prompts/*.md');
      }
      if (!limits.allowOutside) {
        for (const f of found) {
          if (!isInside(root, safeRealpath(f))) throw new FileAccessError(`${relative(cwd, f)} is a link that leaves the repository`, 'E_OUTSIDE', OUTSIDE_HINT);
        }
      }
      return found.sort();
    },
  };
}

/** The default: contained, 20 MB per file. */
export const fsFileSource: FileSource = diskFileSource();

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
