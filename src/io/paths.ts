// Where the package's own files (data/, schema/, dist/) are, from either src/ (tests) or dist/ (installed).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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

/**
 * The shipped JSON Schema as the `$schema=` line of a workload file written at `outputPath` should name it:
 * always relative to the file, so the line works from a clone of the user's repository (never a path of the
 * machine that wrote it). Inside aip's own repository (or a project whose node_modules holds this aip) the
 * real path; elsewhere where `npm i -D aip` puts it, ./node_modules/aip/schema/workload.schema.json.
 */
export function schemaRefFor(cwd: string, outputPath: string, root = packageRoot()): string {
  const project = resolve(cwd);
  const within = (from: string, to: string) => {
    const r = relative(from, to);
    return !r.startsWith('..') && !isAbsolute(r);
  };
  // aip inside the project (its node_modules), or the project inside aip (aip's own repository).
  const inside = within(project, root) || within(root, project);
  const schema = inside ? join(root, 'schema', 'workload.schema.json') : join(project, 'node_modules', 'aip', 'schema', 'workload.schema.json');
  const rel = relative(dirname(resolve(project, outputPath)), schema).split(sep).join('/');
  return rel.startsWith('..') ? rel : `./${rel}`;
}
