// Checks, before any work is done, that a file the user asked for (-o, --out, --log) can be written there,
// so a run that took minutes (or cost money) never ends in an unwritable path.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../core/errors.js';

/**
 * `path` is absolute; `shown` is the path as the user typed it; `option` names the flag (e.g. "--out");
 * `exampleName` is a file name for the hint when the user named a directory.
 * Throws a UsageError (exit 2) when the path is a directory, its directory is missing or not writable.
 */
export async function assertWritablePath(path: string, shown: string, option: string, exampleName: string): Promise<void> {
  const fail = (message: string, hint: string) =>
    new UsageError(message, { code: 'E_OUTPUT', file: shown, option, expected: 'a file path in an existing, writable directory', hint });
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) throw fail('is a directory', `name a file inside it, e.g. ${shown.replace(/\/+$/, '')}/${exampleName}`);
  const dir = dirname(path);
  const parent = await stat(dir).catch(() => undefined);
  if (!parent) throw fail(`the directory ${dirname(shown)} does not exist`, `create it first (mkdir -p ${dirname(shown)}), or choose another path`);
  if (!parent.isDirectory()) throw fail(`${dirname(shown)} is not a directory`, 'choose another path');
  const writable = await access(target ? path : dir, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!writable) throw fail('permission denied', 'choose a path you can write to');
}

