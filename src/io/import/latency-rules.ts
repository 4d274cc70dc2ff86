// --latency-rules FILE: tolerances for imported workloads by pattern, in order, the first match winning:
//   "*-batch": 24h        # a glob over the workload's name, group or model
//   "support-*": 3s
//   "*": 30s              # everything else
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';
import type { LatencyRule } from '../../core/import/derive.js';
import { describeReadError } from '../../core/parse/read-error.js';
import { locate, parseYamlSource } from '../../core/parse/yaml-source.js';
import { parseDuration, type LatencyKeyword } from '../../core/workload/units.js';

export async function readLatencyRules(path: string, shown: string, keywords: Record<LatencyKeyword, number>): Promise<LatencyRule[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(describeReadError(err, 'a latency rule file'), { code: 'E_FILE', file: shown, option: '--latency-rules', expected: 'a YAML mapping of workload globs to tolerances' });
  }
  const src = parseYamlSource(shown, text);
  const data = src.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError('not a mapping of workload globs to tolerances', { code: 'E_LATENCY_RULES', file: shown, line: 1, option: '--latency-rules', expected: 'lines such as "support-*: 3s" and "*-batch: 24h"' });
  }
  return Object.entries(data as Record<string, unknown>).map(([match, value]) => {
    const d = parseDuration(String(value), keywords);
    if (!d.ok) throw new UsageError(d.message, { code: 'E_LATENCY_RULES', file: shown, ...locate(src, [match]), field: match, expected: d.expected, hint: d.hint });
    return { match: match === '*' ? null : match, text: String(value), seconds: d.seconds, from: shown };
  });
}
