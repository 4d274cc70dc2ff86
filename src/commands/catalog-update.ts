// aip catalog update [--from URL|FILE] [--as-of DATE]: fetch the base price data (@pydantic/genai-prices'
// public feed by default), merge it with aip's curated layer as shipped, validate the result, and write it
// atomically into the user cache, where every later command finds it. On any error nothing is written and the
// previous catalog stays in use (exit 2 with what was wrong).
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Context } from '../io/context.js';
import { UsageError } from '../core/errors.js';
import { BASE_DATA_NAME, BASE_DATA_URL, BaseFeed, BaseSnapshot } from '../core/catalog/base-data.js';
import { buildCatalog, coverage } from '../core/catalog/build.js';
import { shippedCatalog } from '../io/catalog/load.js';
import { cachedCatalogText, catalogCachePath, writeCachedCatalog } from '../io/catalog/cache.js';
import { readErrorReason } from '../core/parse/read-error.js';

interface UpdateOptions {
  from?: string;
  asOf?: string;
}

/** The most a download may be (the feed is under 1 MB today). */
const MAX_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

export async function catalogUpdateCommand(ctx: Context, opts: UpdateOptions): Promise<number> {
  const path = catalogCachePath(ctx.env);
  if (!path) {
    throw new UsageError('there is no cache directory to write the catalog into', {
      code: 'E_NO_CACHE_DIR',
      expected: 'AIP_CACHE_DIR, XDG_CACHE_HOME or HOME set, and AIP_NO_CACHE unset',
      hint: 'set AIP_CACHE_DIR=/some/dir (the shipped catalog stays in use meanwhile)',
    });
  }
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
    throw new UsageError(`"${opts.asOf}" is not a date`, { code: 'E_OPTION', option: '--as-of', expected: 'YYYY-MM-DD, the date of the data', hint: 'e.g. --as-of 2026-12-01' });
  }
  const source = opts.from ?? BASE_DATA_URL;
  const fetched = /^https?:\/\//i.test(source) ? await download(ctx, source) : await readLocal(ctx, source);
  const label = opts.from ?? BASE_DATA_URL;
  const data = await parseJson(fetched.text, label);
  const base = toSnapshot(data, label, opts.asOf ?? fetched.date ?? ctx.now().toISOString().slice(0, 10));

  const shipped = await shippedCatalog();
  const built = buildCatalog(base, shipped.curated, 'cache');
  const cover = coverage(built.catalog.models);
  const missing = shipped.curated.providers.filter((p) => p.bare_names && !cover.providers[p.id]).map((p) => p.id);
  if (built.problems.length > 0 || cover.models < 100 || missing.length > 0) {
    const why = built.problems.length > 0 ? built.problems.slice(0, 5).join('; ') : missing.length > 0 ? `no models of ${missing.join(', ')}` : `only ${cover.models} models`;
    throw new UsageError(`the data does not make a usable catalog (${why})`, {
      code: 'E_CATALOG_UPDATE',
      option: '--from',
      file: label,
      expected: `the price data of ${BASE_DATA_NAME}, with the OpenAI, Anthropic and Google models`,
      hint: 'its schema may have changed: check the source, or update aip; the previous catalog stays in use',
    });
  }
  const fetchedAt = ctx.now().toISOString();
  writeCachedCatalog(path, cachedCatalogText(built.catalog, base, { from: label, fetched_at: fetchedAt, curated_hash: shipped.curated_hash }));
  const summary = {
    path,
    from: label,
    catalog_as_of: base.as_of,
    base: { name: base.name, version: base.version, as_of: base.as_of },
    models: cover.models,
    chat_models: cover.chat,
    embedding_models: cover.embedding,
    providers: Object.keys(cover.providers).length,
    previous_as_of: shipped.catalog.asOf,
  };
  if (ctx.json) ctx.out(JSON.stringify(summary, null, 2));
  else if (!ctx.quiet) {
    ctx.out(
      [
        `updated the catalog: ${cover.models} models (${cover.chat} chat, ${cover.embedding} embedding) of ${summary.providers} providers, data as of ${base.as_of} (${label}).`,
        `written to ${path}; every command now uses it (the shipped catalog is as of ${shipped.catalog.asOf}).`,
      ].join('\n'),
    );
  }
  return 0;
}

