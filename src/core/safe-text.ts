// Untrusted text (workload names, file names, keys, catalog entries of a pull request, server replies) made
// harmless where it is printed (docs/security.md "Output"):
// - terminals and logs: control characters, ANSI/OSC escapes and bidirectional overrides are shown visibly
//   ("\x1B", "\u{202E}"), never passed through (they could clear the screen, set the title, hide or
//   reorder text); in one-line text newlines too, so a name cannot start a line of its own;
// - GitHub Actions logs: no line may start with a workflow command ("::warning::", "::add-mask::",
//   "::stop-commands::", or the old "##[" form): its first character is shown escaped instead;
// - the pull-request comment (markdown): untrusted text goes in code spans, where mentions, HTML, links,
//   images and </details> are plain text;
// - URLs: user:password@ and secret-looking query parameters are removed before any URL is printed.
// Pure string functions: core builds messages with them, render and the entry point apply them on output.

/** C0 and C1 controls, DEL, line/paragraph separators, bidirectional marks, overrides and isolates, BOM. */
const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** The same but keeping newline and tab (multi-line text). */
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u{${code.toString(16).toUpperCase()}}`;
}

/** A line that GitHub's runner would read as a workflow command (it trims leading white space first). */
const WORKFLOW_COMMAND = /^(\s*)(::|##\[)/;

function guardLine(line: string): string {
  return line.replace(WORKFLOW_COMMAND, (_m, space: string, cmd: string) => `${space}${visible(cmd[0]!)}${cmd.slice(1)}`);
}

/** A workflow command at the start of any line of a text (white space before it, newlines excluded). */
const WORKFLOW_COMMAND_LINE = /(^|\n)([^\S\n]*)(::|##\[)/g;

/**
 * guardLine on every line of a text, in one pass: the same result as splitting on newlines, guarding each
 * line and joining, without a string per line (recommend's JSON on 1,000 workloads is 11 MB, 400,000 lines).
 */
function guardLines(text: string): string {
  if (!text.includes('::') && !text.includes('##[')) return text;
  return text.replace(WORKFLOW_COMMAND_LINE, (_m, nl: string, space: string, cmd: string) => `${nl}${space}${visible(cmd[0]!)}${cmd.slice(1)}`);
}

/** One line of untrusted text for a terminal or log: every control character (newlines too) shown visibly. */
export function inline(text: string): string {
  return guardLine(text.replace(UNSAFE_INLINE, visible));
}

/** Untrusted text of several lines: control characters shown visibly, each line guarded against workflow commands. */
export function multiline(text: string): string {
  return text.replace(UNSAFE_MULTILINE, visible).split('\n').map(guardLine).join('\n');
}

/** Our own colours: SGR sequences with the codes the palette uses (bold, dim, colours, resets); nothing else. */
const OWN_SGR = /^\u001b\[(?:(?:0|1|2|3|4|22|23|24|39|49|3[0-7]|9[0-7])(?:;(?:0|1|2|22|39|3[0-7]|9[0-7]))*)?m/;

/**
 * The last line of defence on everything aip writes to stdout and stderr (io/context.ts): control
 * characters shown visibly except newline and tab (and, where colour is on, our own SGR colour codes),
 * and no line that starts a workflow command unless the caller writes workflow commands on purpose
 * (`aip check --format github`, whose data is escaped per GitHub's rules).
 */
export function safeOutput(text: string, opts: { color?: boolean; workflowCommands?: boolean } = {}): string {
  let out = '';
  let last = 0;
  UNSAFE_MULTILINE.lastIndex = 0;
  for (let m = UNSAFE_MULTILINE.exec(text); m !== null; m = UNSAFE_MULTILINE.exec(text)) {
    if (opts.color && m[0] === '\u001b') {
      const sgr = OWN_SGR.exec(text.slice(m.index, m.index + 40));
      if (sgr) {
        UNSAFE_MULTILINE.lastIndex = m.index + sgr[0].length;
        continue;
      }
    }
    out += text.slice(last, m.index) + visible(m[0]);
    last = m.index + 1;
  }
  out += text.slice(last);
  return opts.workflowCommands ? out : guardLines(out);
}

/** Untrusted text as a markdown code span: literal whatever it holds (no mention, HTML, link or image). */
export function mdCode(text: string, opts: { inTable?: boolean } = {}): string {
  let t = inline(text);
  // In a table cell a pipe ends the cell even inside a code span, unless escaped (GitHub drops the backslash).
  if (opts.inTable) t = t.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || t === '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * A sentence of ours that may hold untrusted words (a note naming files), as markdown text: markdown and
 * HTML characters escaped, and mentions and bare links broken with an empty HTML comment (GitHub links
 * "@team" and "https://…" in text, not in comments).
 */
export function mdText(text: string): string {
  return inline(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/@/g, '@<!-- -->')
    .replace(/:\/\//g, ':<!-- -->//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}<!-- -->.`);
}

const SECRET_PARAM = /^(?:key|api[-_]?key|apikey|token|access[-_]?token|secret|password|pass|pwd|auth|authorization|sig|signature|x-api-key|code)$/i;

/**
 * A URL fit to print: user:password@ removed, secret-looking query parameters (key, token, sig, …) replaced
 * by "REDACTED". Text that is not a URL is returned with any "scheme://user:pass@" inside it redacted.
 */
export function redactUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1');
  url.username = '';
  url.password = '';
  for (const key of [...url.searchParams.keys()]) if (SECRET_PARAM.test(key)) url.searchParams.set(key, 'REDACTED');
  return url.toString();
}

/** Secrets shorter than this are not scrubbed: replacing every "ab" in a report would garble it, not protect it. */
const MIN_SECRET_LENGTH = 6;

/**
 * A function that replaces every occurrence of the given secrets (an API key, a password) in a text with
 * "[redacted]": for anything a server sent back (an error body that echoes the key) before it is printed,
 * logged or written.
 */
export function secretScrubber(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const list = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const s of list) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return out;
  };
}

/** Every string in a JSON-like value passed through `scrub` (objects and arrays copied, other values kept). */
export function scrubDeep<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)])) as T;
  }
  return value;
}
