// Builds dist/: one esbuild bundle split per command (so `aip --help` loads only the entry and commander),
// the catalog validated and compiled to dist/catalog.json, and the generated JSON Schemas in schema/.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  absWorkingDir: root,
  // simulate-worker: the entry of aip simulate's worker threads (io/simulate-workers.ts starts dist/simulate-worker.js).
  entryPoints: { cli: 'src/cli.ts', 'build-data': 'src/build/compile-data.ts', 'simulate-worker': 'src/io/simulate-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (commander, cli-table3) may call require() for Node built-ins.
  banner: { js: "import { createRequire as __aipCreateRequire } from 'node:module'; const require = __aipCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

const { compileData } = await import(pathToFileURL(join(dist, 'build-data.js')).href);
try {
  const { models, providers } = await compileData(root);
  if (process.env.AIP_BUILD_VERBOSE) console.error(`aip build: catalog of ${models} models from ${providers} providers`);
} catch (err) {
  const lines = err?.errors ? err.errors.map((e) => `${e.where?.file ?? ''}${e.where?.line ? `:${e.where.line}:${e.where.col}` : ''} ${e.where?.field ?? ''}: ${e.message}`) : [err?.message ?? String(err)];
  console.error(`aip build: the catalog in data/ is invalid:\n  ${lines.join('\n  ')}`);
  process.exit(1);
}
