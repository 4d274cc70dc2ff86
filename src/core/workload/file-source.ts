// Where workload and prompt files are read from, as an interface: the file system (io/file-source.ts) or a
// git revision (io/git-source.ts) implements it, so the loader itself touches neither.
export interface FileSource {
  /** The file's text; rejects (e.g. ENOENT, or a FileAccessError) when it cannot or may not be read. */
  readText(path: string): Promise<string>;
  /**
   * Files matching `pattern` (a path or glob) relative to `cwd`, as absolute paths, sorted. A source that
   * contains access (io/file-source.ts) rejects with a FileAccessError a pattern or match outside the
   * workload file's repository, and a glob that matches too many files or reaches too deep.
   */
  glob(pattern: string, cwd: string): Promise<string[]>;
}

export type FileAccessCode = 'E_OUTSIDE' | 'E_NOT_REGULAR' | 'E_TOO_LARGE' | 'E_GLOB_LIMIT';

/** A file a source will not read, and why: the loader reports it at the position that named the file (exit 2). */
export class FileAccessError extends Error {
  constructor(
    message: string,
    readonly code: FileAccessCode,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'FileAccessError';
  }
}

/** Largest input file read, in bytes (workload, prompt, --catalog, baseline and trace files; docs/security.md). */
export const DEFAULT_MAX_INPUT_BYTES = 20 * 1024 * 1024;
/** A prompt glob may match at most this many files … */
export const MAX_GLOB_FILES = 1000;
/** … at most this many directories below where it starts … */
export const MAX_GLOB_DEPTH = 12;
/** … and may take at most this long to expand. */
export const GLOB_TIMEOUT_MS = 10_000;

export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

export function tooLarge(size: number | undefined, limits: { maxBytes: number }): FileAccessError {
  return new FileAccessError(
    `${size === undefined ? 'larger than' : `is ${describeBytes(size)}, above`} the ${describeBytes(limits.maxBytes)} limit for input files`,
    'E_TOO_LARGE',
    `check the path; to read it anyway raise the limit, e.g. --max-input-size ${Math.ceil(((size ?? limits.maxBytes * 2) / (1024 * 1024)) * 1.5)}`,
  );
}
