// Baseline for bench-perf: js-tiktoken's cold load of o200k_base (building its encoder) and one short count.
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';

process.stdout.write(`${new Tiktoken(o200k).encode('hello world', [], []).length}\n`);
