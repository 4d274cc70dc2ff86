// Prompt inputs for `aip tokens`: paths, globs and "-" (stdin) resolved to sources that stream text in
// chunks, so tens of MB never sit in memory at once; and bench's --prompt files. Every problem names the path.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { InStream } from './context.js';
import { describeReadError, readErrorReason } from '../core/parse/read-error.js';

export interface TextSource {
  /** The path as the user gave it (or as the glob found it, relative to cwd); "-" for stdin. */
  path: string;
  /** The text in chunks (UTF-8 decoded); fails with a UsageError on binary content. */
  chunks(): AsyncIterable<string>;
}

/** Expands the arguments in order: plain paths are checked, globs must match at least one file. */
export async function resolveInputs(args: readonly string[], cwd: string, stdin: InStream): Promise<TextSource[]> {
  if (args.length === 0) throw new UsageError('no input given', { code: 'E_NO_INPUT', option: 'PATH', expected: 'one or more files, globs, or - for stdin', hint: 'aip tokens prompts/*.md --model gpt-4o-mini' });
  const sources: TextSource[] = [];
  const seen = new Set<string>();
  let stdinUsed = false;
  const { glob, isDynamicPattern } = await import('tinyglobby');
  for (const arg of args) {
    if (arg === '-') {
      if (stdinUsed) throw new UsageError('"-" (stdin) is given twice', { code: 'E_STDIN_TWICE', option: '-', expected: 'stdin at most once' });
      stdinUsed = true;
      sources.push({ path: '-', chunks: () => decodeChunks(stdin, '-') });
      continue;
    }
    if (isDynamicPattern(arg)) {
      const found = (await glob(arg, { cwd, onlyFiles: true, dot: false, expandDirectories: false })).sort();
      if (found.length === 0) {
        throw new UsageError(`the glob "${arg}" matches no files`, {
          code: 'E_EMPTY_GLOB',
          file: arg,
          expected: 'a pattern that matches at least one file',
          hint: `relative patterns are matched from ${cwd}; quote the pattern so your shell does not expand it`,
        });
      }
      for (const rel of found) addFile(sources, seen, rel, resolve(cwd, rel));
      continue;
    }
    const full = isAbsolute(arg) ? arg : resolve(cwd, arg);
    let info;
    try {
      info = await stat(full);
    } catch (err) {
      throw unreadable(arg, err);
    }
    if (info.isDirectory()) {
      throw new UsageError('is a directory, not a file', {
        code: 'E_IS_DIRECTORY',
        file: arg,
        expected: 'a text file, a glob, or - for stdin',
        hint: `to count every file in it, quote a glob: "${arg.replace(/\/$/, '')}/**/*"`,
      });
    }
    addFile(sources, seen, arg, full);
  }
  return sources;
}

function addFile(sources: TextSource[], seen: Set<string>, shown: string, full: string): void {
  if (seen.has(full)) return; // the same file named twice (a path and a glob) is counted once
  seen.add(full);
  sources.push({ path: shown, chunks: () => readChunks(shown, full) });
}

function unreadable(shown: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code;
  return new UsageError(`cannot read the file (${readErrorReason(err)})`, {
    code: 'E_UNREADABLE',
    file: shown,
    expected: 'a readable text file',
    hint: code === 'ENOENT' ? 'check the path; relative paths are read from the current directory' : undefined,
  });
}

async function* readChunks(shown: string, full: string): AsyncGenerator<string> {
  const stream = createReadStream(full, { highWaterMark: 1 << 20 });
  try {
    yield* decodeChunks(stream, shown);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw unreadable(shown, err);
  } finally {
    stream.destroy();
  }
}

/** UTF-8 decoding across chunk borders; a NUL byte means binary content, which is refused. */
async function* decodeChunks(input: AsyncIterable<Buffer | string>, shown: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let offset = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      throw new UsageError(`looks like a binary file (a NUL byte at byte ${offset + nul})`, {
        code: 'E_BINARY',
        file: shown,
        expected: 'text (prompts, code, JSON, Markdown)',
        hint: 'count only text files, e.g. a narrower glob such as "prompts/**/*.md"',
      });
    }
    offset += bytes.length;
    const text = decoder.decode(bytes, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** bench's --prompt files, read whole: each must be text and not empty (a prompt is sent as it is). */
export async function readPromptFiles(files: readonly string[], cwd: string): Promise<Array<{ prompt: string }>> {
  const out: Array<{ prompt: string }> = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(isAbsolute(f) ? f : resolve(cwd, f), 'utf8');
    } catch (err) {
      throw new UsageError(describeReadError(err, 'a prompt file'), { file: f, option: '--prompt', expected: 'a text file holding the prompt', code: 'E_FILE' });
    }
    // A NUL byte means binary content (an image, an archive): sending it as a prompt measures nothing useful.
    if (text.includes('\0')) throw new UsageError('looks like a binary file', { file: f, option: '--prompt', expected: 'a text file holding the prompt', hint: 'pass a text file (prompts, Markdown, code)', code: 'E_BINARY' });
    if (text.trim() === '') throw new UsageError('the prompt file is empty', { file: f, option: '--prompt', expected: 'a text file holding the prompt', code: 'E_PROMPT' });
    out.push({ prompt: text });
  }
  return out;
}
