// The output shown in the README and docs pages, kept as aip prints it. A page marks each such block with
//   <!-- aip-output: ARGS [| from TEXT] [| until TEXT] -->
// right before its fenced block: the block is the stdout of `aip ARGS` (run from the repository root with a
// fixed clock, no colour, no token cache), from the first line that starts with TEXT and up to, not
// including, the first later line that starts with the until TEXT. test/command/docs-pages.test.ts fails
// when a block differs; after changing what a command prints, rewrite them all:
//   npm run build && node scripts/docs-outputs.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MARKER = /<!-- aip-output: ([^|>]+?)((?:\s*\|\s*(?:from|until) [^|>]*?)*)\s*-->\n(?:\n)?```[^\n]*\n([\s\S]*?)```/g;

/** The marked blocks of a page: the command's arguments, what to cut, where the block's text sits. */
export function outputMarkers(text) {
  const out = [];
  for (const m of text.matchAll(MARKER)) {
    const cuts = {};
    for (const part of m[2].split('|').map((s) => s.trim()).filter(Boolean)) {
      const [, kind, value] = /^(from|until) (.*)$/.exec(part);
      cuts[kind] = value;
    }
    const blockStart = m.index + m[0].length - 3 - m[3].length;
    out.push({ args: m[1].trim().split(/\s+/), ...cuts, shown: m[3], start: blockStart, end: blockStart + m[3].length });
  }
  return out;
}

/** The part of stdout a marker shows, ending with one newline. */
export function selectOutput(stdout, marker) {
  let lines = stdout.split('\n');
  if (marker.from !== undefined) {
    const i = lines.findIndex((l) => l.startsWith(marker.from));
    lines = i < 0 ? [] : lines.slice(i);
  }
  if (marker.until !== undefined) {
    const j = lines.findIndex((l, k) => k > 0 && l.startsWith(marker.until));
    if (j >= 0) lines = lines.slice(0, j);
  }
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The pages with markers: the README and every page under docs/. */
export function markedPages(root) {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', ...docs].filter((p) => outputMarkers(readFileSync(join(root, p), 'utf8')).length > 0);
}

async function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { run } = await import(pathToFileURL(join(root, 'dist', 'cli.js')).href);
  const NOW = new Date('2026-11-25T12:00:00Z'); // test/helpers/run.ts FIXED_NOW
  const aip = async (args) => {
    let text = '';
    const stdout = { isTTY: false, write: (c) => ((text += c), true) };
    const stderr = { isTTY: false, write: () => true };
    const proc = { argv: ['node', 'aip', ...args], env: { NO_COLOR: '1', AIP_NO_CACHE: '1', PATH: process.env.PATH, HOME: process.env.HOME }, stdout, stderr, stdin: Readable.from([]), cwd: () => root };
    await run(proc, () => new Date(NOW));
    return text;
  };
  for (const page of markedPages(root)) {
    const path = join(root, page);
    let text = readFileSync(path, 'utf8');
    let changed = 0;
    // From the last block to the first, so earlier offsets stay valid.
    for (const marker of outputMarkers(text).reverse()) {
      const now = selectOutput(await aip(marker.args), marker);
      if (now === marker.shown) continue;
      text = text.slice(0, marker.start) + now + text.slice(marker.end);
      changed++;
    }
    if (changed) writeFileSync(path, text);
    console.log(`${page}: ${changed ? `${changed} block(s) rewritten` : 'up to date'}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
