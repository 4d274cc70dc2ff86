// Where workload and prompt files are read from: the file system by default, or anything else that can
// read text and expand globs (aip check reads them from a git revision).
//
// Exported API:
//   FileSource           — { readText(path), glob(pattern, cwd) }; paths are absolute (or whatever the
//                          source's own resolve() understands); glob returns matching file paths, sorted
//   fsFileSource         — the default, backed by node:fs and tinyglobby (loaded on first glob)
import { readFile } from 'node:fs/promises';

export interface FileSource {
  /** The file's text; rejects (e.g. ENOENT) when it cannot be read. */
  readText(path: string): Promise<string>;
  /** Files matching `pattern` (a path or glob) relative to `cwd`, as absolute paths, sorted. */
  glob(pattern: string, cwd: string): Promise<string[]>;
}

export const fsFileSource: FileSource = {
  readText: (path) => readFile(path, 'utf8'),
  async glob(pattern, cwd) {
    const { glob } = await import('tinyglobby');
    const found = await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
    return found.sort();
  },
};
