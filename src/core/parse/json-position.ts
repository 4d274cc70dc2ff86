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
