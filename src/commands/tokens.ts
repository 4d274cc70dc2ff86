// aip tokens: counts the tokens of prompt files (or stdin) with a model's tokenizer, per file and total,
// with the input cost of one call.
import { finiteJson } from '../render/kit/json.js';
import type { Context } from '../io/context.js';
import { loadCatalog } from '../io/catalog/load.js';
import { findModel } from '../core/catalog/models.js';
import type { Model } from '../core/catalog/schema.js';
import { UsageError } from '../core/errors.js';
import { checkSendKeyTo, keyMaySendTo } from '../client/key-hosts.js';
import { resolveInputs, type TextSource } from '../io/prompt-inputs.js';
import { buildTokensReport, type FileCount } from '../core/tokens/report.js';
import { renderTokensReport } from '../render/tokens.js';
import { chooseCounter } from '../core/tokens/select.js';
import { countStream } from '../core/tokens/tokenizer.js';
import { yieldToEventLoop } from '../io/event-loop.js';

interface TokensOptions {
  model: string;
  exact?: boolean;
  /** Hosts besides api.anthropic.com and loopback that may receive ANTHROPIC_API_KEY (ANTHROPIC_BASE_URL). */
  sendKeyTo?: string[];
}

export async function tokensCommand(ctx: Context, paths: string[], opts: TokensOptions): Promise<number> {
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  // Before loading a tokenizer: a missing key, an unsupported model or a host that may not have the key fails at once.
  let countTokensUrl: string | undefined;
  if (opts.exact) {
    const known = findModel(catalog, opts.model);
    if (known) checkExact(ctx, known);
    if (known?.provider === 'anthropic') countTokensUrl = anthropicBaseUrl(ctx.env.ANTHROPIC_BASE_URL, opts.sendKeyTo);
  }
  const { model, modelName, counter, notes } = await chooseCounter(catalog, opts.model);
  if (opts.exact && !model) throw new UsageError('needs a catalog model', { code: 'E_EXACT_UNKNOWN_MODEL', option: '--exact', hint: `"${opts.model}" is not in the catalog; add it with --catalog FILE` });

  const sources = await resolveInputs(paths, ctx.cwd, ctx.stdin);
  const files: FileCount[] = [];
  let method = counter.method;
  let approximate = counter.approximate;
  if (opts.exact && model?.provider === 'anthropic' && countTokensUrl !== undefined) {
    const { countTokensWithAnthropic } = await import('../client/anthropic-count.js');
    const apiKey = ctx.env.ANTHROPIC_API_KEY!;
    const baseUrl = countTokensUrl;
    for (const source of sources) {
      const { text, bytes } = await readWhole(source);
      files.push({ path: source.path, tokens: await countTokensWithAnthropic(text, { apiKey, baseUrl, model: model.id, signal: ctx.signal }), bytes });
    }
    method = 'api:count_tokens';
    approximate = false;
    notes.push('counted by Anthropic count_tokens: each file sent as one user message, so the count includes its message framing');
  } else {
    if (opts.exact) notes.push(`${modelName} is counted exactly offline (${counter.method}); --exact changes nothing`);
    for (const source of sources) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const { raw, bytes } = await countStream(source.chunks(), (text) => counter.countRawAsync(text, { pause: yieldToEventLoop, signal: ctx.signal }), undefined, ctx.signal);
      files.push({ path: source.path, tokens: counter.scale(raw), bytes });
    }
  }

  const report = buildTokensReport({
    model: modelName,
    encoding: counter.encoding,
    approximate,
    method,
    errorNote: approximate ? counter.errorNote : undefined,
    files,
    inputPricePerMillion: model ? model.prices.input : null,
    notes,
  });
  ctx.out(ctx.json ? finiteJson(report) : renderTokensReport(report, { color: ctx.color, quiet: ctx.quiet, width: ctx.width }));
  // Notes go to stderr so stdout stays one table or one JSON document; a fallback is always said.
  for (const n of notes) ctx.err(`note: ${n}`);
  return 0;
}

function checkExact(ctx: Context, model: Model): void {
  if (model.provider === 'google') {
    throw new UsageError(`not available for ${model.id}`, {
      code: 'E_EXACT_UNSUPPORTED',
      option: '--exact',
      expected: 'a Claude model (Anthropic count_tokens); OpenAI models are already exact offline',
      hint: "drop --exact for the offline estimate, or use Gemini's countTokens endpoint",
    });
  }
  if (model.provider === 'anthropic' && !ctx.env.ANTHROPIC_API_KEY) {
    throw new UsageError('needs the environment variable ANTHROPIC_API_KEY (not set)', {
      code: 'E_MISSING_KEY',
      option: '--exact',
      expected: 'ANTHROPIC_API_KEY set to an Anthropic API key (count_tokens is free)',
      hint: 'export ANTHROPIC_API_KEY=..., or drop --exact for the offline estimate',
    });
  }
}

/**
 * Where count_tokens goes: ANTHROPIC_BASE_URL (as the Anthropic SDK reads it) or api.anthropic.com. The key
 * goes only to api.anthropic.com, this machine, or a host named with --send-key-to: a variable set for another
 * tool, or by a script, does not carry the key to another host. The URL is never quoted (it may hold credentials).
 */
function anthropicBaseUrl(raw: string | undefined, sendKeyTo: readonly string[] | undefined): string {
  checkSendKeyTo(sendKeyTo);
  if (!raw?.trim()) return 'https://api.anthropic.com';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('ANTHROPIC_BASE_URL is not an http(s) URL', { code: 'E_URL', option: '--exact', expected: 'ANTHROPIC_BASE_URL unset (api.anthropic.com) or an http(s) URL such as http://localhost:4000', hint: 'fix or unset ANTHROPIC_BASE_URL' });
  }
  if (url.username || url.password) {
    throw new UsageError('ANTHROPIC_BASE_URL holds a user name or password', { code: 'E_URL', option: '--exact', expected: 'a URL without credentials: count_tokens authenticates with ANTHROPIC_API_KEY alone', hint: 'drop user:password@ from ANTHROPIC_BASE_URL' });
  }
  if (!keyMaySendTo(url, 'anthropic', sendKeyTo)) {
    throw new UsageError(`ANTHROPIC_BASE_URL points at ${url.host}; ANTHROPIC_API_KEY goes only to api.anthropic.com or this machine`, {
      code: 'E_KEY_HOST',
      option: '--exact',
      expected: 'ANTHROPIC_BASE_URL on api.anthropic.com or this machine (localhost, 127.0.0.1, ::1), or its host named with --send-key-to',
      hint: `add --send-key-to ${url.host} if that host should have your key, or unset ANTHROPIC_BASE_URL`,
    });
  }
  return raw.trim();
}

async function readWhole(source: TextSource): Promise<{ text: string; bytes: number }> {
  let text = '';
  for await (const chunk of source.chunks()) text += chunk;
  return { text, bytes: Buffer.byteLength(text) };
}
