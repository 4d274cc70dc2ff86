// aip import FILE...: usage exports, traces and logs in → workloads measured from the traffic (a commented
// workload file), optionally the cost as sent next to the recommendation, and measured speeds as a catalog
// overlay. Thin: options → read (io, streamed) → derive (core) → render.
import { isAbsolute, resolve } from 'node:path';
import type { Context } from '../io/context.js';
import { loadCatalog } from '../io/catalog/load.js';
import { checkOutput, writeOutput, type OutputTarget } from '../io/write-output.js';
import { readUsageFile } from '../io/import/read-usage.js';
import { readLatencyRules } from '../io/import/latency-rules.js';
import { fsFileSource } from '../io/file-source.js';
import { UsageError } from '../core/errors.js';
import { closest } from '../core/suggest.js';
import { inline } from '../core/safe-text.js';
import { VERSION } from '../core/version.js';
import type { Catalog, ProviderId } from '../core/catalog/schema.js';
import { matchAccountTier } from '../core/catalog/account-tiers.js';
import { tierWhy } from '../core/import/tiers.js';
import { ImportAggregator } from '../core/import/aggregate.js';
import { deriveImport, type ImportResult, type LatencyRule } from '../core/import/derive.js';
import { buildCalibration } from '../core/import/calibration.js';
import { compareCosts, type Comparison } from '../core/import/compare.js';
import { groupByKeys, importFormats, type ImportFormat } from '../core/import/record.js';
import { parseDuration } from '../core/workload/units.js';
import { latencyKeywordSeconds, normaliseWorkloadSource } from '../core/workload/normalise.js';
import { parseYamlSource } from '../core/parse/yaml-source.js';
import { buildRecommendation } from '../core/recommend/build.js';
import { count } from '../core/format.js';
import { isComplete, periodText, renderImportedWorkloads } from '../render/import/workload-yaml.js';
import { importJson } from '../render/import/json.js';
import { wrapWords } from '../render/kit/table.js';
import { renderComparison } from '../render/import/compare-table.js';
import { renderCalibration } from '../render/import/calibration-yaml.js';

export interface ImportOptions {
  output?: string;
  force?: boolean;
  from?: string;
  groupBy?: string;
  latency?: string[];
  latencyRules?: string;
  calibration?: string;
  recommend?: boolean;
  tier?: string[];
}

export async function importCommand(ctx: Context, files: string[], opts: ImportOptions): Promise<number> {
  const format = parseFrom(opts.from);
  const groupBy = parseGroupBy(opts.groupBy);
  // Refuse before reading a gigabyte: never overwrite without --force, never into a missing directory.
  const output = opts.output && opts.output !== '-' ? await target(ctx, opts.output, '-o', 'workloads.yaml', 'the workload file', opts.force === true, files) : undefined;
  const calibrationOut = opts.calibration ? await target(ctx, opts.calibration, '--calibration', 'calibration.yaml', 'the calibration overlay', opts.force === true, files) : undefined;
  if (output && calibrationOut && output.path === calibrationOut.path) {
    throw new UsageError('-o and --calibration name the same file', { code: 'E_OUTPUT', option: '--calibration', expected: 'two different files', hint: 'e.g. -o workloads.yaml --calibration calibration.yaml' });
  }

  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  const tiers = parseTierOptions(opts.tier ?? [], catalog);
  const latency = [...parseLatencyOptions(opts.latency ?? [], catalog), ...(opts.latencyRules ? await readLatencyRules(abs(ctx, opts.latencyRules), opts.latencyRules, latencyKeywordSeconds(catalog)) : [])];

  const agg = new ImportAggregator();
  for (const file of files) {
    const path = abs(ctx, file);
    await readUsageFile(path, file, agg, { groupBy, format, signal: ctx.signal, onFormat: (f) => agg.beginSource(file, f) });
  }
  const result = deriveImport(agg, catalog, { groupBy, latency, tiers });
  if (result.workloads.length === 0) throw nothingImported(result, files);

  const command = `aip import ${files.join(' ')}`;
  const yamlText = renderImportedWorkloads(result, { command });
  let comparison: Comparison | undefined;
  if (opts.recommend) comparison = await recommendImported(ctx, result, catalog, command);
  const calibration = calibrationOut ? buildCalibration(agg, catalog) : undefined;
  if (calibrationOut && calibration!.models.length === 0) {
    throw new UsageError('nothing to calibrate: no streamed calls with a recorded first chunk', {
      code: 'E_CALIBRATION',
      option: '--calibration',
      expected: 'per-request timings (OTLP spans, LiteLLM or Langfuse logs, aip bench logs) of streamed calls',
      hint: calibration!.skipped.length ? calibration!.skipped.join('; ') : 'usage exports count tokens only; import traces or request logs for speeds',
    });
  }

  if (output) await write(output, yamlText);
  if (calibrationOut) await write(calibrationOut, renderCalibration(calibration!, { command, sources: files }));

  if (ctx.json) {
    ctx.out(JSON.stringify(importJson(result, comparison, { output: opts.output ?? null, calibration: calibrationOut ? { file: opts.calibration, models: calibration!.models.map((m) => m.id), left_out: calibration!.skipped } : null }), null, 2));
  } else if (comparison) {
    ctx.out(renderComparison(comparison, result, { color: ctx.color, catalogAsOf: catalog.asOf, width: ctx.width }));
  } else if (!output) ctx.out(yamlText);
  if (!ctx.quiet) ctx.err(summary(result, output?.shown, calibrationOut?.shown, calibration?.models.length ?? 0, Boolean(comparison)).split('\n').map((l) => wrapWords(l, ctx.width, l.startsWith('  ') ? '    ' : '  ')).join('\n'));
  return 0;
}

