// The entry point: owns argv, the error boundary and the exit code. Commands are loaded only when run.
import { Command, CommanderError } from 'commander';
import { helpNeedsData, optionDescription, registerCommands, type Action } from './commands/table.js';
import { parse } from './commands/options.js';
import { VERSION } from './core/version.js';
import { makeContext, outputWidth, type GlobalOptions, type Proc } from './io/context.js';
import { InterruptedError, UsageError, UsageErrors, formatUsageError, problemCount } from './core/errors.js';
import { setMaxInputBytes } from './io/input-limits.js';
import { inline, redactUrl, safeOutput } from './core/safe-text.js';

export async function run(proc: Proc, now?: () => Date): Promise<number> {
  // The help of a command whose defaults are data (bench, recommend) shows them: load them first.
  const argv = proc.argv.slice(2);
  const helpData = helpNeedsData(argv) ? await (await import('./commands/help-data.js')).loadHelpData(argv, proc.cwd()) : undefined;
  const controller = new AbortController();
  let exitCode = 0;
  let globals: GlobalOptions = { json: false, quiet: false, catalog: [] };
  setMaxInputBytes(undefined);
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    controller.abort(new InterruptedError());
    // A command that ignores the signal, or a second Ctrl-C, still ends the process promptly.
    if (interrupts > 1) proc.exit?.(130);
    else setTimeout(() => proc.exit?.(130), 3000).unref();
  };
  proc.on?.('SIGINT', onSignal);
  proc.on?.('SIGTERM', onSignal);

  const program = new Command();
  const invoke = (load: () => Promise<Action>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      globals = readGlobals(command);
      setMaxInputBytes(globals.maxInputBytes);
      const ctx = makeContext(proc, globals, controller.signal, now);
      const action = await load();
      exitCode = await action(ctx, ...args.slice(0, -1));
    };

  program
    .name('aip')
    .description('How each LLM workload should call the model API — direct, streaming or batch — what it costs per month, and whether it fits your rate limits.')
    .version(VERSION, '-V, --version')
    .option('--json', 'machine-readable JSON on stdout, nothing else on stdout')
    .option('--catalog <file>', 'extra or overriding catalog entries (YAML or JSON); repeatable', parse.collect, [])
    .option('-q, --quiet', 'print only the essentials')
    .option('--max-input-size <size>', 'largest workload, prompt, --catalog, baseline or trace file read (default: 20MB)', parse.size)
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run "aip --help" for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, optionDescription: optionDescription(helpData) })
    .exitOverride()
    .configureOutput({
      // Commander quotes what was typed ("unknown option '--x'"): neutralised like everything else printed.
      writeOut: (s) => void proc.stdout.write(safeOutput(s)),
      writeErr: (s) => void proc.stderr.write(safeOutput(s)),
    });

  registerCommands(program, invoke, outputWidth(proc.stdout, proc.env));
  pointAtOwnHelp(program);

  try {
    if (proc.argv.length <= 2) {
      proc.stdout.write(program.helpInformation());
      return 0;
    }
    await program.parseAsync(proc.argv);
    return exitCode;
  } catch (err) {
    return reportError(err, proc, globals);
  } finally {
    proc.off?.('SIGINT', onSignal);
    proc.off?.('SIGTERM', onSignal);
  }
}

function readGlobals(command: Command): GlobalOptions {
  const o = command.optsWithGlobals() as { json?: boolean; quiet?: boolean; catalog?: string[]; maxInputSize?: number };
  return { json: o.json === true, quiet: o.quiet === true, catalog: o.catalog ?? [], ...(o.maxInputSize !== undefined ? { maxInputBytes: o.maxInputSize } : {}) };
}

function reportError(err: unknown, proc: Proc, _globals: GlobalOptions): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    // "aip help CMD" shows help (0); a command group without its subcommand ("aip catalog") shows it as an error.
    if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
    return 2; // commander already printed the message; usage errors are exit 2, not commander's 1
  }
  if (err instanceof UsageErrors) {
    const count = problemCount(err.errors);
    if (count) proc.stderr.write(`${count}\n`);
    for (const e of err.errors) proc.stderr.write(`${formatUsageError(e).join('\n')}\n`);
    return 2;
  }
  if (err instanceof UsageError) {
    proc.stderr.write(`${formatUsageError(err).join('\n')}\n`);
    return 2;
  }
  if (err instanceof InterruptedError) {
    proc.stderr.write('interrupted\n');
    return 130;
  }
  const message = err instanceof Error ? err.message : String(err);
  proc.stderr.write(`aip: internal error: ${inline(redactUrl(message))}\n`);
  if (proc.env.AIP_DEBUG && err instanceof Error && err.stack) proc.stderr.write(`${safeOutput(err.stack)}\n`);
  else proc.stderr.write('  (this is a bug in aip; run with AIP_DEBUG=1 for details and report it)\n');
  return 70;
}

/** A usage error in "aip check" points at "aip check --help", which lists check's options, not the program's. */
function pointAtOwnHelp(command: Command, path = 'aip'): void {
  for (const sub of command.commands) {
    const name = `${path} ${sub.name()}`;
    sub.showHelpAfterError(`(run "${name} --help" for usage)`);
    pointAtOwnHelp(sub, name);
  }
}
