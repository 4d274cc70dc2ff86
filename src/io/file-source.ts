// Where workload and prompt files are read from: the file system by default, or anything else that can
// read text and expand globs (aip check reads them from a git revision).
import { readFile } from 'node:fs/promises';
import type { FileSource } from '../core/workload/file-source.js';

export const fsFileSource: FileSource = {
  readText: (path) => readFile(path, 'utf8'),
  async glob(pattern, cwd) {
    const { glob } = await import('tinyglobby');
    const found = await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
    return found.sort();
  },
};
