// The entry point: owns argv, the error boundary and the exit code. Commands are loaded only when run.
import { Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander';
import { VERSION } from './core/version.js';
import { makeContext, type Context, type GlobalOptions, type Proc } from './io/context.js';
import { InterruptedError, UsageError, UsageErrors, formatUsageError } from './core/errors.js';

type Action = (ctx: Context, ...args: any[]) => Promise<number>;

/** Commander option parsers that fail with a message naming the option (exit 2). */
export const parse = {
  positiveInt(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number greater than 0.');
    return n;
  },
  nonNegativeNumber(value: string): number {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0.');
    return n;
  },
  nonNegativeInt(value: string): number {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0.');
    return n;
  },
  collect(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  },
};

export async function run(proc: Proc, now?: () => Date): Promise<number> {
  const controller = new AbortController();
  let exitCode = 0;
  let globals: GlobalOptions = { json: false, quiet: false, catalog: [] };
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
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run "aip --help" for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, optionDescription })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void proc.stdout.write(s),
      writeErr: (s) => void proc.stderr.write(s),
    });

  registerCommands(program, invoke);
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
  const o = command.optsWithGlobals() as { json?: boolean; quiet?: boolean; catalog?: string[] };
  return { json: o.json === true, quiet: o.quiet === true, catalog: o.catalog ?? [] };
}

function reportError(err: unknown, proc: Proc, _globals: GlobalOptions): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    // "aip help CMD" shows help (0); a command group without its subcommand ("aip catalog") shows it as an error.
    if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
    return 2; // commander already printed the message; usage errors are exit 2, not commander's 1
  }
  if (err instanceof UsageErrors) {
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
  proc.stderr.write(`aip: internal error: ${message}\n`);
  if (proc.env.AIP_DEBUG && err instanceof Error && err.stack) proc.stderr.write(`${err.stack}\n`);
  else proc.stderr.write('  (this is a bug in aip; run with AIP_DEBUG=1 for details and report it)\n');
  return 70;
}

/** Commander's option description, without the "(default: [])" of repeatable options (nothing a user needs). */
function optionDescription(this: Help, option: Option): string {
  const emptyList = Array.isArray(option.defaultValue) && option.defaultValue.length === 0;
  return Help.prototype.optionDescription.call(this, emptyList ? Object.assign(Object.create(option) as Option, { defaultValue: undefined }) : option);
}

/** A usage error in "aip check" points at "aip check --help", which lists check's options, not the program's. */
function pointAtOwnHelp(command: Command, path = 'aip'): void {
  for (const sub of command.commands) {
    const name = `${path} ${sub.name()}`;
    sub.showHelpAfterError(`(run "${name} --help" for usage)`);
    pointAtOwnHelp(sub, name);
  }
}

type Invoke = (load: () => Promise<Action>) => (...args: unknown[]) => Promise<void>;

