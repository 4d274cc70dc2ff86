// docs/workload-file.md, generated from the workload file's zod schema (through its JSON Schema): every key,
// whether it is required, what it takes and what it means. The build writes it; a test fails when the
// committed page and the schema drift.
import { jsonSchemas } from './json-schemas.js';

type Node = {
  type?: string | string[];
  anyOf?: Node[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  examples?: unknown[];
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  additionalProperties?: Node | boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxLength?: number;
};

export const WORKLOAD_DOC_FILE = 'docs/workload-file.md';

/** The page's text. */
export function workloadFileReference(): string {
  const root = jsonSchemas()['workload.schema.json'] as Node;
  const sections: string[] = [];
  /** One table per mapping, in the order a file is written; nested mappings get their own section after. */
  const visit = (node: Node, path: string, title: string) => {
    const props = node.properties ?? {};
    const required = new Set(node.required ?? []);
    const rows = Object.entries(props).map(([key, child]) => `| \`${key}\` | ${required.has(key) ? 'yes' : 'no'} | ${cell(takes(child))} | ${cell(child.description ?? '')} |`);
    sections.push(`## ${title}\n\n| key | required | takes | meaning |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`);
    for (const [key, child] of Object.entries(props)) {
      const sub = `${path ? `${path}.` : ''}${key}`;
      const mapping = objectOf(child);
      if (mapping?.properties) visit(mapping, mapping === child ? sub : `${sub}[]`, `\`${mapping === child ? sub : `${sub}[]`}\``);
      else if (child.additionalProperties && typeof child.additionalProperties === 'object' && objectOf(child.additionalProperties)?.properties) {
        visit(objectOf(child.additionalProperties)!, `${sub}.NAME`, `\`${sub}.NAME\``);
      }
    }
  };
  visit(root, '', 'Top level');
  return `<!-- Generated from src/core/workload/schema.ts by src/build/workload-doc.ts ("npm run build"); do not edit. -->
# The workload file

One YAML (or JSON) file per team or service; \`aip recommend\`, \`simulate\`, \`check\` and \`baseline\` read
\`./aip.yaml\` when no file is named. \`aip init\` writes a commented starter and \`aip wizard\` writes one from
a few questions. Editors with the YAML language server complete and check it through the first line:

\`\`\`yaml
# yaml-language-server: $schema=./node_modules/aip/schema/workload.schema.json
\`\`\`

A month is 30 days. Counts take units: \`1.2k\` tokens, \`300k/month\`, \`10k/day\`, \`20/min\`, \`2/s\`.
Fractions are 0..1 or a percentage as text (\`0.65\` or \`"65%"\`). Paths are relative to the workload file.
Mistakes exit 2 naming \`file:line:col\`, the key, what was expected and, for a near miss, the exact text to
write. The rules behind each field: [spec.md, "The workload file"](spec.md#the-workload-file).

${sections.join('\n')}`;
}

/** The object schema inside a node: itself, a list's items, or one branch of a union. */
function objectOf(node: Node): Node | undefined {
  if (node.properties) return node;
  if (node.items?.properties) return node.items;
  return node.anyOf?.map(objectOf).find((n) => n !== undefined);
}

/** What a key takes, in words: its kinds, allowed values, bounds and examples. */
function takes(node: Node): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(', ');
  const kinds = kindsOf(node);
  const parts = [kinds.join(' or ')];
  const bounds: string[] = [];
  if (node.minimum !== undefined) bounds.push(`≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) bounds.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined && node.maximum < 1e15) bounds.push(`≤ ${node.maximum.toLocaleString('en-US')}`);
  if (node.maxLength !== undefined) bounds.push(`at most ${node.maxLength} characters`);
  if (bounds.length) parts.push(bounds.join(', '));
  if (node.examples?.length) parts.push(`e.g. ${node.examples.map((e) => `\`${typeof e === 'string' ? e : JSON.stringify(e)}\``).join(', ')}`);
  return parts.filter(Boolean).join('; ');
}

function kindsOf(node: Node): string[] {
  if (node.anyOf) return [...new Set(node.anyOf.flatMap(kindsOf))];
  if (node.properties || node.type === 'object') return ['a mapping'];
  if (node.type === 'array') return [`a list of ${kindsOf(node.items ?? {}).join(' or ').replace(/^a mapping$/, 'mappings').replace(/^text$/, 'texts') || 'values'}`];
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  return types.map((t) => ({ string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false' })[t] ?? t);
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
