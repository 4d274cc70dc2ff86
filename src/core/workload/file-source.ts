// Where workload and prompt files are read from, as an interface: the file system (io/file-source.ts) or a
// git revision (io/git-source.ts) implements it, so the loader itself touches neither.
export interface FileSource {
  /** The file's text; rejects (e.g. ENOENT) when it cannot be read. */
  readText(path: string): Promise<string>;
  /** Files matching `pattern` (a path or glob) relative to `cwd`, as absolute paths, sorted. */
  glob(pattern: string, cwd: string): Promise<string[]>;
}
