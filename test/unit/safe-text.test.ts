// core/safe-text.ts: untrusted text shown safely in terminals, logs, GitHub Actions and the PR comment.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inline, mdCode, mdText, multiline, redactUrl, safeOutput, scrubDeep, secretScrubber } from '../../src/core/safe-text.js';

const ESC = '\u001b';

describe('terminals and logs', () => {
  it('shows control characters, ANSI and OSC escapes and bidi overrides visibly', () => {
    expect(inline(`a${ESC}[2Jb`)).toBe('a\\x1B[2Jb');
    expect(inline(`${ESC}]0;title\u0007`)).toBe('\\x1B]0;title\\x07');
    expect(inline('x\u202Eevil')).toBe('x\\u{202E}evil');
    expect(inline('one\ntwo\r')).toBe('one\\x0Atwo\\x0D');
    expect(multiline('one\ntwo\u0000')).toBe('one\ntwo\\x00');
  });

  it.each(['::warning::x', '::add-mask::secret', '::stop-commands::tok', '  ::error file=a::b', '##[set-output name=x]y'])('no line starts a workflow command: %j', (line) => {
    for (const text of [inline(line), multiline(`ok\n${line}`), safeOutput(`ok\n${line}\n`)]) {
      for (const l of text.split('\n')) expect(l.trimStart()).not.toMatch(/^(::|##\[)/);
    }
  });

  it('a newline in one-line text cannot start a workflow command on the next line', () => {
    expect(inline('name\n::add-mask::x').split('\n')).toHaveLength(1);
  });

  it('keeps our own colours where colour is on, and nothing else', () => {
    const red = `${ESC}[31mred${ESC}[39m`;
    expect(safeOutput(red, { color: true })).toBe(red);
    expect(safeOutput(red, { color: false })).toBe('\\x1B[31mred\\x1B[39m');
    expect(safeOutput(`${ESC}[2J${ESC}[8mhidden`, { color: true })).toBe('\\x1B[2J\\x1B[8mhidden');
  });

  it('--format github keeps its own workflow commands', () => {
    expect(safeOutput('::error file=a.yaml::x\n', { workflowCommands: true })).toBe('::error file=a.yaml::x\n');
  });

  it('safeOutput guards every line as multiline does, in one pass over the text (property)', () => {
    const piece = fc.constantFrom('::', '##[', '#', ':', ' ', '\t', '\u00a0', '\n', '\r', '\u2028', 'x', '::warning::', '\u0007');
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 30 }), (parts) => {
        const s = parts.join('');
        return safeOutput(s) === multiline(s);
      }),
      { numRuns: 2000, seed: 20261206 },
    );
  });

  it('safeOutput never lets a raw control character (other than newline and tab) through (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.boolean(), (s, color) => {
        const out = safeOutput(s, { color });
        const stripped = color ? out.replace(/\u001b\[[0-9;]*m/g, '') : out;
        return !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(stripped) && stripped.split('\n').every((l) => !/^\s*(::|##\[)/.test(l));
      }),
      { numRuns: 1000, seed: 20261207 },
    );
  });
});

describe('markdown (the pull-request comment)', () => {
  it('code spans keep mentions, HTML, links, images and </details> literal', () => {
    expect(mdCode('@octocat')).toBe('`@octocat`');
    expect(mdCode('</details><img src=x onerror=alert(1)>')).toBe('`</details><img src=x onerror=alert(1)>`');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(mdCode('line\nbreak')).toBe('`line\\x0Abreak`');
  });

  it('text: markdown and HTML escaped, mentions and bare links broken', () => {
    const t = mdText('@team see https://evil.example and [x](http://y) <b> a|b *em* www.x.io');
    expect(t).not.toMatch(/@team|https:\/\/|<b>|\[x\]\(|\*em\*|www\.x/);
    expect(t).toContain('a\\|b');
  });
});

describe('redactUrl', () => {
  it.each([
    ['http://user:pass@host:8080/v1', 'http://host:8080/v1'],
    ['https://h/x?key=abc&model=m', 'https://h/x?key=REDACTED&model=m'],
    ['https://h/x?api_key=abc&token=t&sig=s', 'https://h/x?api_key=REDACTED&token=REDACTED&sig=REDACTED'],
    ['cannot reach http://u:p@10.0.0.1/v1 (refused)', 'cannot reach http://10.0.0.1/v1 (refused)'],
    ['https://api.openai.com/v1', 'https://api.openai.com/v1'],
  ])('%s → %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
  });
});

describe('secretScrubber', () => {
  it('removes every occurrence of each secret, the longest first, and leaves short ones alone', () => {
    const scrub = secretScrubber(['sk-abcdef123456', 'sk-abcdef', 'ab', undefined]);
    expect(scrub('key sk-abcdef123456 and sk-abcdef; ab stays')).toBe('key [redacted] and [redacted]; ab stays');
    expect(scrubDeep({ a: ['x sk-abcdef123456'], n: 1, b: { c: 'sk-abcdef' } }, scrub)).toEqual({ a: ['x [redacted]'], n: 1, b: { c: '[redacted]' } });
  });
});
