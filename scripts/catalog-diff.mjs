// npm run catalog:diff — for maintainers: every disagreement between the shipped catalog (dist/catalog.jsonl,
// built from data/) and (1) the base dataset as its npm package has it now (@pydantic/genai-prices, or
// --base FILE, a copy of its public feed), and (2) LiteLLM's price map (--litellm FILE; default the copy in
// test/fixtures). Lists differences in price, context, batch terms and lifecycle; prints a report (or --json)
// and exits 0 — a scheduled workflow (docs/catalog.md) opens an issue when the list is not empty.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const json = args.includes('--json');
const compiledPath = join(root, 'dist', 'catalog.jsonl');
if (!existsSync(compiledPath)) {
  console.error('catalog:diff: dist/catalog.jsonl is missing: run npm run build first');
  process.exit(2);
}

// The shipped catalog: the index line, then one model per line.
const [indexLine, ...modelLines] = readFileSync(compiledPath, 'utf8').split('\n');
const index = JSON.parse(indexLine);
const models = modelLines.filter(Boolean).slice(0, index.ranges.length).map((l) => JSON.parse(l));
const providers = index.catalog.providers;
const shippedBase = index.catalog.data.base;

/** The base data now: the installed npm package (its bundled array), or a copy of the feed. */
function baseNow() {
  const file = opt('--base');
  if (file) return { label: file, providers: JSON.parse(readFileSync(file, 'utf8')) };
  const require = createRequire(import.meta.url);
  const main = require.resolve('@pydantic/genai-prices', { paths: [root] });
  const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8'));
  const src = readFileSync(join(dirname(main), 'index.js'), 'utf8');
  const end = src.indexOf('\n], ');
  return { label: `${pkg.name} ${pkg.version} (installed)`, providers: new Function(`return ${src.slice(src.indexOf('['), end + 2)}`)() };
}

const today = new Date().toISOString().slice(0, 10);
/** The prices in force today: the latest dated variant that has started, else the undated one. */
function pricesToday(prices) {
  if (!Array.isArray(prices)) return prices;
  let best = prices.find((p) => !p.constraint) ?? prices[0];
  for (const p of prices) if (p.constraint?.start_date && p.constraint.start_date <= today && p.constraint.start_date >= (best.constraint?.start_date ?? '')) best = p;
  return best.prices;
}
const round = (n) => (n === undefined || n === null ? null : Number(Number(n).toPrecision(6)));
const flat = (v) => (v === undefined ? undefined : typeof v === 'object' && v !== null && 'base' in v ? v.base : v);
const differs = (a, b) => a !== null && a !== undefined && b !== null && b !== undefined && Math.abs(a - b) > Math.max(1e-9, Math.abs(b) * 0.005);

const findings = [];
const add = (source, kind, id, field, ours, theirs, note = '') => findings.push({ source, kind, id, field, ours, theirs, ...(note ? { note } : {}) });

// 1. Against the base dataset now: prices and context of every model built from it; models it added or dropped.
const base = baseNow();
const snapshotIds = new Set(JSON.parse(readFileSync(join(root, 'data', 'base', 'genai-prices.json'), 'utf8')).providers.flatMap((p) => p.models.map((m) => `${p.id}\0${m.id}`)));
const termOf = (id) => providers.find((p) => p.id === id);
const aipIdOf = (term, baseId) => (term.bare_names ? baseId.toLowerCase() : `${term.id}/${baseId.toLowerCase()}`);
const fromBase = new Set();
for (const term of providers) {
  for (const feed of term.base ?? []) {
    const bp = base.providers.find((p) => p.id === feed.provider);
    if (!bp) continue;
    const include = feed.include ? new RegExp(feed.include, 'i') : undefined;
    const exclude = feed.exclude ? new RegExp(feed.exclude, 'i') : undefined;
    for (const m of bp.models) {
      if ((include && !include.test(m.id)) || (exclude && exclude.test(m.id))) continue;
      const id = aipIdOf(term, m.id);
      fromBase.add(id);
      const ours = models.find((x) => x.id === id || x.aliases.includes(id));
      const prices = pricesToday(m.prices);
      if (!ours) {
        // Left out of the shipped catalog on purpose (audio, images, free promotions) unless new upstream.
        if (flat(prices.input_mtok) !== undefined && !snapshotIds.has(`${bp.id}\0${m.id}`)) add('base', 'added upstream', id, '', null, round(flat(prices.input_mtok)), 'new upstream since the shipped snapshot: npm run catalog:snapshot');
        continue;
      }
      for (const [field, key] of [['input', 'input_mtok'], ['output', 'output_mtok'], ['cached_input', 'cache_read_mtok'], ['cache_write', 'cache_write_mtok'], ['cache_write_1h', 'cache_write_1h_mtok']]) {
        const theirs = round(flat(prices[key]));
        if (differs(ours.prices[field], theirs)) add('base', 'price', ours.id, field, ours.prices[field], theirs);
      }
      if (m.context_window && ours.context_window && m.context_window !== ours.context_window) add('base', 'context', ours.id, 'context_window', ours.context_window, m.context_window);
      if (m.deprecated && ours.lifecycle.status === 'active') add('base', 'lifecycle', ours.id, 'status', 'active', 'deprecated');
    }
  }
}

