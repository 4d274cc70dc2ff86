// JSON Schemas for editors, generated from the zod schemas that validate the files (one source of truth).
import { z } from 'zod';
import { FailureRates, ModelsFile, ProvidersFile, RateLimitsFile, Thresholds } from '../core/catalog/schema.js';
import { CuratedFile } from '../core/catalog/curated.js';
import { WorkloadFileSchema } from '../core/workload/schema.js';

const BASE = 'https://aip.dev/schema';

function toSchema(schema: z.ZodType, id: string, title: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  return { $id: `${BASE}/${id}`, title, ...json };
}

export function jsonSchemas(): Record<string, Record<string, unknown>> {
  return {
    'workload.schema.json': toSchema(WorkloadFileSchema, 'workload.schema.json', 'aip workload file'),
    'catalog-models.schema.json': toSchema(ModelsFile, 'catalog-models.schema.json', 'aip catalog: models'),
    'catalog-curated.schema.json': toSchema(CuratedFile, 'catalog-curated.schema.json', 'aip catalog: curated model layer (data/models.yaml)'),
    'catalog-providers.schema.json': toSchema(ProvidersFile, 'catalog-providers.schema.json', 'aip catalog: provider terms (data/providers.yaml)'),
    'catalog-rate-limits.schema.json': toSchema(RateLimitsFile, 'catalog-rate-limits.schema.json', 'aip catalog: rate limits'),
    'catalog-failure-rates.schema.json': toSchema(FailureRates, 'catalog-failure-rates.schema.json', 'aip catalog: failure rates'),
    'catalog-thresholds.schema.json': toSchema(Thresholds, 'catalog-thresholds.schema.json', 'aip catalog: decision thresholds'),
  };
}
