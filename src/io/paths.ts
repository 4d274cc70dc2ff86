// Where the package's own files (data/, schema/, dist/) are, from either src/ (tests) or dist/ (installed).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('aip: cannot find its package directory (data/ missing)');
}

export function dataDir(): string {
  return join(packageRoot(), 'data');
}
