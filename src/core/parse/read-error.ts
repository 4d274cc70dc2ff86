// Why a file could not be read, in words ("no such file", "permission denied") rather than errno codes.

export function readErrorReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? 'read error';
}

/**
 * The message for a file that could not be read as `what` ("a workload file"): "no such file",
 * "is a directory, not a workload file", "permission denied", or "cannot read it (EIO)".
 */
export function describeReadError(err: unknown, what: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return `is a directory, not ${what}`;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read it (${code ?? (err as Error).message})`;
}
