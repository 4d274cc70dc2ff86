// YAML (and JSON) files as sources of user errors: parse with positions, and turn schema issues into
// errors that name file:line:col, the field, what was expected and the likely fix.
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UsageError, UsageErrors } from '../errors.js';
import { indexJson, jsonPathKey, lineIndex } from './json-position.js';
import { closest } from '../suggest.js';

export interface YamlSource {
  /** The path as the user gave it (relative paths stay relative in messages). */
  file: string;
  text: string;
  data: unknown;
  /** Where values and keys sit (built on first use: a JSON text is indexed without a YAML parse). */
  positions(): Positions;
}

interface Positions {
  /** The value at `path`, or the deepest ancestor that exists. */
  locate(path: readonly PathKey[]): { line: number; col: number } | undefined;
  /** The key `key` of the mapping at `path` (falls back to locate(path)). */
  locateKey(path: readonly PathKey[], key: string): { line: number; col: number } | undefined;
}

/** Nesting deeper than this is refused (a parser's recursion would overflow the stack well before it matters). */
const MAX_DEPTH = 200;

export function parseYamlSource(file: string, text: string): YamlSource {
  // A NUL byte means binary content (an image, an archive, a compiled file): YAML would read it as one odd
  // string and the message would quote the bytes back. Say what it is instead.
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    throw new UsageError(`looks like a binary file (a NUL byte at byte ${nul})`, {
      code: 'E_BINARY',
      file,
      expected: 'a text file (YAML or JSON)',
      hint: 'check the path: is this the file you meant?',
    });
  }
  // JSON (baselines, generated workload files) is read as JSON: YAML-parsing 4 MB of JSON for positions took
  // seconds and hundreds of MB. Positions come from a light index, built only when asked for.
  if (/^\s*[[{]/.test(text)) {
    let data: unknown;
    let ok = true;
    try {
      data = JSON.parse(text);
    } catch {
      ok = false; // not valid JSON: the YAML parser below says where and why
    }
    if (ok) {
      let positions: Positions | undefined;
      const src: YamlSource = { file, text, data, positions: () => (positions ??= jsonPositions(text)) };
      checkNumbers(src);
      return src;
    }
  }
  const lines = new LineCounter();
  let doc: Document.Parsed;
  let data: unknown;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    throw tooDeep(file, err);
  }
  const errors = doc.errors.map((e) => {
    // linePos is only filled in with prettyErrors; the offset is always there.
    const pos = e.linePos?.[0] ?? (e.pos ? lines.linePos(e.pos[0]) : undefined);
    // The parser's own words, without any part of the file they may quote ("Unresolved tag: !x" → "Unresolved tag").
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/:\s.*$/, '');
    return new UsageError(message, {
      code: 'E_YAML_SYNTAX',
      file,
      ...(pos ? { line: pos.line, col: pos.col } : {}),
      expected: 'valid YAML',
      hint: e.code === 'DUPLICATE_KEY' ? 'each key may appear once in a mapping' : 'check the indentation and quoting on that line',
    });
  });
  if (errors.length > 0) throw errors[0];
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    if (/alias/i.test(message)) {
      const bomb = /excessive alias count/i.test(message);
      throw new UsageError(bomb ? 'too many alias expansions (a YAML alias bomb?)' : 'an alias (*name) refers to no anchor (&name) before it', {
        code: 'E_YAML_ALIAS',
        file,
        expected: bomb ? 'at most 100 alias expansions' : 'each *alias after its &anchor',
        hint: bomb ? 'write the values out instead of nesting aliases' : 'define the &anchor before using the *alias, or write the value out',
      });
    }
    throw tooDeep(file, err);
  }
  const src: YamlSource = { file, text, data, positions: () => yamlPositions(doc, lines) };
  checkNumbers(src);
  return src;
}

function tooDeep(file: string, err: unknown): unknown {
  if (!(err instanceof RangeError)) return err;
  return new UsageError('nested too deeply to read', { code: 'E_YAML_DEPTH', file, expected: `at most ${MAX_DEPTH} levels of nesting` });
}

