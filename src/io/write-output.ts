// Every file a command writes (-o, --output, --log) goes through here: checked before any work is done, then
// written whole (an unpredictable temporary name in the target directory, created exclusively, then renamed),
// or, for a log that is written as the run goes, created exclusively. It never writes through a symbolic
// link, never writes over a file the same run reads, and replaces an existing file only where the command
// wrote it (an earlier baseline, say) or the user said so (--force).
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream, type Stats, type WriteStream } from 'node:fs';
import { access, link, lstat, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

/** O_NOFOLLOW where the platform has it (not on Windows, where O_EXCL alone guards the new file). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** An existing file larger than this is not read to recognise it as the command's own. */
const RECOGNISE_MAX_BYTES = 32 * 1024 * 1024;

export interface OutputTarget {
  /** The path as the user typed it: every message names it. */
  shown: string;
  /** Absolute. */
  path: string;
  /** The option that named it ("-o", "--output", "--log"). */
  option: string;
  /** A file name for the hint when the user named a directory ("bench.json"). */
  exampleName: string;
  /** What is written, for "cannot write the baseline (ENOENT)". */
  what: string;
  /** Replace an existing regular file whatever it holds (--force, or the user said yes). */
  force: boolean;
  /** Recognises an existing file this command wrote, which it replaces without --force. */
  ownFile?: (text: string) => boolean;
  /** The refusal of an existing file that is not the command's own (without --force). */
  refuse: { message: string; code?: string; expected: string; hint: string };
  /** Files the same run reads or writes (--workload, prompts, --catalog, --log): never written over, even with --force. */
  others?: ReadonlyArray<{ path: string; option: string }>;
}

/**
 * Checks, before any work is done, that the target can be written: so a run that took minutes (or cost money)
 * never ends in an unwritable path or a refusal. Throws a UsageError (exit 2) naming the option and the path.
 */
export async function checkOutput(t: OutputTarget): Promise<void> {
  const fail = (message: string, hint: string) => new UsageError(message, { code: 'E_OUTPUT', file: t.shown, option: t.option, expected: 'a file path in an existing, writable directory', hint });
  await checkExisting(t);
  const target = await stat(t.path).catch(() => undefined);
  const dir = dirname(t.path);
  const shownDir = dirname(t.shown);
  const parent = await stat(dir).catch(() => undefined);
  if (!parent) throw fail(`the directory ${shownDir} does not exist`, `create it first (mkdir -p ${shownDir}), or choose another path`);
  if (!parent.isDirectory()) throw fail(`${shownDir} is not a directory`, 'choose another path');
  const writable = await access(target ? t.path : dir, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!writable) throw fail('permission denied', 'choose a path you can write to');
}

/** Writes `text` as the target, all at once: a killed run never leaves half a file. */
export async function writeOutput(t: OutputTarget, text: string): Promise<void> {
  const existing = await checkExisting(t);
  // A replaced file keeps its permissions (a baseline kept private stays private).
  const tmp = await createTemp(t, text, existing ? existing.mode & 0o777 : 0o666);
  try {
    if (existing) await rename(tmp, t.path);
    else await linkNew(t, tmp);
  } catch (err) {
    throw asUsageError(t, err);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Opens the target for a stream written as the run goes (--log): a new file, created exclusively. */
export async function openOutputStream(t: OutputTarget): Promise<WriteStream> {
  const existing = await checkExisting(t);
  try {
    if (existing) await unlink(t.path);
    const handle = await open(t.path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, existing ? existing.mode & 0o777 : 0o666);
    return createWriteStream('', { fd: handle });
  } catch (err) {
    // EEXIST: something was put there since the check (a link, a file): it is left alone.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw refusal(t);
    throw asUsageError(t, err);
  }
}

/**
 * What is at the path now: nothing (undefined), or a regular file this command may replace (its stats). Anything else
 * is refused: a symbolic link (even one to nothing), a directory or device, a file the same run uses, or a
 * file the command did not write, unless --force.
 */
export async function checkExisting(t: OutputTarget): Promise<Stats | undefined> {
  const fail = (message: string, code: string, expected: string, hint: string) => new UsageError(message, { code, file: t.shown, option: t.option, expected, hint });
  const st = await lstat(t.path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
    throw asUsageError(t, err);
  });
  if (!st) {
    // Not there yet, but another file of the run may be about to be (-o and --log the same path).
    const same = t.others?.find((o) => resolve(o.path) === resolve(t.path));
    if (same) throw sameFile(t, same.option);
    return undefined;
  }
  if (st.isSymbolicLink()) {
    const dangling = (await stat(t.path).catch(() => undefined)) === undefined;
    throw fail(
      `is a symbolic link${dangling ? ' to a file that does not exist' : ''}; aip does not write through links`,
      'E_OUTPUT_LINK',
      'a path that is not a symbolic link',
      `name the file itself, or remove the link first (rm ${t.shown})`,
    );
  }
  if (st.isDirectory()) throw fail('is a directory', 'E_OUTPUT', 'a file path in an existing, writable directory', `name a file inside it, e.g. ${t.shown.replace(/\/+$/, '')}/${t.exampleName}`);
  if (!st.isFile()) throw fail('is not a regular file (a device, pipe or socket)', 'E_OUTPUT', 'a regular file path', 'choose a file path');
  const own = t.force || (t.ownFile !== undefined && st.size <= RECOGNISE_MAX_BYTES && t.ownFile(await readNoFollow(t.path)));
  if (!own) throw refusal(t);
  // Even with --force: never a file the same run reads (a --workload file given to -o by mistake).
  for (const other of t.others ?? []) {
    const o = await stat(other.path).catch(() => undefined);
    if (resolve(other.path) === resolve(t.path) || (o && o.dev === st.dev && o.ino === st.ino)) throw sameFile(t, other.option);
  }
  return st;
}

function sameFile(t: OutputTarget, option: string): UsageError {
  return new UsageError(`is also ${option} of this run; aip never writes over a file the same run uses`, {
    code: 'E_OUTPUT_INPUT',
    file: t.shown,
    option: t.option,
    expected: `a path other than ${option}`,
    hint: 'choose another path',
  });
}

function refusal(t: OutputTarget): UsageError {
  const r = t.refuse;
  return new UsageError(r.message, { code: r.code ?? 'E_OUTPUT_EXISTS', file: t.shown, option: t.option, expected: r.expected, hint: r.hint });
}

async function readNoFollow(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | NOFOLLOW).catch(() => undefined);
  if (!handle) return '';
  try {
    return await handle.readFile('utf8');
  } catch {
    return '';
  } finally {
    await handle.close();
  }
}

/** A temporary file beside the target: a name no one can predict, created exclusively (never an existing file or link). */
async function createTemp(t: OutputTarget, text: string, mode: number): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dirname(t.path), `.${basename(t.path)}.${tempSuffix()}.tmp`);
    let handle;
    try {
      handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 4) continue;
      throw asUsageError(t, err);
    }
    try {
      await handle.writeFile(text);
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw asUsageError(t, err);
    }
    await handle.close();
    return tmp;
  }
}

/** Random hex for temporary names; tests replace it to place a link where the next temporary file goes. */
export const tempNames = { next: (): string => randomBytes(8).toString('hex') };
const tempSuffix = () => tempNames.next();

/** A new file: a hard link fails if anything appeared at the path since the check, where a rename would replace it. */
async function linkNew(t: OutputTarget, tmp: string): Promise<void> {
  try {
    await link(tmp, t.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw refusal(t);
    // File systems without hard links: check again, then rename (which never follows a link at the target).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      await checkExisting(t);
      await rename(tmp, t.path);
      return;
    }
    throw err;
  }
}

function asUsageError(t: OutputTarget, err: unknown): UsageError {
  if (err instanceof UsageError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new UsageError(`cannot write ${t.what} (${code})`, {
    code: 'E_OUTPUT',
    file: t.shown,
    option: t.option,
    expected: 'a file path in an existing, writable directory',
    hint: code === 'ENOENT' ? `create the directory first (mkdir -p ${dirname(t.shown)}), or choose another path` : 'choose another path',
  });
}
