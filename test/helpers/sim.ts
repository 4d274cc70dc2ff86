// The simulator for client tests: one per test file on loopback (port 0), at latency scale 0 unless asked.
import { Ajv } from 'ajv';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/provider-sim/index.js';

export async function startSim(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 11, ...opts });
}

export async function withSim<T>(opts: Partial<SimulatorOptions>, fn: (s: Simulator) => Promise<T>): Promise<T> {
  const s = await startSim(opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** Forces one fault on one request (the simulator's x-aip-fault header). */
export const fault = (kind: string) => ({ 'x-aip-fault': kind });

/** true when `value` validates against the JSON Schema `schema` (strict JSON Schema, via Ajv). */
export function validates(schema: object, value: unknown): boolean {
  const ajv = new Ajv({ strict: false });
  return ajv.validate(schema, value) as boolean;
}

/** Splits an SSE body into its events: { event, data } with data parsed as JSON where it is JSON. */
export function sseEvents(text: string): Array<{ event: string | undefined; data: any }> {
  return text
    .split(/\r?\n\r?\n/)
    .filter((b) => b.trim() !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      const raw = data.join('\n');
      let parsed: unknown = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        /* [DONE] and broken events stay text */
      }
      return { event, data: parsed };
    });
}