// 2. Against LiteLLM's map: price, context, batch prices and deprecation date, by the keys LiteLLM uses.
const litellmFile = opt('--litellm', join(root, 'test', 'fixtures', 'litellm_model_prices.json'));
const litellm = JSON.parse(readFileSync(litellmFile, 'utf8'));
const LITELLM_PROVIDER = {
  openai: ['openai', 'text-completion-openai'], anthropic: ['anthropic'], google: ['gemini'], vertex_ai: ['vertex_ai-language-models', 'vertex_ai-anthropic_models'],
  azure: ['azure', 'azure_ai'], bedrock: ['bedrock', 'bedrock_converse'], mistral: ['mistral'], deepseek: ['deepseek'], groq: ['groq'], together_ai: ['together_ai'],
  fireworks_ai: ['fireworks_ai'], xai: ['xai'], openrouter: ['openrouter'], cohere: ['cohere', 'cohere_chat'], cerebras: ['cerebras'], perplexity: ['perplexity'], moonshot: ['moonshot'], voyage: ['voyage'],
};
const perM = (v) => (typeof v === 'number' ? round(v * 1e6) : null);
let matched = 0;
for (const m of models) {
  const term = termOf(m.provider);
  const bare = m.id.replace(/^[a-z_-]+\//, '');
  const keys = [m.id, ...m.aliases, bare, ...(term?.prefixes ?? []).map((p) => `${p}/${bare}`), `gemini/${bare}`, `fireworks_ai/accounts/fireworks/models/${bare}`];
  const allowed = LITELLM_PROVIDER[m.provider] ?? [m.provider];
  const key = keys.find((k) => litellm[k] && allowed.includes(litellm[k].litellm_provider));
  if (!key) continue;
  matched++;
  const e = litellm[key];
  const pairs = [['input', e.input_cost_per_token], ['output', e.output_cost_per_token], ['cached_input', e.cache_read_input_token_cost], ['cache_write', e.cache_creation_input_token_cost], ['cache_write_1h', e.cache_creation_input_token_cost_above_1hr], ['batch_input', e.input_cost_per_token_batches], ['batch_output', e.output_cost_per_token_batches]];
  for (const [field, v] of pairs) {
    const theirs = perM(v);
    if (differs(m.prices[field], theirs)) add('litellm', field.startsWith('batch') ? 'batch' : 'price', m.id, field, m.prices[field], theirs, `key "${key}"`);
  }
  if ((e.input_cost_per_token_batches !== undefined) !== m.batch_api && e.input_cost_per_token_batches !== undefined) add('litellm', 'batch', m.id, 'batch_api', m.batch_api, true, `key "${key}" has batch prices`);
  const window = typeof e.max_input_tokens === 'number' ? e.max_input_tokens : null;
  if (window && m.context_window && window !== m.context_window && window !== m.max_input) add('litellm', 'context', m.id, 'context_window', m.context_window, window, `key "${key}" max_input_tokens`);
  if (typeof e.max_output_tokens === 'number' && m.max_output !== undefined && e.max_output_tokens !== m.max_output) add('litellm', 'context', m.id, 'max_output', m.max_output, e.max_output_tokens, `key "${key}"`);
  const dep = typeof e.deprecation_date === 'string' ? e.deprecation_date : null;
  if (dep && (m.lifecycle.retires_on ?? null) !== dep) add('litellm', 'lifecycle', m.id, 'retires_on', m.lifecycle.retires_on ?? null, dep, `key "${key}" deprecation_date`);
}

const summary = { shipped: { base: shippedBase, models: models.length }, base_now: base.label, litellm: litellmFile, litellm_matched: matched, disagreements: findings.length };
if (json) {
  console.log(JSON.stringify({ ...summary, findings }, null, 2));
} else {
  console.log(`catalog:diff — shipped catalog: ${models.length} models on ${shippedBase.name} ${shippedBase.version} (${shippedBase.as_of})`);
  console.log(`against the base data now (${base.label}) and LiteLLM's map (${litellmFile}, ${matched} models matched)`);
  const groups = new Map();
  for (const f of findings) groups.set(`${f.source} · ${f.kind}`, [...(groups.get(`${f.source} · ${f.kind}`) ?? []), f]);
  for (const [group, list] of groups) {
    console.log(`\n${group} (${list.length})`);
    for (const f of list) console.log(`  ${f.id}${f.field ? ` ${f.field}` : ''}: ours ${f.ours ?? '-'}, theirs ${f.theirs ?? '-'}${f.note ? `  (${f.note})` : ''}`);
  }
  console.log(`\n${findings.length} disagreements. Each is either a correction aip's curated layer makes on purpose (data/models.yaml, data/providers.yaml, with its source) or something to check and fix there.`);
}
