// One bench session around a checked plan: the simulator in this process when it is the target, the provider
// adapter, the connection pool, the spend ledger and the request log; then the run, and everything closed after
// it (at once on Ctrl-C).
import type { Http as HttpClient } from '../client/http.js';
import type { WriteStream } from 'node:fs';
import type { RequestLog } from '../client/log.js';
import type { ProviderAdapter } from '../client/providers/types.js';
import type { Catalog } from '../core/catalog/schema.js';
import { scrubDeep, secretScrubber } from '../core/safe-text.js';
import { FAULT_HEADER } from '../provider-sim/faults.js';
import type { Simulator, SimStats } from '../provider-sim/index.js';
import type { BenchSetup } from './plan.js';
import type { BenchResult, ProgressEvent } from './run.js';

interface SessionDeps {
  /** Ctrl-C. */
  signal: AbortSignal;
  /** Wall clock for the request log's timestamps. */
  now: () => Date;
  /** Opens the JSONL request log (created exclusively, io/write-output.ts), when asked for. */
  openLog?: () => Promise<WriteStream>;
  onProgress?: (e: ProgressEvent) => void;
}

export interface BenchSession {
  result: BenchResult;
  /** The simulator's own count of what it did (simulator target only). */
  simStats: SimStats | undefined;
}

export async function runBenchSession(setup: BenchSetup, catalog: Catalog, deps: SessionDeps): Promise<BenchSession> {
  const { target, provider } = setup;
  let sim: Simulator | undefined;
  let http: HttpClient | undefined;
  let log: RequestLog | undefined;
  let simStats: SimStats | undefined;
  let result: BenchResult;
  // Whatever a server sends back (an error body, a batch id, an answer) may echo the key or the password:
  // it is scrubbed before it reaches the report, --json, -o, the log, the progress line or an error message.
  const scrub = secretScrubber([target.apiKey, target.basicAuth, ...(target.basicAuth ? Buffer.from(target.basicAuth, 'base64').toString().split(':') : [])]);
  try {
    if (setup.simulator) {
      const { startSimulator } = await import('../provider-sim/index.js');
      sim = await startSimulator({
        catalog,
        latencyScale: setup.simulator.latencyScale,
        faults: setup.simulator.faults,
        seed: setup.seed,
        // A bench run cannot wait the real 20-minute median: the simulated batch takes seconds (scaled like every delay).
        batchTurnaround: setup.simulator.batchTurnaround,
        // No `now`: a live benchmark runs in real time, and the simulated batch must progress with it.
        // Only the models this run calls get their tokenizers built (before the first request).
        warmModels: [setup.modelId, ...(setup.fallback ? [setup.fallback.id] : [])],
      });
    }
    const { adapter, headers: keyHeaders } = await adapterFor(setup);
    // Credentials from --base-url go to that host only, as HTTP Basic authorization (resolveTarget kept them apart).
    const headers = target.basicAuth ? { authorization: `Basic ${target.basicAuth}`, ...keyHeaders } : keyHeaders;
    // The simulator serves every protocol at its root; OpenAI's paths are below /v1.
    const baseUrl = sim ? (provider === 'openai' ? `${sim.url}/v1` : sim.url) : target.baseUrl!;

    const { Http } = await import('../client/http.js');
    if (sim) await primeSimulator(Http, baseUrl, adapter, headers, setup.modelId);
    const { SpendLedger, requestCostUsd } = await import('./spend.js');
    const { runBench } = await import('./run.js');
    http = new Http(baseUrl, { connections: setup.connections, headers });
    const ledger = new SpendLedger({ ...(setup.maxSpendUsd !== undefined ? { maxSpendUsd: setup.maxSpendUsd } : {}), pricesFor: setup.pricesFor, inputTokens: setup.inputTokens, outputTokens: (text) => setup.outputTokens(text) });
    if (deps.openLog) {
      const { RequestLog } = await import('../client/log.js');
      log = new RequestLog(await deps.openLog(), scrub);
    }
    result = await runBench(
      {
        adapter,
        model: setup.modelId,
        patterns: setup.patterns,
        prompts: setup.prompts,
        maxTokens: setup.maxTokens,
        load: setup.load,
        retry: setup.resilience.retry,
        breaker: setup.resilience.breaker,
        timeouts: setup.timeouts,
        ...(setup.fallback ? { fallbackModel: setup.fallback.id } : {}),
        ...(setup.gates.slo ? { slo: setup.gates.slo } : {}),
        seed: setup.seed,
        cancelOnExit: setup.cancelOnExit,
        pollMs: setup.pollMs,
        maxPollMs: setup.maxPollMs,
        probes: setup.probes,
        graceMs: setup.graceMs,
        estimateUsage: setup.estimateUsage,
        callTimeoutMs: setup.callTimeoutMs,
      },
      {
        http,
        ledger,
        signal: deps.signal,
        now: deps.now,
        ...(log ? { log } : {}),
        logContent: setup.logContent,
        costOf: (usage, id, batch) => {
          const p = setup.pricesFor(id);
          return p ? requestCostUsd(p, usage, batch) : null;
        },
        ...(deps.onProgress ? { onProgress: (e: ProgressEvent) => deps.onProgress!(e.detail === undefined ? e : { ...e, detail: scrub(e.detail) }) } : {}),
      },
    );
  } catch (err) {
    throw scrubError(err, scrub);
  } finally {
    if (deps.signal.aborted) await http?.destroy();
    else await http?.close();
    simStats = sim?.stats();
    await sim?.close();
    await log?.close();
  }
  return { result: scrubDeep(result, scrub), simStats };
}

