// The one wrapper around @inquirer/prompts (imported lazily, only here): questions on the terminal,
// Ctrl-C as InterruptedError (exit 130), and a clear refusal when there is no terminal to ask on.
import type { Context } from '../io/context.js';
import { InterruptedError, UsageError } from '../core/errors.js';
import { isHeading, type Ask, type Choice, type Heading } from './ask.js';

/**
 * The wizard needs a person at a terminal: keys from stdin, questions drawn on stderr (stdout carries only
 * the final recommendation, so `aip wizard > rec.txt` works). Without one it refuses at once instead of
 * waiting for keys that never come.
 */
export function requireTerminal(ctx: Pick<Context, 'stdin' | 'stderr'>): void {
  if (ctx.stdin.isTTY === true && ctx.stderr.isTTY === true) return;
  const missing = ctx.stdin.isTTY === true ? 'stderr is not a terminal' : 'stdin is not a terminal';
  throw new UsageError(`needs an interactive terminal to ask its questions (${missing})`, {
    code: 'E_NO_TTY',
    option: 'wizard',
    expected: 'a terminal on stdin and stderr',
    hint: 'write a workload file instead (start from examples/workloads.yaml) and run "aip recommend FILE"',
  });
}

type Prompts = typeof import('@inquirer/prompts');
let prompts: Promise<Prompts> | undefined;
const loadPrompts = (): Promise<Prompts> => (prompts ??= import('@inquirer/prompts'));

/** Ctrl-C inside a prompt (ExitPromptError) or an aborted signal (AbortPromptError) → exit 130. */
function interrupted(err: unknown): never {
  const name = (err as { name?: string } | null)?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new InterruptedError();
  throw err;
}

export async function terminalAsk(ctx: Context): Promise<Ask> {
  requireTerminal(ctx);
  const p = await loadPrompts();
  const context = {
    input: ctx.stdin as unknown as NodeJS.ReadableStream,
    output: ctx.stderr as unknown as NodeJS.WritableStream,
    signal: ctx.signal,
  };
  const choicesOf = <T>(list: Array<Choice<T> | Heading>) =>
    list.map((c) => (isHeading(c) ? new p.Separator(c.heading) : { value: c.value, name: c.name, description: c.description, short: c.short }));
  return {
    select: (q) => p.select({ message: q.message, choices: choicesOf(q.choices), default: q.default, pageSize: 12, loop: false }, context).catch(interrupted),
    input: (q) => p.input({ message: q.message, default: q.default, validate: q.validate }, context).catch(interrupted),
    confirm: (q) => p.confirm({ message: q.message, default: q.default }, context).catch(interrupted),
    search: async (q) => {
      let term = '';
      const source = (typed: string | undefined) => choicesOf(q.source((term = typed ?? '')));
      const value = await p.search({ message: q.message, source, pageSize: 12 }, context).catch(interrupted);
      // inquirer's search refreshes its list a tick after each key, so an Enter that arrives with the filter
      // text (a fast typist, a paste) picks from the stale list while the screen shows the new first match.
      // Answer with what the screen shows: the first match of the latest filter.
      const latest = q.source(term).filter((c) => !isHeading(c)) as Choice<typeof value>[];
      return latest.some((c) => c.value === value) ? value : (latest[0]?.value ?? value);
    },
    note: (text) => void ctx.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}