/** Every built command of docs/spec.md "Commands" (the planned ones are not registered). Options live here; behaviour lives in src/commands/. */
function registerCommands(program: Command, invoke: Invoke): void {
  program
    .command('recommend')
    .description('per workload: the pattern to use (direct, streaming or batch) and why, monthly cost of each, rate-limit headroom, latency and a resilience plan; then the portfolio total')
    .argument('<file...>', 'workload files (YAML); see examples/workloads.yaml')
    .option('--format <format>', 'table, json or markdown (default: table)')
    .option('--chart', 'draw the monthly cost of each pattern across volume (1K → 10M requests/month) with the break-even')
    .option('--min-batch-saving <usd>', 'recommend batch only when it saves at least this many USD per month (default 50, data/thresholds.yaml)', parse.nonNegativeNumber)
    .action(invoke(async () => (await import('./commands/recommend.js')).recommendCommand));

  program
    .command('tokens')
    .description("count tokens of prompt files (or stdin) with a model's tokenizer; per file and total, with input cost per call")
    .argument('<paths...>', 'files or globs, or - for stdin')
    .requiredOption('-m, --model <id>', 'the model whose tokenizer and price to use')
    .option('--exact', "ask the provider's token-count endpoint (Claude: needs ANTHROPIC_API_KEY)")
    .action(invoke(async () => (await import('./commands/tokens.js')).tokensCommand));

  program
    .command('models')
    .description('the catalog: models, prices per 1M tokens, batch and caching, context, speed, with as_of and source')
    .option('--provider <name>', 'only this provider (openai, anthropic, google, azure, bedrock, vertex_ai, …; all for every one)')
    .option('--all', 'include retired models')
    .action(invoke(async () => (await import('./commands/models.js')).modelsCommand));

  program
    .command('check')
    .description('CI gate: projected monthly cost now vs. a baseline, what drove the change; exit 1 when a threshold is crossed')
    .argument('<file...>', 'workload files (YAML)')
    .option('--baseline <baseline>', 'git:REF (the same files at a git revision, e.g. git:origin/main) or a file written by "aip baseline" / "aip recommend --json"')
    .option('--max-increase <pct>', 'fail when the monthly total rises by more than this percentage (e.g. 10 or 10%)')
    .option('--max-increase-usd <usd>', 'fail when the monthly total rises by more than this many US dollars')
    .option('--budget <usd>', 'fail when the projected monthly total is above this many US dollars')
    .option('--per-workload', 'apply the thresholds to each workload as well as to the total')
    .addOption(new Option('--format <format>', 'output format (default: table)').choices(['table', 'markdown', 'json', 'github']))
    .action(invoke(async () => (await import('./commands/check.js')).checkCommand));

  program
    .command('baseline')
    .description('write the baseline file for "aip check --baseline FILE": the recommend JSON plus each workload\'s pricing override')
    .argument('<file...>', 'workload files (YAML)')
    .option('-o, --output <file>', 'write here instead of stdout (replaces an existing aip baseline; any other file only with --force)')
    .option('--force', 'overwrite the output file even if it is not an aip baseline')
    .action(invoke(async () => (await import('./commands/baseline.js')).baselineCommand));

  program
    .command('wizard')
    .description('asks about an LLM feature, writes a workload file and shows its recommendation')
    .option('-o, --output <file>', 'the workload file to write (asks before replacing one)', 'aip.yaml')
    .action(invoke(async () => (await import('./commands/wizard.js')).wizardCommand));

  program
    .command('simulate')
    .description('Monte Carlo simulation of a month of traffic per pattern: cost and latency distributions, failures and retries, rate-limit queueing, growth')
    .argument('<file...>', 'workload file(s)')
    .option('--seed <n>', 'random seed: the same seed gives the same output (default 1)')
    .option('--runs <n>', 'simulated months per workload (default 100)')
    .option('--months <n>', 'project the bill over this many months (default 1, or 12 with --growth)')
    .option('--growth <pct>', 'volume growth per month, in percent (with --months)')
    .option('--trace <file>', 'arrival timestamps to replay instead of the daily cycle (one per line)')
    .option('--workload <name>', 'simulate only this workload of the file(s)')
    .option('--batch-every <duration>', 'how often the batch client submits (default: recommend\'s submission cadence for the tolerance)')
    .option('--format <format>', 'table or json')
    .action(invoke(async () => (await import('./commands/simulate.js')).simulateCommand));

  program
    .command('bench')
    .description('live micro-benchmark of direct, streaming and batch through a resilient client: the built-in simulator (default), any OpenAI-compatible base URL, or Anthropic')
    .option('--target <name>', 'sim (in-process simulator, no key), openai (OPENAI_API_KEY) or anthropic (ANTHROPIC_API_KEY)', 'sim')
    .option('--base-url <url>', 'an OpenAI-compatible server (vLLM, Ollama, LiteLLM, llama.cpp) for --target openai')
    .option('--model <id>', 'model to call (default: gpt-4o-mini; claude-haiku-4-5 for anthropic)')
    .option('--patterns <list>', 'comma list of direct, streaming, batch (default: all the model supports)')
    .option('--requests <n>', 'measured requests per pattern (and the batch size; default 8)', parse.positiveInt)
    .option('--concurrency <n>', 'closed loop: requests in flight at once (default 8)', parse.positiveInt)
    .option('--rate <r/s>', 'open loop: Poisson arrivals per second, e.g. 5/s')
    .option('--duration <time>', 'stop sending after this long, e.g. 30s')
    .option('--warmup <n>', 'requests per pattern before measuring, excluded from figures (default 1)', parse.nonNegativeInt)
    .option('--prompt <file>', 'a prompt file to send (repeatable; default: a built-in set)', parse.collect, [])
    .option('--workload <file>', 'take model, input and output sizes and fallback from a workload file')
    .option('--name <workload>', 'which workload of --workload')
    .option('--max-tokens <n>', 'output cap per request (default 48, or the workload\'s output tokens)', parse.positiveInt)
    .option('--slo <targets>', 'goodput targets, e.g. ttft=800ms,latency=5s')
    .option('--threshold <expr>', 'fail (exit 1) unless it holds, e.g. streaming.ttft_ms.p95<800, direct.errors_rate<0.01; repeatable', parse.collect, [])
    .option('--max-spend <usd>', 'send nothing that could take the run past this spend (list prices)', parse.nonNegativeNumber)
    .option('-o, --output <file>', 'also write the JSON result to this file')
    .addOption(new Option('--out <file>', 'the same as --output').hideHelp())
    .option('--log <file>', 'JSONL request log: timing, tokens, status, retries (no keys, no prompt text)')
    .option('--log-content', 'include prompt and answer text in --log')
    .option('--force', 'replace an existing -o or --log file that aip bench did not write')
    .option('--timeout <time>', 'per-request timeout (default: 2× the expected time for the output length, at least 10 s; data/thresholds.yaml)')
    .option('--idle-timeout <time>', 'longest silence between stream chunks (default 30s)')
    .option('--retries <n>', 'retries per request after the first attempt (default 3)', parse.nonNegativeInt)
    .option('--backoff <time>', 'backoff base: retry n waits up to base×2^n, full jitter (default 1s; 529 waits 30 s)')
    .option('--breaker-threshold <n>', 'consecutive provider faults that open the circuit (default 5)', parse.positiveInt)
    .option('--breaker-cooldown <time>', 'how long the circuit stays open before a probe (default 30s)')
    .option('--fallback <model>', 'model to use when the primary fails or its circuit is open')
    .option('--cancel-on-exit', 'on Ctrl-C, cancel a batch already submitted')
    .option('--seed <n>', 'seed for jitter, arrivals and the simulator', parse.nonNegativeInt)
    .option('--latency-scale <f>', 'simulator only: multiply its delays (0 = none; default 1)', parse.nonNegativeNumber)
    .option('--fault <kind:rate>', 'simulator only: inject a fault, e.g. 429:0.1 (repeatable)', parse.collect, [])
    .option('--batch-turnaround <s>', 'simulator only: median batch turnaround in seconds before scaling (default 1)')
    .option('--poll-interval <time>', 'first batch poll interval (grows 1.5× per poll)')
    .action(invoke(async () => (await import('./commands/bench.js')).benchCommand));

  program
    .command('serve')
    .description('run the built-in simulator of the OpenAI and Anthropic APIs (latency profiles, fault injection)')
    .option('--host <address>', 'interface to bind (loopback unless you say otherwise)', '127.0.0.1')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parse.nonNegativeNumber, 0)
    .option('--latency-scale <f>', 'multiply every delay (TTFT, tokens/s, stalls, batch turnaround); 0 = none', parse.nonNegativeNumber, 1)
    .option('--fault <kind:rate>', 'inject a fault at a rate, e.g. 429:0.05 (429, 500, 503, 529, timeout, drop, stall, malformed, batch-item-error, batch-expire); repeatable', parse.collect, [])
    .option('--seed <n>', 'seed for answers, jitter and faults', parse.nonNegativeInt, 1)
    .option('--rpm <n>', 'enforce requests per minute per model (429 beyond)', parse.positiveInt)
    .option('--tpm <n>', 'enforce tokens per minute per model (429 beyond)', parse.positiveInt)
    .option('--stall <seconds>', 'pause of the stall fault before scaling (default 120)', parse.nonNegativeNumber)
    .action(invoke(async () => (await import('./commands/serve.js')).serveCommand));

  program
    .command('import')
    .description('turn usage exports and traces (OpenAI and Anthropic usage APIs, OpenTelemetry GenAI spans, LiteLLM spend logs, Langfuse, aip bench logs) into workloads; --recommend prices the traffic as sent against the advice')
    .argument('<file...>', 'exports, OTLP JSON span files or request logs (the format is detected)')
    .option('-o, --output <file>', 'write the workload file here instead of stdout (never overwrites without --force)')
    .option('--force', 'replace the output files')
    .addOption(new Option('--from <format>', 'the input format, when detection cannot tell').choices(['openai-usage', 'anthropic-usage', 'otlp', 'litellm', 'langfuse', 'aip-log']))
    .option('--group-by <key>', 'split workloads by project (default), api_key, tag, operation, or an attribute/field name such as service.name')
    .option('--latency <tolerance>', 'latency tolerance for the workloads (traffic cannot say it): 3s, 24h, …; or GLOB=TOLERANCE for some, e.g. "*-batch=24h"; repeatable', parse.collect, [])
    .option('--latency-rules <file>', 'YAML mapping of workload globs to tolerances, first match wins')
    .option('--recommend', 'print what the traffic costs as sent next to the recommended patterns, and the saving')
    .option('--calibration <file>', 'write measured speeds (TTFT, output tokens/s, percentiles, failures) as a --catalog overlay')
    .action(invoke(async () => (await import('./commands/import.js')).importCommand));

  const catalog = program.command('catalog').description('work with the price catalog');
  catalog
    .command('update')
    .description('fetch the newest price data into the user cache; every later command uses it (the shipped catalog stays the offline default)')
    .option('--from <url|file>', 'a mirror URL or an offline copy of the data (default: the dataset\'s public feed)')
    .option('--as-of <date>', 'the date of the data in --from, as YYYY-MM-DD (default: its Last-Modified date, or the file\'s)')
    .action(invoke(async () => (await import('./commands/catalog-update.js')).catalogUpdateCommand));
  catalog
    .command('import-litellm')
    .description("turn LiteLLM's public price map (model_prices_and_context_window.json) into a catalog file for --catalog")
    .argument('<file>', "LiteLLM's JSON price map")
    .option('-o, --output <file>', 'write the catalog YAML here (never overwrites without --force)')
    .option('--force', 'overwrite the output file')
    .option('--provider <name>', 'only this provider (openai, anthropic, google); repeatable or comma-separated', parse.collect, [])
    .option('--all', 'import every chat and embedding model, not only those already in the catalog')
    .option('--as-of <date>', "the date of the LiteLLM file, YYYY-MM-DD (default: the file's modification date)")
    .action(invoke(async () => (await import('./commands/import-litellm.js')).importLitellmCommand));
}
