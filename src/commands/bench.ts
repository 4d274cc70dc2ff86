// `aip bench`: live micro-benchmark of direct, streaming and batch against the built-in simulator (default),
// an OpenAI-compatible server or Anthropic, through the resilient client. Options → plan → run → render.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { loadCatalog } from '../io/catalog/load.js';
import type { Model } from '../core/catalog/schema.js';
import type { Context } from '../io/context.js';
import { UsageError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import type { BenchOptions } from '../bench/options.js';
import { describeReadError } from '../core/parse/read-error.js';

export async function benchCommand(ctx: Context, opts: BenchOptions): Promise<number> {
  const o = await import('../bench/options.js');
  const target = o.resolveTarget(opts, ctx.env);
  const load = o.resolveLoad(opts);
  const gates = o.resolveGates(opts);
  const { checkThreshold } = await import('../bench/gates.js');
  // An unknown metric is a usage error now, not after a run that cost money.
  for (const t of gates.thresholds) checkThreshold(t, undefined, emptyFigures());
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  // Where the results go is checked now: a run must not end (and spend) only to find --out unwritable.
  const { checkOutput, openOutputStream, writeOutput } = await import('../io/write-output.js');
  const outputs = (await import('../bench/outputs.js')).benchOutputs(opts, ctx.cwd, ctx.catalog);
  const outFile = opts.output ?? opts.out;
  if (outputs.json) await checkOutput(outputs.json);
  if (outputs.log) await checkOutput(outputs.log);

  // A workload supplies model, sizes and fallback; explicit flags win.
  const workload = opts.workload !== undefined ? await pickWorkload(ctx, opts, catalog) : undefined;
  const modelName = opts.model ?? workload?.model.id ?? o.DEFAULT_MODEL[target.name];
  const modelOption = opts.model === undefined && workload ? `--workload ${opts.workload} (${workload.name}: model)` : '--model';
  const model = o.resolveBenchModel(catalog, modelName, target.name, opts.baseUrl !== undefined, modelOption);
  const modelId = model?.id ?? modelName;
  const fallbackName = opts.fallback ?? workload?.fallback?.id;
  const fallbackOption = opts.fallback === undefined && workload ? `--workload ${opts.workload} (${workload.name}: fallback)` : '--fallback';
  const fallback = fallbackName !== undefined ? o.resolveBenchModel(catalog, fallbackName, target.name, opts.baseUrl !== undefined, fallbackOption) : undefined;
  const { patterns, note: patternNote } = o.resolvePatterns(opts.patterns, model ? model.batch_api : true);
  const maxTokens = opts.maxTokens ?? workload?.output.tokens ?? o.DEFAULTS.maxTokens;
  if (maxTokens < 1) throw new UsageError('the output cap must be at least 1 token', { option: '--max-tokens', expected: 'a whole number ≥ 1', code: 'E_MAX_TOKENS' });

  const { effectivePrices } = await import('../core/recommend/cost/prices.js');
  const { counterForModel } = await import('../core/tokens/tokenizer.js');
  const { BUILT_IN_PROMPTS } = await import('../bench/prompts.js');
  // The tokenizer (hundreds of ms to load, and garbage the collector clears later — during measuring) is loaded
  // only where a count matters: a spend cap, a prompt sized to a workload, or the simulator (which loads it anyway).
  const needCounts = opts.maxSpend !== undefined || (workload !== undefined && !opts.prompt?.length) || target.name === 'sim';
  const counter = model && needCounts ? await counterForModel(model) : undefined;
  const prompts = opts.prompt?.length
    ? await readPrompts(ctx, opts.prompt)
    : workload
      ? [{ prompt: promptOfTokens(workload.input.tokens, (t) => counter?.count(t) ?? Math.ceil(t.length / 4)) }]
      : [...BUILT_IN_PROMPTS];
  // Message framing adds a few tokens beyond the text (role markers): counted so the spend cap is not short.
  // Counted once per distinct prompt (keyed by the prompt strings themselves, no new string per send):
  // tokenizing, or even building a key, on every send would slow the client under load.
  const counted = new Map<string, Map<string, number>>();
  const inputTokens = (req: { system?: string; prompt: string }) => {
    let bySystem = counted.get(req.prompt);
    if (!bySystem) counted.set(req.prompt, (bySystem = new Map()));
    const system = req.system ?? '';
    let n = bySystem.get(system);
    if (n === undefined) {
      const text = `${system}\n${req.prompt}`;
      n = (counter ? counter.count(text) : Math.ceil(text.length / 4)) + 8;
      bySystem.set(system, n);
    }
    return n;
  };
  const modelsById = new Map<string, Model>([...(model ? [[model.id, model] as const] : []), ...(fallback ? [[fallback.id, fallback] as const] : [])]);
  const prices = new Map<string, ReturnType<typeof effectivePrices> | undefined>();
  const pricesFor = (id: string) => {
    if (!prices.has(id)) {
      const m = modelsById.get(id);
      prices.set(id, m ? effectivePrices(m, workload?.pricing, inputTokens(prompts[0]!)) : undefined);
    }
    return prices.get(id);
  };
  if (opts.maxSpend !== undefined && !pricesFor(modelId)) {
    throw new UsageError(`no catalog price for "${modelId}": the spend cap cannot be enforced`, {
      option: '--max-spend',
      expected: 'a model with prices in the catalog',
      hint: 'add its prices with --catalog FILE, or drop --max-spend',
      code: 'E_NO_PRICE',
    });
  }

  const simScale = target.name === 'sim' ? (opts.latencyScale ?? 1) : undefined;
  const res = o.resolveResilience(opts, catalog.thresholds.values, simScale);
  const { timeoutPolicy } = await import('../client/timeouts.js');
  const speedOf = (id: string) => {
    const m = modelsById.get(id);
    if (!m) return undefined;
    const s = simScale ?? 1;
    return s > 0 ? { ttftS: m.speed.ttft_s * s, outputTokensPerS: m.speed.output_tokens_per_s / s } : { ttftS: 0, outputTokensPerS: Number.POSITIVE_INFINITY };
  };
  const timeouts = timeoutPolicy(speedOf, res.sizing, res.fixedTimeoutMs);

  // The simulator, in-process on loopback, when it is the target.
  let sim: import('../provider-sim/index.js').Simulator | undefined;
  let simStats: import('../provider-sim/index.js').SimStats | undefined;
  const seed = opts.seed ?? 1;
  let faults: Record<string, number> = {};
  const batchTurnaroundS = opts.batchTurnaround !== undefined ? o.parseSecondsOption(opts.batchTurnaround) : o.DEFAULTS.simBatchTurnaroundS;
  if (target.name === 'sim') {
    const simApi = await import('../provider-sim/index.js');
    try {
      faults = simApi.parseFaultSpecs(opts.fault ?? []);
    } catch (err) {
      throw new UsageError((err as Error).message, { option: '--fault', expected: `KIND:RATE with KIND one of ${simApi.FAULT_KINDS.join(', ')}`, code: 'E_FAULT' });
    }
    sim = await simApi.startSimulator({
      catalog,
      latencyScale: simScale ?? 1,
      faults,
      seed,
      // A bench run cannot wait the real 20-minute median: the simulated batch takes seconds (scaled like every delay).
      // The window is a few turnarounds long, so the batch-expire fault shows within the run.
      batchTurnaround: {
        medianSeconds: batchTurnaroundS,
        sigma: 0.2,
        validatingSeconds: batchTurnaroundS / 10,
        finalizingSeconds: batchTurnaroundS / 10,
        cancelSeconds: batchTurnaroundS / 10,
        windowHours: (batchTurnaroundS * 3) / 3600,
      },
      // No `now`: a live benchmark runs in real time, and the simulated batch must progress with it.
    });
  }
  const provider = target.name === 'sim' ? (model?.provider === 'anthropic' ? 'anthropic' : 'openai') : target.name;
  const { adapter, headers } =
    provider === 'anthropic'
      ? await import('../client/providers/anthropic.js').then((m) => ({ adapter: m.anthropicAdapter, headers: m.anthropicHeaders(target.apiKey) }))
      : await import('../client/providers/openai.js').then((m) => ({ adapter: m.openaiAdapter, headers: m.openaiHeaders(target.apiKey) }));
  const baseUrl = sim ? (provider === 'anthropic' ? sim.url : `${sim.url}/v1`) : target.baseUrl!;

  const { Http } = await import('../client/http.js');
  if (sim) await primeSimulator(Http, baseUrl, provider, headers, modelId);
  const { SpendLedger, requestCostUsd } = await import('../bench/spend.js');
  const { runBench } = await import('../bench/run.js');
  const connections = load.ratePerS !== undefined ? Math.max(load.concurrency, 256) : load.concurrency;
  const http = new Http(baseUrl, { connections: connections + 1, headers });
  const ledger = new SpendLedger({ ...(opts.maxSpend !== undefined ? { maxSpendUsd: opts.maxSpend } : {}), pricesFor, inputTokens });
  let log: import('../client/log.js').RequestLog | undefined;
  if (outputs.log) {
    const { RequestLog } = await import('../client/log.js');
    log = new RequestLog(await openOutputStream(outputs.log));
  }
  const showProgress = ctx.stderr.isTTY === true && !ctx.quiet;
  const { progressBar } = await import('../render/kit/progress.js');
  const { benchProgress } = await import('../render/bench.js');
  const bar = showProgress ? benchProgress(progressBar(ctx.stderr, ctx.stderrColor, { minIntervalMs: 100 })) : undefined;

  let result: import('../bench/run.js').BenchResult;
  try {
    result = await runBench(
      {
        adapter,
        model: modelId,
        patterns,
        prompts,
        maxTokens,
        load,
        retry: res.retry,
        breaker: res.breaker,
        timeouts,
        ...(fallback ? { fallbackModel: fallback.id } : {}),
        ...(gates.slo ? { slo: gates.slo } : {}),
        seed,
        cancelOnExit: opts.cancelOnExit === true,
        // On a real target, poll as the resilience plan says; the simulator's seconds-long batch is polled faster.
        pollMs: opts.pollInterval !== undefined ? o.parseMsOption(opts.pollInterval, '--poll-interval') : sim ? Math.max(20, 100 * (simScale ?? 1)) : Math.min(5000, res.pollMs),
        maxPollMs: sim ? Math.max(50, 500 * (simScale ?? 1)) : res.pollMs,
        probes: o.DEFAULTS.probes,
        graceMs: o.DEFAULTS.graceMs,
      },
      {
        http,
        ledger,
        signal: ctx.signal,
        now: () => ctx.now(),
        ...(log ? { log } : {}),
        logContent: opts.logContent === true,
        costOf: (usage, id, batch) => {
          const p = pricesFor(id);
          return p ? requestCostUsd(p, usage, batch) : null;
        },
        ...(bar ? { onProgress: (e: import('../bench/run.js').ProgressEvent) => bar.update(e) } : {}),
      },
    );
  } finally {
    bar?.clear();
    if (ctx.signal.aborted) await http.destroy();
    else await http.close();
    simStats = sim?.stats();
    await sim?.close();
    await log?.close();
  }

  const shape = emptyFigures();
  const verdicts = gates.thresholds.map((t) => checkThreshold(t, result.patterns[t.pattern as 'direct'] as unknown as Record<string, unknown> | undefined, shape));
  const doc = {
    aip_version: VERSION,
    target: target.name,
    ...(target.name !== 'sim' ? { base_url: target.baseUrl } : {}),
    provider,
    model: modelId,
    ...(fallback ? { fallback_model: fallback.id } : {}),
    load: {
      requests: load.requests ?? null,
      concurrency: load.ratePerS === undefined ? load.concurrency : null,
      rate_per_s: load.ratePerS ?? null,
      duration_s: load.durationMs === undefined ? null : load.durationMs / 1000,
      warmup: load.warmup,
      max_tokens: maxTokens,
      prompts: prompts.length,
    },
    ...(sim && simStats
      ? {
          simulator: {
            latency_scale: simScale,
            faults,
            seed,
            batch_turnaround_s: batchTurnaroundS * (simScale ?? 1),
            // The simulator's own count of what it did: the figures above can be checked against it.
            stats: { requests: simStats.requests, statuses: simStats.statuses, faults: simStats.faults },
          },
        }
      : {}),
    patterns: result.patterns,
    harness: result.harness,
    breaker: result.breaker,
    spend: { usd: result.spend_usd, max_usd: opts.maxSpend ?? null, capped: result.spend_capped, estimate: true },
    thresholds: verdicts,
    // Why each pattern stopped sending: done, duration, spend_cap or interrupted.
    stopped_by: result.stopped_by,
    interrupted: result.interrupted,
  };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  if (outputs.json) await writeOutput(outputs.json, json);

  const notes: string[] = [];
  if (patternNote) notes.push(patternNote);
  if (sim) {
    notes.push(
      `target: the built-in simulator in this process (latency ×${simScale}, seed ${seed}${Object.keys(faults).length ? `, faults ${Object.entries(faults).map(([k, v]) => `${k}:${v}`).join(',')}` : ''}); batch turnaround shortened to ~${batchTurnaroundS * (simScale ?? 1)} s.`,
    );
  }
  notes.push(`spend: ${result.spend_usd > 0 || pricesFor(modelId) ? `$${result.spend_usd.toFixed(6)}` : 'unknown (no catalog price)'} at catalog list prices (warm-up included)${sim ? ' — what this run would cost on the real API; the simulator bills nothing' : ''}.`);
  if (result.spend_capped) notes.push(`stopped sending: the next request would have passed --max-spend $${opts.maxSpend}.`);
  if (result.interrupted) notes.push('interrupted: figures cover what was measured before Ctrl-C.');
  const batchFig = result.patterns.batch as { batch_id: string | null; cancelled: boolean } | undefined;
  if (result.interrupted && batchFig?.batch_id && !batchFig.cancelled) notes.push(`batch ${batchFig.batch_id} was submitted and is still running (cancel it with --cancel-on-exit next time).`);
  if (outFile) notes.push(`wrote ${outFile}`);

  if (ctx.json) ctx.out(json.trimEnd());
  else {
    const { palette } = await import('../render/kit/color.js');
    const { renderReport } = await import('../render/bench.js');
    const detail =
      load.ratePerS !== undefined
        ? `open loop ${load.ratePerS}/s${load.durationMs !== undefined ? ` for ${load.durationMs / 1000} s` : ''}`
        : `${load.requests ?? '∞'} requests${load.durationMs !== undefined ? ` or ${load.durationMs / 1000} s` : ''} at concurrency ${load.concurrency}`;
    ctx.out(renderReport({ target: target.name === 'sim' ? 'simulator' : `${target.name} ${target.baseUrl}`, model: modelId, detail: `${detail}, warm-up ${load.warmup}, ${maxTokens} output tokens max` }, result, verdicts, palette(ctx.color), notes, { quiet: ctx.quiet }));
  }
  if (result.interrupted) return 130;
  if (verdicts.some((v) => !v.passed) || result.spend_capped) return 1;
  return 0;
}

function abs(ctx: Context, file: string): string {
  return isAbsolute(file) ? file : resolve(ctx.cwd, file);
}

async function readPrompts(ctx: Context, files: string[]): Promise<Array<{ prompt: string }>> {
  const out: Array<{ prompt: string }> = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(abs(ctx, f), 'utf8');
    } catch (err) {
      throw new UsageError(describeReadError(err, 'a prompt file'), { file: f, option: '--prompt', expected: 'a text file holding the prompt', code: 'E_FILE' });
    }
    // A NUL byte means binary content (an image, an archive): sending it as a prompt measures nothing useful.
    if (text.includes('\0')) throw new UsageError('looks like a binary file', { file: f, option: '--prompt', expected: 'a text file holding the prompt', hint: 'pass a text file (prompts, Markdown, code)', code: 'E_BINARY' });
    if (text.trim() === '') throw new UsageError('the prompt file is empty', { file: f, option: '--prompt', expected: 'a text file holding the prompt', code: 'E_PROMPT' });
    out.push({ prompt: text });
  }
  return out;
}

