// Build step: assemble the catalog from data/ (the base price snapshot and aip's curated layer) with the same
// code that loads it, validate it, and compile it to dist/catalog.jsonl (an index line, then one model per line), read at start-up without parsing
// YAML or re-validating, and only the models a command looks up; write the JSON Schemas generated from the zod schemas.
import { statSync, writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILES, loadDataDir, sha256 } from '../io/catalog/load.js';
import { COMPILED_FILE, COMPILED_FORMAT, type CompiledExtra } from '../io/catalog/compiled-file.js';
import { catalogFileText } from '../io/catalog/compiled-file.js';
import { coverage } from '../core/catalog/build.js';
import { jsonSchemas } from './json-schemas.js';
import { WORKLOAD_DOC_FILE, workloadFileReference } from './workload-doc.js';

export async function compileData(root: string): Promise<{ models: number; providers: number }> {
  const dir = join(root, 'data');
  const { catalog, curated, curatedHash } = await loadDataDir(dir);
  const sources = DATA_FILES.map((file) => {
    const path = join(dir, file);
    const st = statSync(path);
    return { file, size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(readFileSync(path)) };
  });
  const extra: CompiledExtra = { format: COMPILED_FORMAT, sources, curated_hash: curatedHash, curated };
  writeFileSync(join(root, 'dist', COMPILED_FILE), catalogFileText(catalog, extra));
  mkdirSync(join(root, 'schema'), { recursive: true });
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    const path = join(root, 'schema', name);
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    // Only write when changed, so a build does not touch committed files needlessly.
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  }
  // The workload file's reference page, where the repository's docs are (not in an installed package).
  const doc = join(root, WORKLOAD_DOC_FILE);
  if (existsSync(join(root, 'docs'))) {
    const text = workloadFileReference();
    if (!existsSync(doc) || readFileSync(doc, 'utf8') !== text) writeFileSync(doc, text);
  }
  const c = coverage(catalog.models);
  return { models: c.models, providers: Object.keys(c.providers).length };
}
