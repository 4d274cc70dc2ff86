// npm run catalog:snapshot — refresh the shipped base price data (data/base/genai-prices.json) from the
// @pydantic/genai-prices devDependency (bump it in package.json first), or from a copy of the dataset's
// public feed: `npm run catalog:snapshot -- --from FILE --as-of YYYY-MM-DD`. Then `npm run build` merges it
// with the curated layer in data/, and `npm run catalog:diff` lists what changed against LiteLLM's map.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const NAME = '@pydantic/genai-prices';
const URL = 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json';

let providers;
let version;
let asOf = opt('--as-of');
const from = opt('--from');
if (from) {
  providers = JSON.parse(readFileSync(from, 'utf8'));
  version = opt('--version') ?? 'feed';
  if (!asOf) throw new Error('--from needs --as-of YYYY-MM-DD: the date of the data (its Last-Modified), not today');
} else {
  // The package bundles its data as one array literal at the top of dist/index.js (no data file is exported).
  const require = createRequire(import.meta.url);
  // The package exports only its entry points: find its directory from the main file.
  const pkgPath = join(dirname(require.resolve(NAME, { paths: [root] })), '..', 'package.json');
  version = JSON.parse(readFileSync(pkgPath, 'utf8')).version;
  const src = readFileSync(join(dirname(pkgPath), 'dist', 'index.js'), 'utf8');
  const start = src.indexOf('[');
  const end = src.indexOf('\n], ');
  if (!src.startsWith('const ') || start < 0 || end < 0) throw new Error(`${NAME} ${version}: its dist/index.js no longer starts with the data array; use --from with the public feed (${URL})`);
  providers = new Function(`return ${src.slice(start, end + 2)}`)();
  if (!asOf) {
    const times = JSON.parse(execFileSync('npm', ['view', `${NAME}@${version}`, 'time', '--json'], { encoding: 'utf8' }));
    asOf = String(times[version] ?? '').slice(0, 10);
  }
}
if (!Array.isArray(providers) || !/^\d{4}-\d{2}-\d{2}$/.test(asOf ?? '')) throw new Error('expected an array of providers and a date');

// Keep what aip reads: names, match rules, prices, context, lifecycle flags and the pricing references.
const keepProvider = ['id', 'name', 'pricing_urls', 'price_comments', 'fallback_model_providers'];
const keepModel = ['id', 'name', 'match', 'context_window', 'deprecated', 'price_comments', 'prices'];
const pickKeys = (o, keys) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
// Dated prices: the bundled form carries a `type` in each constraint; the feed does not. Keep the feed's form.
const price = (p) => (p.constraint ? { ...p, constraint: Object.fromEntries(Object.entries(p.constraint).filter(([k]) => k !== 'type')) } : p);
const slim = providers.map((p) => ({
  ...pickKeys(p, keepProvider),
  models: p.models.map((m) => {
    const out = pickKeys(m, keepModel);
    if (Array.isArray(out.prices)) out.prices = out.prices.map(price);
    return out;
  }),
}));
const snapshot = { format: 'aip-base/1', name: NAME, version, as_of: asOf, url: URL, providers: slim };
mkdirSync(join(root, 'data', 'base'), { recursive: true });
const out = join(root, 'data', 'base', 'genai-prices.json');
writeFileSync(out, `${JSON.stringify(snapshot)}\n`);
const models = slim.reduce((s, p) => s + p.models.length, 0);
console.log(`wrote data/base/genai-prices.json: ${NAME} ${version} (${asOf}), ${slim.length} providers, ${models} models`);
