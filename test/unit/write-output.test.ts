// writeOutput and openOutputStream: the one way aip writes a user's file. Each rule on its own: a link at
// the target or at the temporary name is never written through, a file aip did not write is kept unless
// forced, a file of the same run is never written over, and a missing directory is named.
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { checkOutput, openOutputStream, tempNames, writeOutput, type OutputTarget } from '../../src/io/write-output.js';

const realNext = tempNames.next;
afterEach(() => {
  tempNames.next = realNext;
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'aip-write-'));
  const target = (name: string, over: Partial<OutputTarget> = {}): OutputTarget => ({
    shown: name,
    path: join(dir, name),
    option: '-o',
    exampleName: 'out.json',
    what: 'the result',
    force: false,
    ownFile: (text) => text.startsWith('{"aip":'),
    refuse: { message: 'refusing to overwrite a file aip did not write', expected: 'a new file', hint: 'add --force' },
    ...over,
  });
  return { dir, target };
}

/** The UsageError a promise rejects with. */
async function refusal(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('writeOutput', () => {
  it('writes a new file whole, leaving no temporary file', async () => {
    const { dir, target } = setup();
    await writeOutput(target('out.json'), '{"aip":1}\n');
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('{"aip":1}\n');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('refuses a symbolic link at the target, even with --force, and leaves what it points to alone', async () => {
    const { dir, target } = setup();
    writeFileSync(join(dir, 'precious.txt'), 'mine\n');
    symlinkSync(join(dir, 'precious.txt'), join(dir, 'out.json'));
    for (const force of [false, true]) {
      const err = await refusal(writeOutput(target('out.json', { force }), '{"aip":1}\n'));
      expect(err.code).toBe('E_OUTPUT_LINK');
      expect(err.message).toBe('is a symbolic link; aip does not write through links');
      expect(err.where).toEqual({ file: 'out.json', option: '-o' });
      expect(err.hint).toMatch(/rm out\.json/);
    }
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('mine\n');
    expect(lstatSync(join(dir, 'out.json')).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['out.json', 'precious.txt']);
  });

  it('refuses a dangling symbolic link: nothing is created where it points', async () => {
    const { dir, target } = setup();
    symlinkSync(join(dir, 'elsewhere.txt'), join(dir, 'out.json'));
    const err = await refusal(writeOutput(target('out.json', { force: true }), 'x'));
    expect(err.message).toBe('is a symbolic link to a file that does not exist; aip does not write through links');
    expect(existsSync(join(dir, 'elsewhere.txt'))).toBe(false);
  });

  it('never writes through a link at a temporary name: the names are unpredictable and created exclusively', async () => {
    const { dir, target } = setup();
    writeFileSync(join(dir, 'precious.txt'), 'mine\n');
    // The predictable name an older aip used, and the name the next write will try first.
    symlinkSync(join(dir, 'precious.txt'), join(dir, 'out.json.aip-tmp'));
    symlinkSync(join(dir, 'precious.txt'), join(dir, '.out.json.aaaa.tmp'));
    const names = ['aaaa', 'bbbb'];
    tempNames.next = () => names.shift()!;
    await writeOutput(target('out.json'), '{"aip":1}\n');
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('{"aip":1}\n');
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('mine\n');
    expect(readdirSync(dir).sort()).toEqual(['.out.json.aaaa.tmp', 'out.json', 'out.json.aip-tmp', 'precious.txt']);
  });

  it('keeps an existing file aip did not write unless forced', async () => {
    const { dir, target } = setup();
    writeFileSync(join(dir, 'out.json'), 'my notes\n');
    const err = await refusal(writeOutput(target('out.json'), '{"aip":2}\n'));
    expect(err).toMatchObject({ code: 'E_OUTPUT_EXISTS', message: 'refusing to overwrite a file aip did not write', hint: 'add --force' });
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('my notes\n');
    await writeOutput(target('out.json', { force: true }), '{"aip":2}\n');
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('{"aip":2}\n');
  });

  it('replaces an existing file the command wrote, keeping its permissions', async () => {
    const { dir, target } = setup();
    writeFileSync(join(dir, 'out.json'), '{"aip":1}\n', { mode: 0o600 });
    await writeOutput(target('out.json'), '{"aip":2}\n');
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('{"aip":2}\n');
    expect(lstatSync(join(dir, 'out.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('a file that appears between the check and the write is left alone', async () => {
    const { dir, target } = setup();
    // Stands in for another process: the file appears while the temporary file is being named.
    tempNames.next = () => {
      writeFileSync(join(dir, 'out.json'), 'theirs\n');
      return 'cccc';
    };
    const err = await refusal(writeOutput(target('out.json'), '{"aip":1}\n'));
    expect(err.code).toBe('E_OUTPUT_EXISTS');
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('theirs\n');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('never writes over a file the same run uses, even with --force', async () => {
    const { dir, target } = setup();
    writeFileSync(join(dir, 'w.yaml'), '{"aip":0}\n');
    const others = [{ path: join(dir, 'w.yaml'), option: '--workload' }];
    const err = await refusal(writeOutput(target('w.yaml', { force: true, others }), 'x'));
    expect(err).toMatchObject({ code: 'E_OUTPUT_INPUT', message: 'is also --workload of this run; aip never writes over a file the same run uses' });
    // Through another name for the same file (a hard link) too.
    linkSync(join(dir, 'w.yaml'), join(dir, 'same.yaml'));
    expect((await refusal(writeOutput(target('same.yaml', { force: true, others }), 'x'))).code).toBe('E_OUTPUT_INPUT');
    expect(readFileSync(join(dir, 'w.yaml'), 'utf8')).toBe('{"aip":0}\n');
    // Nor where another output of the run goes, before either exists.
    const both = await refusal(checkOutput(target('log.jsonl', { others: [{ path: join(dir, 'log.jsonl'), option: '--log' }] })));
    expect(both.message).toMatch(/^is also --log of this run/);
  });

  it('names a missing directory: before the work (checkOutput), and at the write', async () => {
    const { target } = setup();
    const before = await refusal(checkOutput(target('no/such/out.json')));
    expect(before).toMatchObject({ code: 'E_OUTPUT', message: 'the directory no/such does not exist', hint: 'create it first (mkdir -p no/such), or choose another path' });
    expect(before.where).toEqual({ file: 'no/such/out.json', option: '-o' });
    const at = await refusal(writeOutput(target('no/such/out.json'), 'x'));
    expect(at).toMatchObject({ code: 'E_OUTPUT', message: 'cannot write the result (ENOENT)' });
    expect(at.hint).toMatch(/mkdir -p no\/such/);
  });

  it('refuses a directory and a device', async () => {
    const { dir, target } = setup();
    mkdirSync(join(dir, 'sub'));
    expect(await refusal(checkOutput(target('sub', { force: true })))).toMatchObject({ message: 'is a directory', hint: 'name a file inside it, e.g. sub/out.json' });
    if (existsSync('/dev/null')) {
      const err = await refusal(writeOutput({ ...target('x', { force: true }), path: '/dev/null', shown: '/dev/null' }, 'x'));
      expect(err.message).toMatch(/is not a regular file/);
    }
  });
});

describe('openOutputStream (a log written as the run goes)', () => {
  const writeAll = async (t: OutputTarget, text: string) => {
    const s = await openOutputStream(t);
    await new Promise<void>((res, rej) => s.end(text, () => res()).on('error', rej));
  };

  it('creates a new file, and replaces an earlier log of its own kind with a new file', async () => {
    const { dir, target } = setup();
    await writeAll(target('log.jsonl'), '{"aip":1}\n');
    // A second name for the old file: a new file leaves it as it was, where truncating would not.
    linkSync(join(dir, 'log.jsonl'), join(dir, 'old.jsonl'));
    await writeAll(target('log.jsonl'), '{"aip":2}\n');
    expect(readFileSync(join(dir, 'log.jsonl'), 'utf8')).toBe('{"aip":2}\n');
    expect(readFileSync(join(dir, 'old.jsonl'), 'utf8')).toBe('{"aip":1}\n');
  });

  it('refuses a link at the target and a file aip did not write', async () => {
    const { dir, target } = setup();
    writeFileSync(join(dir, 'precious.txt'), 'mine\n');
    symlinkSync(join(dir, 'precious.txt'), join(dir, 'log.jsonl'));
    expect((await refusal(openOutputStream(target('log.jsonl', { force: true })))).code).toBe('E_OUTPUT_LINK');
    expect((await refusal(openOutputStream(target('precious.txt')))).code).toBe('E_OUTPUT_EXISTS');
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('mine\n');
  });
});