function abs(ctx: Context, p: string): string {
  return isAbsolute(p) ? p : resolve(ctx.cwd, p);
}

/** Refused before reading a gigabyte: never overwrite without --force, never over an input, never through a link. */
async function target(ctx: Context, given: string, option: string, example: string, what: string, force: boolean, inputs: readonly string[]): Promise<OutputTarget> {
  const t: OutputTarget = {
    shown: given,
    path: abs(ctx, given),
    option,
    exampleName: example,
    what,
    force,
    refuse: { message: 'the file already exists', code: 'E_OUTPUT_EXISTS', expected: 'a new file name', hint: 'add --force to replace it, or choose another name' },
    others: [...inputs.map((f) => ({ path: abs(ctx, f), option: 'an input file' })), ...ctx.catalog.map((f) => ({ path: abs(ctx, f), option: '--catalog' }))],
  };
  await checkOutput(t);
  return t;
}

async function write(t: OutputTarget, text: string): Promise<void> {
  await writeOutput(t, text);
}

function parseFrom(from: string | undefined): ImportFormat | undefined {
  if (from === undefined) return undefined;
  if ((importFormats as readonly string[]).includes(from)) return from as ImportFormat;
  const guess = closest(from, importFormats, 1)[0];
  throw new UsageError(`unknown format "${from}"`, { code: 'E_FORMAT', option: '--from', expected: `one of: ${importFormats.join(', ')}`, hint: guess ? `did you mean "${guess}"?` : undefined });
}

function parseGroupBy(value: string | undefined): string {
  if (value === undefined) return 'project';
  const v = value.trim();
  // eslint-disable-next-line no-control-regex -- a grouping key with control characters is refused
  if (v === '' || /[\s\u0000-\u001f]/.test(v)) {
    throw new UsageError(`"${value}" is not a grouping key`, { code: 'E_GROUP_BY', option: '--group-by', expected: `one of ${groupByKeys.join(', ')}, or an attribute or field name such as service.name or user` });
  }
  return v === 'key' || v === 'api-key' ? 'api_key' : v === 'tags' ? 'tag' : v;
}

/** --latency 3s (every workload) or --latency 'GLOB=TOLERANCE' (workloads whose name, group or model match). */
function parseLatencyOptions(values: readonly string[], catalog: Catalog): LatencyRule[] {
  const keywords = latencyKeywordSeconds(catalog);
  return values.map((raw) => {
    const eq = raw.lastIndexOf('=');
    const match = eq > 0 ? raw.slice(0, eq).trim() : null;
    const text = (eq > 0 ? raw.slice(eq + 1) : raw).trim();
    const d = parseDuration(text, keywords);
    if (!d.ok) throw new UsageError(`"${inline(text)}": ${d.message}`, { code: 'E_LATENCY', option: '--latency', expected: `${d.expected}; or GLOB=TOLERANCE for some workloads, e.g. "*-batch=24h"`, hint: d.hint });
    return { match, text, seconds: d.seconds, from: '--latency' };
  });
}

