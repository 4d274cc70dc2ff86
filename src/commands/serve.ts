// aip serve: runs the simulator as a standalone server until SIGINT/SIGTERM, then shuts down gracefully.
import type { Context } from '../io/context.js';
import { loadCatalog } from '../io/catalog/load.js';
import { UsageError } from '../core/errors.js';

interface ServeOptions {
  host: string;
  port: number;
  latencyScale: number;
  fault: string[];
  seed: number;
  rpm?: number;
  tpm?: number;
  tier?: string[];
  stall?: number;
}

/**
 * Exit code: 0 after a signal-initiated shutdown. Stopping is how a server's run normally ends (as with
 * other servers under a process manager), so it is not reported as an interruption (130).
 */
export async function serveCommand(ctx: Context, opts: ServeOptions): Promise<number> {
  const { parseFaultSpec, parseTiers, startSimulator, tiersOf } = await import('../provider-sim/index.js');
  const faults: Record<string, number> = {};
  for (const spec of opts.fault) {
    try {
      const { kind, rate } = parseFaultSpec(spec);
      faults[kind] = rate;
    } catch (e) {
      throw new UsageError((e as Error).message, { code: 'E_FAULT', option: '--fault', expected: 'KIND:RATE, e.g. 429:0.05 or drop:0.01', hint: 'repeat --fault for several kinds' });
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new UsageError(`port ${opts.port} is out of range`, { code: 'E_PORT', option: '--port', expected: 'a whole number from 0 to 65535 (0 picks a free port)' });
  }
  const catalog = await loadCatalog({ overlays: ctx.catalog, cwd: ctx.cwd, env: ctx.env });
  let tiers;
  try {
    tiers = parseTiers(catalog, opts.tier ?? []);
  } catch (e) {
    const known = tiersOf(catalog).map((p) => `${p.provider} ${p.tiers.join('/')}`).join('; ');
    throw new UsageError((e as Error).message, { code: 'E_TIER', option: '--tier', expected: `a tier, or PROVIDER:TIER (${known})`, hint: 'e.g. --tier 2 or --tier anthropic:build' });
  }
  if (ctx.signal.aborted) return 0;
  let sim;
  try {
    sim = await startSimulator({
      catalog,
      host: opts.host,
      port: opts.port,
      latencyScale: opts.latencyScale,
      faults,
      seed: opts.seed,
      rateLimit: opts.rpm !== undefined || opts.tpm !== undefined ? { rpm: opts.rpm, tpm: opts.tpm } : undefined,
      // The tier's limits are always quoted in headers; naming a tier also enforces them (429 beyond).
      tiers,
      enforceTier: (opts.tier ?? []).length > 0,
      stallSeconds: opts.stall,
      // The command's clock drives timestamps, batch progress and rate-limit refills.
      now: ctx.now,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new UsageError(`cannot listen on ${opts.host} (${code})`, { code: 'E_LISTEN', option: '--host', expected: 'an address of this machine, e.g. 127.0.0.1 (the default) or ::1' });
    }
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new UsageError(`cannot listen on ${opts.host}:${opts.port} (${code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'})`, {
        code: 'E_LISTEN',
        option: '--port',
        expected: 'a free port you may bind',
        hint: 'use --port 0 to pick a free port',
      });
    }
    throw e;
  }
  // The first line of stdout is the contract scripts read.
  ctx.out(`listening on ${sim.url}`);
  if (!ctx.quiet) {
    const active = Object.entries(faults).filter(([, r]) => r > 0).map(([k, r]) => `${k}:${r}`);
    const tierText = Object.keys(tiers).length > 0 ? `tier ${Object.entries(tiers).map(([p, t]) => `${p} ${t}`).join(', ')} (enforced)` : 'default tiers (headers only)';
    ctx.err(`aip serve: OpenAI base URL ${sim.url}/v1, Anthropic base URL ${sim.url}, Gemini base URL ${sim.url} (v1beta); latency scale ${opts.latencyScale}; faults ${active.length ? active.join(', ') : 'none'}; ${tierText}; seed ${opts.seed}. Ctrl-C stops.`);
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sim.close();
  if (!ctx.quiet) {
    const s = sim.stats();
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    ctx.err(`aip serve: stopped after ${plural(s.requests, 'request')} (${plural(s.sseEvents, 'SSE event')}).`);
  }
  return 0;
}