/** A prompt of about `tokens` tokens (the workload's mean input), built from plain sentences. */
function promptOfTokens(tokens: number, countTokens: (text: string) => number): string {
  const sentence = 'The customer asks about the status of an order and wants a short, clear answer. ';
  const per = Math.max(1, countTokens(sentence));
  let text = sentence.repeat(Math.max(1, Math.floor(tokens / per)));
  while (countTokens(text) > tokens && text.length > sentence.length) text = text.slice(0, -sentence.length);
  return text;
}

async function pickWorkload(ctx: Context, opts: BenchOptions, catalog: Awaited<ReturnType<typeof loadCatalog>>) {
  const { loadWorkloadFile } = await import('../io/workload-files.js');
  const file = await loadWorkloadFile(opts.workload!, { catalog, cwd: ctx.cwd });
  const names = file.workloads.map((w) => w.name);
  if (opts.name === undefined) {
    if (file.workloads.length === 1) return file.workloads[0]!;
    throw new UsageError('the file holds several workloads: say which', { option: '--name', file: opts.workload!, expected: `one of ${names.join(', ')}`, code: 'E_WORKLOAD_NAME' });
  }
  const w = file.workloads.find((x) => x.name === opts.name);
  if (!w) {
    const { closest } = await import('../core/suggest.js');
    const [near] = closest(opts.name, names);
    throw new UsageError(`no workload named "${opts.name}" in ${opts.workload}`, { option: '--name', expected: `one of ${names.join(', ')}`, ...(near ? { hint: `did you mean ${near}?` } : {}), code: 'E_WORKLOAD_NAME' });
  }
  return w;
}

