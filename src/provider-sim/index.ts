// The simulator's public face: `startSimulator(options)` runs an OpenAI-, Anthropic- and Gemini-compatible
// server in-process (used by `aip serve` and by `aip bench --target sim`).
//
//   const sim = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, faults: { '429': 0.05 }, seed: 7 });
//   new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'sim' });  new Anthropic({ baseURL: sim.url, apiKey: 'sim' });
//   new GoogleGenAI({ apiKey: 'sim', httpOptions: { baseUrl: sim.url } });
//   …; sim.stats(); await sim.close();
//
// Options (all but `catalog` optional): host (default 127.0.0.1), port (0 = any free), latencyScale (× every
// delay; 0 = no delays, no timers), faults ({ kind: rate }), seed, rateLimit ({ rpm, tpm } per model),
// now (clock for timestamps and batch progress), batchTurnaround (medianSeconds, sigma, validatingSeconds,
// finalizingSeconds, cancelSeconds, windowHours), stallSeconds, maxBodyBytes, maxUploadBytes, maxConnections,
// headersTimeoutMs, maxStoredBytes,
// tiers ({ provider: tier }: the limits quoted in rate-limit headers), enforceTier, warmModels.
// A request can force faults with the header `x-aip-fault: KIND[:RATE][,KIND…]`, replacing the configured rates.
export { startSimulator, type Simulator } from './server.js';
export { type SimStats, type SimulatorOptions } from './state.js';
export { parseFaultSpec } from './faults.js';
export { parseTiers, tiersOf } from './limits.js';
