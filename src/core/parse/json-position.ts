// Where a JSON text first goes wrong, as line:col (JSON.parse gives a position only for some errors).

export interface JsonSyntaxProblem {
  line: number;
  col: number;
  message: string;
}

/** Scans `text` as strict JSON; undefined when it is valid. Only called after JSON.parse has failed. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw Object.assign(new Error(message), { offset: i });
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe(text[i])}`);
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in a string');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail('bad escape in a string');
      } else if (ch < ' ') fail('control character (e.g. a raw line break) inside a string');
      else i++;
    }
    fail('unterminated string');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m || m[0] === '-' || m[0] === '') fail(`unexpected ${describe(text[i])}`);
    i += m![0].length;
  };
  /** The items of an object or array after its opening bracket, up to and including `close`. */
  const sequence = (close: '}' | ']', item: () => void) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === close) fail(`trailing comma before ${close}`);
      item();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else fail(`expected ',' or '${close}', found ${describe(text[i])}`);
    }
  };
  const member = () => {
    if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe(text[i])}`);
    string();
    ws();
    if (text[i] !== ':') fail(`expected ':' after the property name, found ${describe(text[i])}`);
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') sequence('}', member);
    else if (ch === '[') sequence(']', value);
    else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else fail(`unexpected ${describe(ch)}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describe(text[i])} after the end of the JSON value`);
    return undefined;
  } catch (err) {
    const offset = (err as { offset: number }).offset;
    return { ...lineCol(text, offset), message: (err as Error).message };
  }
}

function describe(ch: string | undefined): string {
  return ch === undefined ? 'end of file' : JSON.stringify(ch);
}

export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, col: offset - start + 1 };
}

/** Where each value (and each object key) of a valid JSON text starts, by path; see indexJson. */
export interface JsonIndex {
  values: Map<string, number>;
  keys: Map<string, number>;
}

/** The index key of a path: each step (an object key or an array index) after a separator; '' is the root. */
export function jsonPathKey(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += `\u0001${String(k)}`;
  return out;
}

/**
 * Offsets of every value and object key in `text`, which JSON.parse has accepted: one pass, no recursion
 * (deep nesting cannot overflow the stack), a fraction of the cost of parsing the text as YAML for positions.
 */
export function indexJson(text: string): JsonIndex {
  const values = new Map<string, number>();
  const keys = new Map<string, number>();
  const stack: Array<{ arr: boolean; path: string; count: number }> = [];
  const n = text.length;
  let i = 0;
  const ws = () => {
    for (let c = text.charCodeAt(i); i < n && (c === 32 || c === 9 || c === 10 || c === 13); c = text.charCodeAt(++i));
  };
  const skipString = () => {
    for (i++; i < n; ) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      i += c === 92 ? 2 : 1;
    }
  };
  let path: string | undefined = '';
  for (;;) {
    ws();
    if (path !== undefined) {
      values.set(path, i);
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        stack.push({ arr: c === 91, path, count: 0 });
        i++;
      } else if (c === 34) skipString();
      else while (i < n && !',]} \t\r\n'.includes(text[i]!)) i++;
      path = undefined;
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top || i >= n) break;
    const c = text.charCodeAt(i);
    if (c === 93 || c === 125) {
      i++;
      stack.pop();
      continue;
    }
    if (c === 44) {
      i++;
      ws();
    }
    if (top.arr) path = `${top.path}\u0001${top.count++}`;
    else {
      const keyStart = i;
      skipString();
      const key = JSON.parse(text.slice(keyStart, i)) as string;
      ws();
      i++; // ':'
      path = `${top.path}\u0001${key}`;
      keys.set(path, keyStart);
    }
  }
  return { values, keys };
}

/** Line and column (1-based) of offsets in `text`, from a table of line starts built once. */
export function lineIndex(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0];
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  };
}