/** The figure names a threshold may use (values irrelevant): checked before the run. */
function emptyFigures(): Record<string, unknown> {
  const p = { p50: 0, p95: 0, p99: 0 };
  return {
    requests: 0, ok: 0, failed: 0, errors: {}, retries: 0, partial: 0, fallbacks: 0, skipped_spend_cap: 0, interrupted_in_flight: 0,
    ttfb_ms: p, ttft_ms: p, latency_ms: p, itl_ms: p, tpot_ms: p, output_tokens_per_s: p,
    goodput: { good: 0, fraction: 0, per_s: 0 }, duration_s: 0, throughput_rps: 0, cost_usd: 0, turnaround_ms: 0, submit_ms: 0, polls: 0,
  };
}

/**
 * The in-process simulator builds a model's tokenizer and vocabulary on its first request (up to seconds):
 * one fault-free request before measuring keeps that cost out of every figure, with or without warm-up.
 */
async function primeSimulator(HttpClass: typeof import('../client/http.js').Http, baseUrl: string, provider: string, headers: Record<string, string>, model: string): Promise<void> {
  const http = new HttpClass(baseUrl, { connections: 1, headers: { ...headers, 'content-type': 'application/json', 'x-aip-fault': '500:0' } });
  try {
    const body =
      provider === 'anthropic'
        ? { model, max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] }
        : { model, max_completion_tokens: 1, messages: [{ role: 'user', content: 'hi' }] };
    await http.sendText({ method: 'POST', path: provider === 'anthropic' ? '/v1/messages' : '/chat/completions', body: JSON.stringify(body) });
  } finally {
    await http.close();
  }
}
