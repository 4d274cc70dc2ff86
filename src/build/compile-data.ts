// Build step: validate data/ with the same code that loads it, compile it to dist/catalog.json (read at
// start-up without parsing YAML), and write the JSON Schemas generated from the zod schemas.
import { statSync, writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILES, loadDataDir, type CompiledCatalog } from '../io/catalog/load.js';
import { jsonSchemas } from './json-schemas.js';

export async function compileData(root: string): Promise<void> {
  const dir = join(root, 'data');
  const catalog = await loadDataDir(dir);
  const sources = DATA_FILES.map((file) => {
    const st = statSync(join(dir, file));
    return { file, size: st.size, mtimeMs: st.mtimeMs };
  });
  const compiled: CompiledCatalog = { sources, catalog };
  writeFileSync(join(root, 'dist', 'catalog.json'), JSON.stringify(compiled));
  mkdirSync(join(root, 'schema'), { recursive: true });
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    const path = join(root, 'schema', name);
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    // Only write when changed, so a build does not touch committed files needlessly.
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  }
}
