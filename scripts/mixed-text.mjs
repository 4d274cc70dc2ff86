// Distinct mixed text (prose, code, JSON) from a seeded RNG: the same seed gives the same text. Used by the
// tokenizer tests (chunked counts equal whole counts) and by bench-perf (throughput on realistic input).

/** mulberry32: a small seeded PRNG, so generated text is reproducible. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a model request token batch stream latency cost budget customer support ticket answer summary report ' +
  'nightly digest queue retry timeout window limit tier provider price cache prompt context output input ' +
  'engineer team feature product release review deploy monitor alert error success failure rate minute hour ' +
  'day month user session document invoice order refund shipping account password email address status ' +
  'über café naïve résumé 東京 数据 模型 Ünïcödé emoji 🙂 — “quoted” it’s'
).split(' ');
const IDENTS = ['request', 'tokens', 'batchId', 'user_id', 'retryAfter', 'priceTable', 'result', 'items', 'config', 'handler'];

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function sentence(rand) {
  const n = 6 + Math.floor(rand() * 14);
  const words = Array.from({ length: n }, () => pick(rand, WORDS));
  words[0] = words[0].charAt(0).toUpperCase() + words[0].slice(1);
  return `${words.join(' ')}${pick(rand, ['.', '.', '.', '?', '!', ':'])}`;
}

function prose(rand) {
  return Array.from({ length: 2 + Math.floor(rand() * 5) }, () => sentence(rand)).join(' ');
}

function code(rand) {
  const fn = `${pick(rand, IDENTS)}${Math.floor(rand() * 1000)}`;
  const a = pick(rand, IDENTS);
  const b = pick(rand, IDENTS);
  return [
    `export async function ${fn}(${a}: number, ${b}: string[]): Promise<number> {`,
    `  // ${sentence(rand)}`,
    `  const total = ${b}.reduce((sum, x) => sum + x.length * ${(rand() * 10).toFixed(3)}, ${Math.floor(rand() * 100)});`,
    `  if (total > ${a} && ${b}.length !== ${Math.floor(rand() * 50)}) return Math.ceil(total / 1e6);`,
    `  for (let i = 0; i < ${b}.length; i++) {\n    console.log(\`\${i}: \${${b}[i]}\`);\n  }`,
    `  return ${a} ?? -1;`,
    '}',
  ].join('\n');
}

function json(rand) {
  const obj = {
    id: `req_${Math.floor(rand() * 1e9).toString(36)}`,
    model: pick(rand, ['gpt-4o-mini', 'claude-haiku-4-5', 'gemini-2.5-flash']),
    usage: { input_tokens: Math.floor(rand() * 5000), output_tokens: Math.floor(rand() * 900), cached: rand() < 0.5 },
    tags: Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(rand, WORDS)),
    price_usd: Number((rand() * 0.01).toFixed(6)),
    note: sentence(rand),
  };
  return JSON.stringify(obj, null, rand() < 0.5 ? 2 : 0);
}

/** About `bytes` bytes of distinct mixed text. */
export function mixedText(bytes, seed = 1) {
  const rand = seededRandom(seed);
  const parts = [];
  let size = 0;
  while (size < bytes) {
    const r = rand();
    const part = r < 0.5 ? prose(rand) : r < 0.8 ? code(rand) : json(rand);
    const sep = pick(rand, ['\n\n', '\n', '\n\n\n', ' \n', '\n  ', '\n// ', '\n\t']);
    parts.push(part, sep);
    size += Buffer.byteLength(part) + sep.length;
  }
  return parts.join('');
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function randomChars(rand, length, alphabet) {
  const out = [];
  for (let i = 0; i < length; i++) out.push(alphabet[Math.floor(rand() * alphabet.length)]);
  return out.join('');
}

/**
 * About `bytes` bytes of text that is hard on a tokenizer (ASCII, so characters = bytes): "one-char" (one
 * character repeated, `char`), "letters" (random lower-case letters without a break), "base64", "hex",
 * "minified-js" (one line of JavaScript as a minifier writes it).
 */
export function pathologicalText(kind, bytes, seed = 1, char = 'q') {
  const rand = seededRandom(seed);
  switch (kind) {
    case 'one-char':
      return char.repeat(bytes);
    case 'letters':
      return randomChars(rand, bytes, LOWER);
    case 'base64':
      return Buffer.from(randomChars(rand, Math.ceil((bytes * 3) / 4), `${LOWER}${LOWER.toUpperCase()}0123456789 .,`)).toString('base64').slice(0, bytes);
    case 'hex':
      return Buffer.from(randomChars(rand, Math.ceil(bytes / 2), LOWER)).toString('hex').slice(0, bytes);
    case 'minified-js': {
      const id = () => randomChars(rand, 1 + Math.floor(rand() * 3), LOWER);
      const parts = [];
      let n = 0;
      while (n < bytes) {
        const r = rand();
        const s =
          r < 1 / 3
            ? `function ${id()}(${id()},${id()}){return ${id()}+${id()}*${Math.floor(rand() * 100)}}`
            : r < 2 / 3
              ? `var ${id()}=[${id()},"${id()}",${id()}.${id()}(${id()})];`
              : `if(${id()}&&!${id()}){${id()}=${id()}||{};}`;
        parts.push(s);
        n += s.length;
      }
      return parts.join('').slice(0, bytes);
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}