/**
 * Every number must be finite: YAML's .inf and .nan, and numbers beyond ±1.8e308 such as 1e309 (read as
 * infinity), have no meaning as a volume, price or token count, and JSON would write them as null. Also
 * refuses nesting deeper than MAX_DEPTH. Walks without recursion.
 */
function checkNumbers(src: YamlSource): void {
  const errors: UsageError[] = [];
  const stack: Array<{ value: unknown; path: PathKey[] }> = [{ value: src.data, path: [] }];
  while (stack.length > 0 && errors.length < 20) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      errors.push(
        new UsageError(Number.isNaN(value) ? 'not a number (.nan)' : 'an infinite number (.inf, or a number too large for a double such as 1e309)', {
          code: 'E_NUMBER',
          file: src.file,
          ...locate(src, path),
          field: formatPath(path) || '(top level)',
          expected: 'a finite number',
          hint: 'write the number out in digits, within the documented bounds (docs/spec.md)',
        }),
      );
    } else if (value !== null && typeof value === 'object') {
      if (path.length >= MAX_DEPTH) throw new UsageError('nested too deeply to read', { code: 'E_YAML_DEPTH', file: src.file, ...locate(src, path.slice(0, 8)), expected: `at most ${MAX_DEPTH} levels of nesting` });
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as Record<string, unknown>);
      for (let k = entries.length - 1; k >= 0; k--) stack.push({ value: entries[k]![1], path: [...path, entries[k]![0]] });
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new UsageErrors(errors);
}

function jsonPositions(text: string): Positions {
  const index = indexJson(text);
  const linePos = lineIndex(text);
  const locateIn = (path: readonly PathKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const offset = index.values.get(jsonPathKey(path.slice(0, n)));
      if (offset !== undefined) return linePos(offset);
    }
    return undefined;
  };
  return {
    locate: locateIn,
    locateKey: (path, key) => {
      const offset = index.keys.get(jsonPathKey([...path, key]));
      return offset !== undefined ? linePos(offset) : locateIn(path);
    },
  };
}

function yamlPositions(doc: Document.Parsed, lines: LineCounter): Positions {
  const rangeStart = (node: unknown): { line: number; col: number } | undefined => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? lines.linePos(range[0]) : undefined;
  };
  const locateIn = (path: readonly PathKey[]) => {
    let node: unknown = doc.contents;
    let best = rangeStart(node);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key || String((p.key as { value?: unknown } | null)?.value) === String(key));
        if (!pair) break;
        // Point at the value where there is one; at the key otherwise.
        const at = rangeStart(pair.value) ?? rangeStart(pair.key);
        if (at) best = at;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key];
        if (item === undefined) break;
        const at = rangeStart(item);
        if (at) best = at;
        node = item;
      } else break;
    }
    return best;
  };
  return {
    locate: locateIn,
    locateKey: (path, key) => {
      let node: unknown = doc.contents;
      for (const k of path) {
        if (isMap(node)) node = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === String(k))?.value;
        else if (isSeq(node) && typeof k === 'number') node = node.items[k];
        else return locateIn(path);
      }
      if (isMap(node)) {
        const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === key);
        if (pair) return rangeStart(pair.key);
      }
      return locateIn(path);
    },
  };
}

export type PathKey = string | number | symbol;

/** The line and column of the node at `path`, or of its deepest ancestor that exists. */
export function locate(src: YamlSource, path: readonly PathKey[]): { line: number; col: number } | undefined {
  return src.positions().locate(path);
}

/** The line and column of the key `key` in the mapping at `path` (for "unknown key" errors). */
export function locateKey(src: YamlSource, path: readonly PathKey[], key: string): { line: number; col: number } | undefined {
  return src.positions().locateKey(path, key);
}

/** "workloads[2].input.cached" */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** The parsed value at `path` (undefined where it is missing). */
export function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as PropertyKey];
  }
  return v;
}

