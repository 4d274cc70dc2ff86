// The README as a landing page and the docs pages it leads to: short, every relative link resolves, every
// code block closed, the commands CI runs are the README's, and the output shown is what aip prints
// (scripts/docs-outputs.mjs rewrites it).
import { copyFileSync, existsSync, readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runAip } from '../helpers/run.js';
import { markedPages, outputMarkers, selectOutput } from '../../scripts/docs-outputs.mjs';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readme = read('README.md');
const docs = ['README.md', ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text of a page outside its code blocks (links in examples are not links). */
const prose = (text: string) => text.replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, '');

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    const slug = m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** The fenced block after `marker`. */
function blockAfter(text: string, marker: string): string {
  const at = text.indexOf(marker);
  expect(at, `"${marker}" is on the page`).toBeGreaterThanOrEqual(0);
  const m = /```[^\n]*\n([\s\S]*?)```/.exec(text.slice(at));
  expect(m).not.toBeNull();
  return m![1]!;
}

describe('README.md is a landing page', () => {
  it('is at most 150 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
  });

  it('gives the install and test commands CI runs (.ci/run: npm ci, then npm test)', () => {
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toMatch(/^npm ci && npx aip recommend examples\/workloads\.yaml$/m);
    expect(readme).toMatch(/^npm test$/m);
    expect(readme).toMatch(/^npm i -D aip\b/m);
  });

  it('links a page for every command, and the method, catalog, CI, security, architecture and contributing pages', () => {
    for (const cmd of ['recommend', 'wizard', 'import', 'check', 'simulate', 'bench', 'serve', 'tokens', 'models', 'catalog', 'baseline', 'init', 'report', 'explain']) {
      expect(readme).toContain(`](docs/commands/${cmd}.md)`);
    }
    for (const page of ['workload-file', 'method', 'catalog', 'ci', 'security', 'architecture', 'contributing']) expect(readme).toContain(`](docs/${page}.md)`);
  });

  it('says what to put in place of the Action\'s placeholder', () => {
    const usage = blockAfter(readme, 'updated on every push:');
    expect(usage).toMatch(/^\s+# OWNER: the GitHub owner of the aip repository you use/m);
    expect(usage).toMatch(/^\s+- uses: OWNER\/aip@v0\.1\.0$/m);
  });

  it('goes from traces to a saving in three commands that work (on the OTLP fixture as traces.jsonl)', async () => {
    const commands = blockAfter(readme, '## From your real traffic')
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(commands).toHaveLength(3);
    const dir = mkdtempSync(join(tmpdir(), 'aip-readme-import-'));
    copyFileSync(join(ROOT, 'test/fixtures/import/otlp-openinference.json'), join(dir, 'traces.jsonl'));
    const outputs: string[] = [];
    for (const command of commands) {
      expect(command).toMatch(/^npx aip /);
      const r = await runAip(command.replace(/^npx aip /, '').split(/\s+/), { cwd: dir });
      expect(r.code, `${command}\n${r.stderr}`).toBe(0);
      outputs.push(r.stdout);
    }
    const yaml = readFileSync(join(dir, 'aip.yaml'), 'utf8');
    expect(yaml).toMatch(/name: rag-api-gpt-4o-streaming/);
    // $261.03/month as sent is over tier 1's $100 cap: tier 2 ($500) is the lowest the spend allows, said so.
    expect(yaml).toMatch(/^tiers:\n {2}openai: 2 +# inferred from the spend/m);
    // The cache hits the traces recorded are priced as measured (1,000 cached of 2,000: under the 1,024 minimum
    // as an estimated prefix, but the provider billed them as cache reads).
    expect(yaml).toMatch(/cached: 0\.5 .*\n\s+cached_measured: true/);
    expect(outputs[1]).toMatch(/^Portfolio/m);
    // recommend: batch at tier 2, against every workload direct at the same price the traffic paid as sent.
    expect(outputs[1]!.replace(/\s+/g, ' ')).toMatch(/Recommended \$154\.9\/month against \$261\.0 with every workload direct: saves \$106\.1\/month \(41%\)/);
    expect(outputs[1]).not.toMatch(/cached prefix|spend cap/);
    // Hand-checked: now = 38,590.57 × (1,000 × $2.50 + 1,000 × $1.25 + 300 × $10) / 1e6 = $260.49 (gpt-4o, streamed)
    //   + 12,863.52 × (120 × $0.15 + 40 × $0.60) / 1e6 = $0.54 (gpt-4o-mini) = $261.03;
    // could = 38,591 × (2,000 × $1.25 + 300 × $5) / 1e6 = $154.36 (batch: OpenAI's cache discount does not stack)
    //   + $0.54 = $154.90; saving $106.12 (41%).
    const flat = outputs[2]!.replace(/\s+/g, ' ');
    expect(flat).toMatch(/You pay \$261\.03\/month for this traffic as it is sent; with the recommended patterns \$154\.90: saves \$106\.12\/month \(41%\)/);
    expect(flat).toMatch(/Recommended at openai tier 2 \(inferred from the spend/);
    // The README's own comment quotes the figures the command prints.
    const quoted = blockAfter(readme, '## From your real traffic').match(/\$([\d.,]+)\/month as sent, \$([\d.,]+) advised/);
    expect(quoted?.slice(1)).toEqual(['261.03', '154.90']);
  });

  it('shows a ten-line workload that aip reads as it is', async () => {
    const yaml = blockAfter(readme, 'A workload is ten lines');
    expect(yaml.trimEnd().split('\n')).toHaveLength(10);
    const dir = mkdtempSync(join(tmpdir(), 'aip-readme-'));
    writeFileSync(join(dir, 'aip.yaml'), yaml);
    const r = await runAip(['recommend', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).workloads[0].pattern).toBe('streaming');
  });
});

describe.each(docs)('%s', (page) => {
  const text = read(page);

  it('links only to files that exist', () => {
    const targets = [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const missing = targets.filter((t) => !existsSync(join(ROOT, dirname(page), t.split('#')[0]!)));
    expect(missing).toEqual([]);
  });

  it('links only to headings that exist (#anchor as GitHub makes it from the heading)', () => {
    const links = [...prose(text).matchAll(/\]\(([^)\s]*#[^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:)/.test(t));
    const broken = links.filter((t) => {
      const [file, anchor] = t.split('#') as [string, string];
      const target = file === '' ? page : join(dirname(page), file);
      if (!target.endsWith('.md')) return false;
      return !anchorsOf(read(target)).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('closes every fenced code block before the next one opens', () => {
    const fences = [...text.matchAll(/^```(\S*)\s*$/gm)].map((m) => ({ lang: m[1], line: text.slice(0, m.index).split('\n').length }));
    const unbalanced: string[] = [];
    for (let i = 0; i < fences.length; i += 2) {
      const open = fences[i]!;
      const close = fences[i + 1];
      if (close === undefined || close.lang !== '') unbalanced.push(`line ${open.line}: \`\`\`${open.lang} is not closed before line ${close?.line ?? 'EOF'}`);
    }
    expect(unbalanced).toEqual([]);
  });
});

describe('the command pages lead to the longer pages and name the current options', () => {
  it.each(['bench', 'serve', 'import'])('docs/commands/%s.md links docs/%s.md', (cmd) => {
    expect(prose(read(`docs/commands/${cmd}.md`))).toContain(`](../${cmd}.md`);
  });

  it('docs/commands/bench.md names --target gemini, --api responses|chat and --service-tier', () => {
    const page = read('docs/commands/bench.md');
    for (const option of ['--target gemini', '--api responses', '--api chat', '--service-tier']) expect(page).toContain(option);
  });
});

describe('output shown on the pages is what aip prints (after a change: npm run build && node scripts/docs-outputs.mjs)', () => {
  it('marks the summary, the recommend walk-through and portfolio, and the simulate tables', () => {
    const count = (page: string) => outputMarkers(read(page)).length;
    expect(count('README.md')).toBe(1);
    expect(count('docs/commands/recommend.md')).toBe(2);
    expect(count('docs/commands/simulate.md')).toBe(3); // support-chat, growth, the chosen option (comment-moderation)
  });

  const marked = markedPages(ROOT).flatMap((page) => outputMarkers(read(page)).map((m) => [`${page}: aip ${m.args.join(' ')}`, m] as const));
  it.each(marked)('%s', async (_name, marker) => {
    const r = await runAip(marker.args, { env: { AIP_NO_CACHE: '1' } });
    expect(r.code, r.stderr).toBe(0);
    // A "from" or "until" that no longer matches the output would show an empty block.
    expect(selectOutput(r.stdout, marker)).not.toBe('');
    expect(selectOutput(r.stdout, marker)).toBe(marker.shown);
  });
});
