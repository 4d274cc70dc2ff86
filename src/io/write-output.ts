// Writing a user's file all at once: a temporary file beside it, then a rename, so an interrupted write
// never leaves half a file; without `replace`, an existing file is never clobbered (not even by a race).
import { randomUUID } from 'node:crypto';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists`);
    this.name = 'FileExistsError';
  }
}

export async function writeFileAtomic(path: string, text: string, opts: { replace: boolean }): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 8)}.tmp`);
  await writeFile(tmp, text, { flag: 'wx' });
  try {
    if (opts.replace) await rename(tmp, path);
    else await link(tmp, path); // fails with EEXIST instead of replacing a file that appeared meanwhile
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}