/** The keys an object schema allows at `path` (through arrays, optionals, defaults, records). */
export function allowedKeysAt(schema: z.ZodType, path: readonly PathKey[]): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks zod's internal definitions, which it does not type
  let s: any = schema;
  const unwrap = () => {
    for (let i = 0; i < 10 && s; i++) {
      const def = s._zod?.def;
      if (!def) return;
      if (['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'].includes(def.type)) s = def.innerType;
      else if (def.type === 'pipe') s = def.in;
      else return;
    }
  };
  unwrap();
  for (const key of path) {
    const def = s?._zod?.def;
    if (!def) return [];
    if (def.type === 'object') s = def.shape[key as string];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else return [];
    unwrap();
  }
  const def = s?._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape) : [];
}

/**
 * What a value is, for a message: a number or true/false as written, anything else by its kind. Text from
 * the file is never quoted back (a key pasted into the wrong field would land in a CI log).
 */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value (null)';
  if (typeof v === 'string') return v === '' ? 'empty text' : 'text';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'a non-finite number';
  return String(v);
}

// zod's type names as a user reads them in "expected: ...".
const typeNames: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text (a string)',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
};

/** "-5 is below 0 / expected: a number ≥ 0 / hint: use 0 or more" from a zod too_small / too_big issue. */
function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, received: unknown): { message: string; expected: string; hint?: string } {
  const small = issue.code === 'too_small';
  const bound = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const inclusive = issue.inclusive !== false;
  const op = small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
    return {
      message: inclusive
        ? `${describeValue(received)} is ${small ? 'below the minimum' : 'above the maximum'} ${bound}`
        : `${describeValue(received)} is too ${small ? 'small' : 'large'}`,
      expected: `a number ${op} ${bound}`,
      hint: inclusive ? `use ${bound} or ${small ? 'more' : 'less'}` : undefined,
    };
  }
  const unit = issue.origin === 'string' ? 'characters' : 'items';
  return {
    message: `${describeValue(received)} has too ${small ? 'few' : 'many'} ${unit}`,
    expected: `${small ? 'at least' : 'at most'} ${bound} ${unit}`,
  };
}

/** One UsageError per zod issue, located in the YAML source. */
export function issuesToErrors(src: YamlSource, schema: z.ZodType, issues: readonly z.core.$ZodIssue[], pathPrefix: readonly PathKey[] = []): UsageError[] {
  const out: UsageError[] = [];
  for (const issue of issues) {
    const path = [...pathPrefix, ...issue.path];
    const field = formatPath(path);
    const received = valueAt(src.data, path);
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const guess = closest(key, allowed, 1)[0];
        const pos = locateKey(src, path, key);
        out.push(
          new UsageError(`unknown key "${key}"`, {
            code: 'E_UNKNOWN_KEY',
            file: src.file,
            ...pos,
            field: field || '(top level)',
            expected: allowed.length ? `one of: ${allowed.join(', ')}` : undefined,
            hint: guess ? `did you mean "${guess}"?` : 'remove it, or check the spelling',
          }),
        );
      }
      continue;
    }
    const pos = locate(src, path);
    let message = issue.message;
    let expected: string | undefined;
    let hint: string | undefined;
    if (issue.code === 'invalid_type') {
      const kind = typeNames[issue.expected] ?? `a ${issue.expected}`;
      if (received === undefined) {
        message = 'missing required field';
        expected = kind;
        hint = `add "${String(path[path.length - 1])}:"`;
      } else {
        message = `${describeValue(received)} is not ${kind}`;
        expected = kind;
      }
    } else if (issue.code === 'invalid_value') {
      const values = issue.values.map(String);
      message = `${describeValue(received)} is not allowed here`;
      expected = `one of: ${values.join(', ')}`;
      const guess = typeof received === 'string' ? closest(received, values, 1)[0] : undefined;
      if (guess) hint = `did you mean "${guess}"?`;
    } else if (issue.code === 'too_small' || issue.code === 'too_big') {
      ({ message, expected, hint } = describeBound(issue, received));
    }
    out.push(new UsageError(message, { code: 'E_SCHEMA', file: src.file, ...pos, field: field || '(top level)', expected, hint }));
  }
  return out;
}
