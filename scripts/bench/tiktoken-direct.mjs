// Baseline for bench-perf: js-tiktoken called directly (lite entry + the o200k ranks), as a bare script would.
import { readFileSync } from 'node:fs';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';

const text = readFileSync(process.argv[2], 'utf8');
const encoder = new Tiktoken(o200k);
process.stdout.write(`${encoder.encode(text, [], []).length}\n`);