/** --tier openai=4 (or openai:4), repeatable: the account's tier per provider, as the workload file's tiers: takes it. */
function parseTierOptions(values: readonly string[], catalog: Catalog): Partial<Record<ProviderId, string>> {
  const out: Partial<Record<ProviderId, string>> = {};
  for (const raw of values) {
    const sep = raw.search(/[=:]/);
    const example = 'e.g. --tier openai=4 or --tier anthropic=build';
    if (sep <= 0) {
      throw new UsageError(`"${inline(raw)}" names no provider`, { code: 'E_TIER', option: '--tier', expected: 'PROVIDER=TIER: the account\'s tier at one provider', hint: example });
    }
    const provider = raw.slice(0, sep).trim().toLowerCase();
    const m = matchAccountTier(catalog, provider, raw.slice(sep + 1));
    if (!m.ok) throw new UsageError(`${inline(m.message)} in "${inline(raw)}"`, { code: m.code, option: '--tier', expected: m.expected, hint: m.hint ?? example });
    if (out[m.provider] !== undefined && out[m.provider] !== m.tier) {
      throw new UsageError(`--tier names two tiers for ${m.provider} (${out[m.provider]} and ${m.tier})`, { code: 'E_TIER', option: '--tier', expected: 'one tier per provider', hint: `keep one of --tier ${m.provider}=${out[m.provider]} and --tier ${m.provider}=${m.tier}` });
    }
    out[m.provider] = m.tier;
  }
  return out;
}

/** The complete workloads with a tolerance, through the same reader and engine as `aip recommend`. */
async function recommendImported(ctx: Context, result: ImportResult, catalog: Catalog, command: string): Promise<Comparison> {
  const ready = { ...result, workloads: result.workloads.filter((w) => isComplete(w) && w.latency !== null) };
  if (ready.workloads.length === 0) return compareCosts(result, null);
  const src = parseYamlSource('(imported workloads)', renderImportedWorkloads(ready, { command }));
  const file = await normaliseWorkloadSource(src, { catalog, cwd: ctx.cwd, source: fsFileSource });
  const report = buildRecommendation([file], catalog, { now: ctx.now(), version: VERSION });
  return compareCosts(result, report);
}

function nothingImported(result: ImportResult, files: string[]): UsageError {
  const skipped = result.skipped.map((s) => `${count(s.count, 0)} ${s.text}`).join('; ');
  return new UsageError(`found no model calls with token counts${skipped ? ` (skipped: ${skipped})` : ''}`, {
    code: 'E_IMPORT_EMPTY',
    file: files.length === 1 ? files[0] : undefined,
    expected: 'usage records, spans or log lines that carry input and output token counts',
    hint: result.skipped.some((s) => s.reason === 'no-tokens')
      ? 'the instrumentation records no tokens for these calls (some record none for streamed calls): enable usage in streams (stream_options.include_usage) or token counting in the instrumentation'
      : `check the format with --from (${importFormats.join(', ')})`,
  });
}

function summary(r: ImportResult, output: string | undefined, calibration: string | undefined, calibrated: number, compared: boolean): string {
  const lines: string[] = [];
  const records = r.sources.reduce((s, x) => s + x.records, 0);
  const live = r.workloads.filter(isComplete).length;
  lines.push(`imported ${count(records, 0)} record${records === 1 ? '' : 's'} from ${r.sources.map((s) => `${s.file} (${s.format})`).join(', ')}: ${r.workloads.length} workload${r.workloads.length === 1 ? '' : 's'} (${live} ready), ${periodText(r)}`);
  for (const s of r.skipped) lines.push(`  not imported: ${count(s.count, 0)} ${s.text}`);
  for (const w of r.warnings) lines.push(`  note: ${w}`);
  for (const t of r.tiers) if (t.from === 'inferred' || t.aboveCap) lines.push(`  note: ${tierWhy(t)}${t.from === 'inferred' ? `; state yours with --tier ${t.provider}=TIER` : ''}`);
  const unset = r.workloads.filter((w) => isComplete(w) && !w.latency).length;
  if (output) lines.push(`wrote ${output}${unset ? `; set the latency tolerance of ${unset} workload${unset === 1 ? '' : 's'} (latency: TODO), then: aip recommend ${output}` : `; next: aip recommend ${output}`}`);
  else if (compared) lines.push('add -o workloads.yaml to keep the workload file');
  if (calibration) lines.push(`wrote ${calibration}: measured speeds of ${calibrated} model${calibrated === 1 ? '' : 's'}; use it with --catalog ${calibration}`);
  return lines.join('\n');
}
