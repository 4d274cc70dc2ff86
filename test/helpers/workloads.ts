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

/**
 * Issue 13's backend job: gpt-5-mini at OpenAI tier 4, 1M requests/month of 4,100 input and 1,500 output
 * tokens. gpt-5-mini: $0.25 input, $2.00 output; batch (and flex, "priced at Batch API rates") $0.125 /
 * $1.00; priority $0.45 / $3.60; tier 4's monthly spend cap $5,000. At a 15-minute tolerance flex is chosen.
 */
export const backendJobYaml = (latency = '15m') => `version: 1
tiers: { openai: 4 }
workloads:
  - name: backend-job
    model: gpt-5-mini
    task: extraction
    volume: 1M/month
    latency: ${latency}
    input: { tokens: 4100 }
    output: { tokens: 1500, reasoning_tokens: 0 }
`;

/**
 * A steady azure/gpt-5-mini workload (priced as OpenAI's) with a provisioned offer at `usdPerUnitHour`:
 * 4.32M requests/month = 100/min, peak ×3 = 300/min × 1,010 = 303,000 input TPM → 105 units of 3,000 TPM
 * (min 15, in steps of 5).
 */
export const steadyProvisionedYaml = (usdPerUnitHour: number) => `version: 1
workloads:
  - name: steady
    model: azure/gpt-5-mini
    volume: 4.32M/month
    latency: 30s
    input: { tokens: 1010 }
    output: { tokens: 100, reasoning_tokens: 0 }
    peak_factor: 3
    provisioned: { usd_per_unit_hour: ${usdPerUnitHour}, input_tpm_per_unit: 3000, min_units: 15, unit_increment: 5 }
`;