/** An error's message and its other string fields (hint, expected) scrubbed of secrets. */
function scrubError(err: unknown, scrub: (text: string) => string): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? scrub(err) : err;
  const fields = err as unknown as Record<string, unknown>;
  for (const k of Object.getOwnPropertyNames(err)) if (typeof fields[k] === 'string') fields[k] = scrub(fields[k]);
  return err;
}

/** The adapter of the run's wire protocol and API, and the headers every request carries (the key, versions). */
async function adapterFor(setup: BenchSetup): Promise<{ adapter: ProviderAdapter; headers: Record<string, string> }> {
  const key = setup.target.apiKey;
  switch (setup.provider) {
    case 'anthropic': {
      const m = await import('../client/providers/anthropic.js');
      return { adapter: m.anthropicAdapter, headers: m.anthropicHeaders(key) };
    }
    case 'gemini': {
      const m = await import('../client/providers/gemini.js');
      // The simulator, like Gemini, refuses a request without a key: any key will do there.
      return { adapter: m.geminiAdapter, headers: m.geminiHeaders(key ?? (setup.simulator ? 'aip-simulator' : undefined)) };
    }
    case 'openai': {
      const m = await import('../client/providers/openai.js');
      const opts = { ...(setup.serviceTier ? { serviceTier: setup.serviceTier } : {}) };
      if (setup.api === 'responses') {
        const r = await import('../client/providers/openai-responses.js');
        return { adapter: r.openaiResponsesAdapter(opts), headers: m.openaiHeaders(key) };
      }
      return { adapter: m.openaiChatAdapter({ cap: setup.capFields, ...opts }), headers: m.openaiHeaders(key) };
    }
  }
}

/**
 * The in-process simulator builds a model's tokenizer and vocabulary on its first request (up to seconds):
 * one fault-free request before measuring keeps that cost out of every figure, with or without warm-up.
 */
async function primeSimulator(HttpClass: typeof HttpClient, baseUrl: string, adapter: ProviderAdapter, headers: Record<string, string>, model: string): Promise<void> {
  const http = new HttpClass(baseUrl, { connections: 1, headers: { ...headers, 'content-type': 'application/json', [FAULT_HEADER]: '500:0' } });
  try {
    const req = { customId: 'prime', model, prompt: 'hi', maxTokens: 1 };
    const path = adapter.pathFor ? adapter.pathFor(req, false) : adapter.chatPath;
    await http.sendText({ method: 'POST', path, body: JSON.stringify(adapter.chatBody(req, false)) });
  } finally {
    await http.close();
  }
}