async function download(ctx: Context, url: string): Promise<{ text: string; date: string | undefined }> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]), redirect: 'follow' });
  } catch (err) {
    throw new UsageError(`cannot download the price data (${describeFetchError(err)})`, {
      code: 'E_DOWNLOAD',
      option: '--from',
      file: url,
      expected: 'a reachable URL of the price data',
      hint: 'offline? pass a copy: aip catalog update --from data.json (the previous catalog stays in use)',
    });
  }
  if (!res.ok) {
    throw new UsageError(`the download failed: HTTP ${res.status} ${res.statusText}`.trim(), { code: 'E_DOWNLOAD', option: '--from', file: url, hint: 'check the URL; the previous catalog stays in use' });
  }
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > MAX_BYTES) throw new UsageError(`the download is ${length} bytes, more than price data can be`, { code: 'E_DOWNLOAD', option: '--from', file: url });
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new UsageError(`the download broke off (${describeFetchError(err)})`, { code: 'E_DOWNLOAD', option: '--from', file: url, hint: 'try again; the previous catalog stays in use' });
  }
  const modified = res.headers.get('last-modified');
  const date = modified && !Number.isNaN(Date.parse(modified)) ? new Date(modified).toISOString().slice(0, 10) : undefined;
  return { text, date };
}

async function readLocal(ctx: Context, file: string): Promise<{ text: string; date: string | undefined }> {
  const path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, date: st.mtime.toISOString().slice(0, 10) };
  } catch (err) {
    throw new UsageError(`cannot read the file (${readErrorReason(err)})`, { code: 'E_UNREADABLE', option: '--from', file, expected: `a copy of the data.json of ${BASE_DATA_NAME}` });
  }
}

function describeFetchError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  if (e.name === 'AbortError') return 'interrupted';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

async function parseJson(text: string, label: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch (err) {
    const { findJsonSyntaxError } = await import('../core/parse/json-position.js');
    const where = findJsonSyntaxError(text);
    throw new UsageError(`the price data is not valid JSON: ${where?.message ?? (err as Error).message}`, {
      code: 'E_JSON_SYNTAX',
      option: '--from',
      file: label,
      ...(where ? { line: where.line, col: where.col } : {}),
      expected: `the data.json of ${BASE_DATA_NAME}`,
      hint: 'a truncated download is the usual cause: run the update again; the previous catalog stays in use',
    });
  }
}

/** The feed (an array of providers) or aip's own snapshot of it; anything else is refused with the first problem. */
function toSnapshot(data: unknown, label: string, asOf: string): BaseSnapshot {
  const snapshot = BaseSnapshot.safeParse(data);
  if (snapshot.success) return snapshot.data;
  const feed = BaseFeed.safeParse(data);
  if (feed.success) return { format: 'aip-base/1', name: BASE_DATA_NAME, version: 'feed', as_of: asOf, url: label, providers: feed.data };
  const isSnapshot = data !== null && typeof data === 'object' && !Array.isArray(data) && 'format' in data;
  let what: string;
  if (Array.isArray(data) || isSnapshot) {
    const issue = (Array.isArray(data) ? feed : snapshot).error!.issues[0]!;
    // The path may hold keys of the downloaded file: no control characters reach the terminal.
// eslint-disable-next-line no-control-regex -- strips control characters from untrusted text on purpose
    what = `${issue.message}${issue.path.length ? ` at ${issue.path.map(String).join('.')}` : ''}`.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  } else what = 'expected an array of providers, found a JSON object keyed by model (LiteLLM\'s map is one)';
  throw new UsageError(`the data is not the price data of ${BASE_DATA_NAME}: ${what}`, {
    code: 'E_CATALOG_FORMAT',
    option: '--from',
    file: label,
    expected: `the data.json of ${BASE_DATA_NAME} (an array of providers with models and prices)`,
    hint: Array.isArray(data) || isSnapshot ? 'its schema may have changed: update aip; the previous catalog stays in use' : 'LiteLLM\'s map goes through "aip catalog import-litellm" instead; the previous catalog stays in use',
  });
}
