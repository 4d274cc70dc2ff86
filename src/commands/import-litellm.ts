// aip catalog import-litellm: LiteLLM's public price map → a catalog overlay file for --catalog, so prices
// can be refreshed without a release. Says what it kept from the catalog and what it could not map.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Context } from '../io/context.js';
import { loadCatalog } from '../io/catalog/load.js';
import { importLitellm, LITELLM_SOURCE, type ImportResult } from '../core/catalog/litellm.js';
import { deepMerge } from '../io/catalog/overlay.js';
import { Model, providerIds, type ProviderId } from '../core/catalog/schema.js';
import { UsageError } from '../core/errors.js';
import { checkOutput, writeOutput, type OutputTarget } from '../io/write-output.js';
import { readErrorReason } from '../core/parse/read-error.js';
import { closest } from '../core/suggest.js';

interface ImportOptions {
  output?: string;
  force?: boolean;
  provider?: string[];
  all?: boolean;
  asOf?: string;
}

export async function importLitellmCommand(ctx: Context, file: string, opts: ImportOptions): Promise<number> {
  const providers = (opts.provider ?? []).flatMap((p) => p.split(',')).filter(Boolean).map(parseProvider);
  const abs = (f: string) => (isAbsolute(f) ? f : resolve(ctx.cwd, f));
  const out: OutputTarget | undefined =
    opts.output === undefined
      ? undefined
      : {
          shown: opts.output,
          path: abs(opts.output),
          option: '--output',
          exampleName: 'prices.yaml',
          what: 'the catalog overlay',
          force: opts.force === true,
          // Never overwrites a user's file without --force, not even an overlay it wrote before.
          refuse: { message: 'the output file already exists', expected: 'a new file name', hint: 'add --force to overwrite it, or choose another name' },
          others: [{ path: abs(file), option: 'the LiteLLM file' }, ...ctx.catalog.map((f) => ({ path: abs(f), option: '--catalog' }))],
        };
  // Refuse before doing any work.
  if (out) await checkOutput(out);
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
    throw new UsageError(`"${opts.asOf}" is not a date`, { code: 'E_OPTION', option: '--as-of', expected: 'YYYY-MM-DD, the date of the LiteLLM file', hint: 'e.g. --as-of 2026-07-24' });
  }
  const { json, modified } = await readLitellmJson(ctx, file);
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  // The entries are as old as the file, not as today: a stale copy must look stale.
  const asOf = opts.asOf ?? modified;
  const result = importLitellm(json, catalog, { providers, all: opts.all === true, asOf });
  dropInvalid(result, catalog.models);

  const yamlText = overlayYaml(result, file, asOf);
  if (out) await writeOutput(out, yamlText);
  if (ctx.json) {
    ctx.out(
      JSON.stringify(
        {
          file,
          output: opts.output ?? null,
          source: LITELLM_SOURCE,
          as_of: asOf,
          corrected: result.corrected,
          models_written: result.models.length,
          mapped: result.mapped,
          kept: result.kept,
          unmapped: result.unmapped,
          other_providers_skipped: result.otherProviders,
          ...(out ? {} : { catalog: { models: result.models } }),
        },
        null,
        2,
      ),
    );
  } else if (!out) ctx.out(yamlText);
  // The summary is a diagnostic on stderr; --quiet drops it (as it drops baseline's "wrote …" line).
  if (!ctx.quiet) ctx.err(summary(result, opts.output));
  return 0;
}

function parseProvider(name: string): ProviderId {
  const n = name.trim().toLowerCase();
  const id = n === 'gemini' ? 'google' : n;
  if ((providerIds as readonly string[]).includes(id)) return id as ProviderId;
  const guess = closest(n, providerIds, 1)[0];
  throw new UsageError(`unknown provider "${name}"`, { code: 'E_UNKNOWN_PROVIDER', option: '--provider', expected: `one of: ${providerIds.join(', ')}`, hint: guess ? `did you mean "${guess}"?` : undefined });
}

