// Normalised workloads from YAML text, through the real loader (no files needed).
import type { Catalog } from '../../src/core/catalog/schema.js';
import { normaliseWorkloadSource, type Workload, type WorkloadFile } from '../../src/core/workload/normalise.js';
import { parseYamlSource } from '../../src/core/parse/yaml-source.js';
import { fsFileSource } from '../../src/io/file-source.js';

export async function fileFromYaml(text: string, catalog: Catalog, file = 'w.yaml'): Promise<WorkloadFile> {
  return normaliseWorkloadSource(parseYamlSource(file, text), { catalog, cwd: '/', source: fsFileSource });
}

/** One workload from its fields (the YAML of one list entry, without the leading "- "). */
export async function workload(fields: Record<string, unknown>, catalog: Catalog, tiers?: Record<string, string | number>): Promise<Workload> {
  const text = JSON.stringify({ version: 1, ...(tiers ? { tiers } : {}), workloads: [{ name: 'w', ...fields }] });
  return (await fileFromYaml(text, catalog)).workloads[0]!;
}

/** claude-haiku-4-5 at Anthropic tier 1 (10,000 OTPM), 500 output tokens, flat peak (peak factor 1): a file
 * whose peak output tokens per minute are volume / 43,200 × 500 (e.g. 648,000 → 7,500, 75% of the limit). */
export const nearLimitYaml = (volume: number) => `version: 1
tiers: { anthropic: 1 }
workloads:
  - name: tickets
    model: claude-haiku-4-5
    volume: ${volume}
    latency: 30s
    input: { tokens: 1000 }
    output: { tokens: 500 }
    peak_factor: 1
`;