async function readLitellmJson(ctx: Context, file: string): Promise<{ json: Record<string, unknown>; modified: string }> {
  let text: string;
  let modified: string;
  try {
    const path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
    text = await readFile(path, 'utf8');
    modified = (await stat(path)).mtime.toISOString().slice(0, 10);
  } catch (err) {
    throw new UsageError(`cannot read the file (${readErrorReason(err)})`, {
      code: 'E_UNREADABLE',
      file,
      expected: "LiteLLM's model_prices_and_context_window.json",
      hint: 'download it from https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const { findJsonSyntaxError } = await import('../core/parse/json-position.js');
    const where = findJsonSyntaxError(text);
    throw new UsageError(`malformed JSON: ${where?.message ?? (err as Error).message}`, {
      code: 'E_JSON_SYNTAX',
      file,
      ...(where ? { line: where.line, col: where.col } : {}),
      expected: "valid JSON (LiteLLM's price map)",
      hint: 'a truncated download is the usual cause: fetch the file again',
    });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError('expected a JSON object of model entries at the top level', { code: 'E_LITELLM_SHAPE', file, line: 1, col: 1, expected: '{ "gpt-4o": { "input_cost_per_token": …, … }, … }' });
  }
  return { json: data as Record<string, unknown>, modified };
}

/** Entries the catalog schema would refuse (odd values upstream) are not written; they are listed instead. */
function dropInvalid(result: ImportResult, models: readonly Model[]): void {
  result.models = result.models.filter((entry) => {
    const existing = models.find((m) => m.id === entry.id);
    const parsed = Model.safeParse(existing ? deepMerge(existing, entry) : entry);
    if (parsed.success) return true;
    const issue = parsed.error.issues[0]!;
    result.unmapped.push({ key: String(entry.id), reason: `would not be a valid catalog entry (${issue.path.join('.')}: ${issue.message})` });
    result.mapped = result.mapped.filter((m) => m.id !== entry.id);
    return false;
  });
}

function overlayYaml(result: ImportResult, file: string, asOf: string): string {
  const head = [
    `# Catalog overlay generated by "aip catalog import-litellm ${file}" from that file as of ${asOf}.`,
    '# Prices in USD per 1M tokens. Use it with: aip --catalog THIS_FILE models (or recommend, tokens, ...).',
    '# Entries for models aip already knows give only the refreshed fields; the rest comes from the catalog.',
  ].join('\n');
  return `${head}\n${stringify({ models: result.models }, { lineWidth: 0 })}`;
}

function summary(result: ImportResult, output: string | undefined): string {
  const refreshed = result.mapped.filter((m) => !m.new).length;
  const added = result.models.length - refreshed;
  const lines = [`imported from LiteLLM: prices of ${refreshed} catalog models refreshed${added > 0 ? `, ${added} models added` : ''}.`];
  const keptByFields = new Map<string, string[]>();
  for (const k of result.kept) keptByFields.set(k.fields.join(', '), [...(keptByFields.get(k.fields.join(', ')) ?? []), k.id]);
  for (const [fields, ids] of keptByFields) lines.push(`  ${fields} kept from aip's catalog (LiteLLM has none) for ${ids.length} models: ${ids.join(', ')}`);
  const byReason = new Map<string, string[]>();
  for (const u of result.unmapped) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.key]);
  if (byReason.size > 0) lines.push(`not mapped: ${result.unmapped.length} entries (full list with --json):`);
  for (const [reason, keys] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
    const shown = keys.slice(0, 4).join(', ');
    lines.push(`  ${keys.length} × ${reason}: ${shown}${keys.length > 4 ? `, … (+${keys.length - 4})` : ''}`);
  }
  for (const c of result.corrected) lines.push(`  corrected ${c.id} ${c.field}: LiteLLM's "${c.key}" says $${c.litellm}, ${c.reason.replace(/^the provider's rule is /, 'the rule is ')}; $${c.used} used`);
  if (result.otherProviders > 0) lines.push(`skipped ${result.otherProviders} entries of other providers (Azure, Bedrock, OpenRouter, …).`);
  if (output) lines.push(`wrote ${output}; use it with: aip --catalog ${output} models`);
  return lines.join('\n');
}
