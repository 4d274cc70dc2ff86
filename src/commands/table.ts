// Every command of aip and its options, as data: the flags, the help, the parser of each value and its default.
// A default is stated once, as the value the code uses; the help's "(default: …)" is made from it (from the
// resilience policy and data/thresholds.yaml where the default is data). Commands are loaded only when run.
import { Command, Help, Option } from 'commander';
import { wrapWords } from '../render/kit/table.js';
import { DEFAULT_MODEL, DEFAULT_TARGET, DEFAULTS as BENCH, REAL_FIRST_POLL_MAX_MS, SIM_POLL_MS, TARGETS } from '../bench/defaults.js';
import type { Thresholds } from '../core/catalog/schema.js';
import type { ResiliencePolicy } from '../core/recommend/resilience-policy.js';
import type { Context } from '../io/context.js';
import { DEFAULT_STALL_SECONDS, FAULT_KINDS } from '../provider-sim/faults.js';
import { DEFAULT_WORKLOAD_FILE, FORMATS, SIMULATE_DEFAULTS, WIZARD_DEFAULTS, durationMs, parse, positiveDurationMs, positiveSeconds, ratePerS, runDurationMs } from './options.js';

/** A command's behaviour: its arguments and options in, an exit code out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander passes each command its own argument list
export type Action = (ctx: Context, ...args: any[]) => Promise<number>;

/** What a help shows for defaults that are data: the resilience policy and the thresholds it is built from. */
export interface HelpData {
  policy: ResiliencePolicy;
  thresholds: Thresholds['values'];
}

/** A default taken from data/thresholds.yaml (through the resilience policy where it is one of its numbers). */
interface DataDefault {
  data(d: HelpData): string;
}

interface OptionSpec {
  flags: string;
  help: string;
  /** Turns the text into the value the command receives; fails naming the option. */
  parse?: (value: string, previous: string[]) => unknown;
  /** A default commander applies: the command receives it as if given. */
  value?: string | number | boolean | string[];
  /** A default the command applies itself (it may depend on other options or on data); the help shows it. */
  default?: string | number | DataDefault;
  choices?: readonly string[];
  required?: boolean;
  hidden?: boolean;
}

interface CommandSpec {
  name: string;
  description: string;
  args?: Array<{ name: string; help: string }>;
  options: OptionSpec[];
  /** The EXAMPLES section of the command's --help: a command line and what it does. */
  examples: Array<[command: string, what: string]>;
  load(): Promise<Action>;
}

interface GroupSpec {
  group: string;
  description: string;
  examples: Array<[command: string, what: string]>;
  commands: CommandSpec[];
}

/** The EXAMPLES of "aip --help": the way in. */
const PROGRAM_EXAMPLES: Array<[string, string]> = [
  ['aip init && aip recommend', 'a starter ./aip.yaml, then which pattern each workload should use and what it costs'],
  ['aip recommend examples/workloads.yaml', "the shipped example's twelve workloads"],
  ['aip check --baseline git:origin/main --max-increase 10', 'in CI: fail when a change raises the monthly bill by more than 10%'],
  ['aip CMD --help', "a command's options and examples"],
];

const THRESHOLDS_FILE = 'data/thresholds.yaml';
/** The workload files of recommend, check, baseline and simulate: ./aip.yaml when none is named. */
const FILES_ARG = { name: '[file...]', help: `workload files (YAML), e.g. examples/workloads.yaml (default: ./${DEFAULT_WORKLOAD_FILE}, written by "aip init" or "aip wizard")` };
const fromData = (text: (d: HelpData) => string): DataDefault => ({ data: (d) => `${text(d)}; ${THRESHOLDS_FILE}` });
/** Options several commands share, stated once. */
const ALLOW_OUTSIDE: OptionSpec = { flags: '--allow-outside', help: "read prompt files outside the workload file's repository (absolute paths, .. and links out of it; refused by default)" };
const CHART: OptionSpec = { flags: '--chart', help: 'draw the monthly cost of each pattern across volume (1K → 10M requests/month) with the break-even' };
const MIN_BATCH_SAVING: OptionSpec = {
  flags: '--min-batch-saving <usd>',
  help: 'recommend batch only when it saves at least this many USD per month',
  parse: parse.nonNegativeNumber,
  default: fromData((d) => `${d.thresholds.batch_min_monthly_saving_usd.value}`),
};
const seconds = (s: number) => `${s}s`;
/** ['a', 'b', 'c'] → "a, b or c". */
const orList = (items: readonly string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : (items[0] ?? ''));
/** gpt-4o-mini; claude-haiku-4-5 for anthropic: the default target's model, then the targets that differ. */
const benchModels = () => {
  const main = DEFAULT_MODEL[DEFAULT_TARGET];
  const others = TARGETS.filter((t) => DEFAULT_MODEL[t] !== main).map((t) => `${DEFAULT_MODEL[t]} for ${t}`);
  return [main, ...others].join('; ');
};

/** Every built command of docs/spec.md "Commands" (the planned ones are not listed), in the order `aip --help` shows them. */
const COMMANDS: Array<CommandSpec | GroupSpec> = [
  {
    name: 'recommend',
    description: 'per workload: the pattern to use (direct, streaming or batch) and why, monthly cost of each, rate-limit headroom, latency and a resilience plan; then the portfolio total',
    args: [FILES_ARG],
    options: [
      { flags: '--format <format>', help: orList(FORMATS.recommend), default: FORMATS.recommend[0] },
      { flags: '--details', help: "after the portfolio, each workload's reasons, cost of each pattern, limits, resilience plan and warnings" },
      CHART,
      MIN_BATCH_SAVING,
      ALLOW_OUTSIDE,
    ],
    examples: [
      ['aip recommend', 'the workloads of ./aip.yaml'],
      ['aip recommend examples/workloads.yaml', 'the shipped example: one workload per row of the decision matrix'],
      ['aip recommend aip.yaml --format markdown > plan.md', 'the same as markdown, for a design doc'],
      ['aip recommend aip.yaml --json | jq .total_usd_per_month', 'the monthly totals, for a script'],
      ['aip recommend aip.yaml --chart', 'with the cost of each pattern across volume'],
    ],
    load: async () => (await import('./recommend.js')).recommendCommand,
  },
  {
    name: 'explain',
    description: "one workload in full: why its pattern, the cost of each pattern, limits, resilience plan and warnings (the block of recommend --details)",
    args: [
      { name: '<name>', help: 'the workload\'s name' },
      FILES_ARG,
    ],
    options: [
      CHART,
      MIN_BATCH_SAVING,
      ALLOW_OUTSIDE,
    ],
    examples: [
      ['aip explain support-chat', 'one workload of ./aip.yaml in full'],
      ['aip explain ticket-router examples/workloads.yaml --chart', 'with its cost across volume and the break-even'],
      ['aip recommend --details', 'every workload in full'],
    ],
    load: async () => (await import('./recommend.js')).explainCommand,
  },
  {
    name: 'tokens',
    description: "count tokens of prompt files (or stdin) with a model's tokenizer; per file and total, with input cost per call",
    args: [{ name: '<paths...>', help: 'files or globs, or - for stdin' }],
    options: [
      { flags: '-m, --model <id>', help: 'the model whose tokenizer and price to use', required: true },
      { flags: '--exact', help: "ask the provider's token-count endpoint (Claude: needs ANTHROPIC_API_KEY)" },
      {
        flags: '--send-key-to <host>',
        help: 'with --exact: also send ANTHROPIC_API_KEY to this host of ANTHROPIC_BASE_URL (otherwise only api.anthropic.com and this machine get it); repeatable',
        parse: parse.collect,
        value: [],
      },
    ],
    examples: [
      ['aip tokens prompts/system.md -m gpt-4o-mini', 'tokens of one prompt file and its input cost per call'],
      ["aip tokens 'prompts/*.md' -m claude-haiku-4-5", 'each file of a glob, and the total'],
      ['cat draft.txt | aip tokens - -m gpt-4.1', 'text from stdin'],
    ],
    load: async () => (await import('./tokens.js')).tokensCommand,
  },
  {
    name: 'models',
    description: 'the catalog: models, prices per 1M tokens, batch and caching, context, speed, with as_of and source',
    options: [
      { flags: '--provider <name>', help: 'only this provider (openai, anthropic, google, azure, bedrock, vertex_ai, …; all for every one)' },
      { flags: '--all', help: 'include retired models' },
    ],
    examples: [
      ['aip models', 'the current models of the main providers'],
      ['aip models --provider anthropic', "one provider's models"],
      ['aip models --json', 'every field, with source and as_of, for a script'],
    ],
    load: async () => (await import('./models.js')).modelsCommand,
  },
  {
    name: 'check',
    description: 'CI gate: projected monthly cost now vs. a baseline, what drove the change; exit 1 when a threshold is crossed',
    args: [FILES_ARG],
    options: [
      { flags: '--baseline <baseline>', help: 'git:REF (the same files at a git revision, e.g. git:origin/main), git:REF:FILE (a baseline file as that revision has it) or a file written by "aip baseline" / "aip recommend --json"' },
      { flags: '--trust <side>', help: "with a git baseline, whose thresholds, pricing: overrides and --catalog files count: base (the base revision's) or head (the change's own)", choices: ['base', 'head'], default: 'base' },
      { flags: '--max-increase <pct>', help: 'fail when the monthly total rises by more than this percentage (e.g. 10 or 10%)' },
      { flags: '--max-increase-usd <usd>', help: 'fail when the monthly total rises by more than this many US dollars' },
      { flags: '--budget <usd>', help: 'fail when the projected monthly total is above this many US dollars' },
      { flags: '--per-workload', help: 'apply the thresholds to each workload as well as to the total' },
      { flags: '--format <format>', help: 'output format', default: FORMATS.check[0], choices: FORMATS.check },
      ALLOW_OUTSIDE,
    ],
    examples: [
      ['aip check aip.yaml --baseline git:origin/main --max-increase 10%', 'fail (exit 1) when the change raises the monthly bill by more than 10%'],
      ['aip check --baseline git:HEAD', 'what the uncommitted edits of ./aip.yaml do to the bill'],
      ['aip check aip.yaml --baseline aip-baseline.json --budget 5000', 'against a baseline file, with a monthly budget'],
      ['aip check aip.yaml --baseline git:origin/main --format markdown', 'the pull-request comment the GitHub Action posts'],
    ],
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'baseline',
    description: 'write the baseline file for "aip check --baseline FILE": the recommend JSON plus each workload\'s pricing override',
    args: [FILES_ARG],
    options: [
      { flags: '-o, --output <file>', help: 'write here instead of stdout (replaces an existing aip baseline; any other file only with --force)' },
      { flags: '--force', help: 'overwrite the output file even if it is not an aip baseline' },
    ],
    examples: [
      ['aip baseline aip.yaml -o aip-baseline.json', "record today's costs (commit the file)"],
      ['aip check aip.yaml --baseline git:origin/main:aip-baseline.json', 'later: compare with it as the base branch has it'],
    ],
    load: async () => (await import('./baseline.js')).baselineCommand,
  },
  {
    name: 'wizard',
    description: 'asks about an LLM feature, writes a workload file and shows its recommendation',
    options: [{ flags: '-o, --output <file>', help: 'the workload file to write (asks before replacing one)', value: WIZARD_DEFAULTS.output }],
    examples: [
      ['aip wizard', 'answer a few questions; writes ./aip.yaml and shows its recommendation'],
      ['aip wizard -o workloads/search.yaml', 'write the file elsewhere'],
    ],
    load: async () => (await import('./wizard.js')).wizardCommand,
  },
  {
    name: 'init',
    description: 'write a starter workload file (./aip.yaml): two commented example workloads to edit into yours',
    options: [{ flags: '-o, --output <file>', help: 'the file to write (never replaces one)', value: DEFAULT_WORKLOAD_FILE }],
    examples: [
      ['aip init && aip recommend', 'write ./aip.yaml, then see what it recommends'],
      ['aip init -o config/aip.yaml', 'write it elsewhere'],
    ],
    load: async () => (await import('./init.js')).initCommand,
  },
  {
    name: 'simulate',
    description: 'Monte Carlo simulation of a month of traffic per pattern: cost and latency distributions, failures and retries, rate-limit queueing, growth',
    args: [FILES_ARG],
    options: [
      { flags: '--seed <n>', help: 'random seed: the same seed gives the same output', default: SIMULATE_DEFAULTS.seed },
      { flags: '--runs <n>', help: 'simulated months per workload', default: SIMULATE_DEFAULTS.runs },
      { flags: '--months <n>', help: 'project the bill over this many months', default: `${SIMULATE_DEFAULTS.months}, or ${SIMULATE_DEFAULTS.monthsWithGrowth} with --growth` },
      { flags: '--growth <pct>', help: 'volume growth per month, in percent (with --months)' },
      { flags: '--trace <file>', help: 'arrival timestamps to replay instead of the daily cycle (one per line)' },
      { flags: '--workload <name>', help: 'simulate only this workload of the file(s)' },
      { flags: '--batch-every <duration>', help: 'how often the batch client submits', default: "recommend's submission cadence for the tolerance" },
      { flags: '--format <format>', help: orList(FORMATS.simulate), default: FORMATS.simulate[0] },
      ALLOW_OUTSIDE,
    ],
    examples: [
      ['aip simulate aip.yaml', 'a hundred simulated months per workload: the spread of the bill and of latency'],
      ['aip simulate aip.yaml --workload support-chat --seed 7', 'one workload, reproducibly'],
      ['aip simulate aip.yaml --months 12 --growth 15', 'a year at 15% growth a month: when batch starts paying'],
    ],
    load: async () => (await import('./simulate.js')).simulateCommand,
  },
  {
    name: 'report',
    description: 'one self-contained HTML page to attach to a design doc or a pull request: the portfolio, each workload\'s options, cost by volume with the break-even, the simulated bill and latency, assumptions and sources',
    args: [FILES_ARG],
    options: [
      { flags: '-o, --output <file>', help: 'write the page here (replaces a report aip wrote; any other file only with --force)', default: 'stdout' },
      { flags: '--force', help: 'overwrite the output file even if it is not an aip report' },
      { flags: '--seed <n>', help: 'random seed of the simulation: the same seed gives the same page', default: SIMULATE_DEFAULTS.seed },
      { flags: '--runs <n>', help: 'simulated months per workload', default: SIMULATE_DEFAULTS.runs },
      MIN_BATCH_SAVING,
      ALLOW_OUTSIDE,
    ],
    examples: [
      ['aip report aip.yaml -o report.html', 'the page for ./aip.yaml, to attach to a design doc or a pull request'],
      ['aip report app.yaml jobs.yaml -o docs/llm-costs.html --runs 500 --seed 7', 'several files, a steadier simulation, reproducibly'],
      ['aip report aip.yaml > report.html', 'without -o the page goes to stdout'],
    ],
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    name: 'bench',
    description: 'live micro-benchmark of direct, streaming and batch through a resilient client: the built-in simulator (default), OpenAI (chat or Responses) and any OpenAI-compatible base URL, Anthropic, or Gemini',
    options: [
      {
        flags: '--target <name>',
        help: 'sim (in-process simulator, no key), openai (OPENAI_API_KEY), anthropic (ANTHROPIC_API_KEY) or gemini (GEMINI_API_KEY or GOOGLE_API_KEY)',
        value: DEFAULT_TARGET,
      },
      { flags: '--base-url <url>', help: 'an OpenAI-compatible server (vLLM, Ollama, LiteLLM, llama.cpp) for --target openai; another endpoint for anthropic or gemini' },
      {
        flags: '--send-key-to <host>',
        help: "also send the API key to this host of --base-url (the key goes only to the provider's own host and to this machine otherwise); repeatable",
        parse: parse.collect,
        value: [],
      },
      { flags: '--api <name>', help: 'OpenAI and OpenAI-compatible targets: chat (chat completions) or responses (the Responses API)', default: 'chat' },
      { flags: '--service-tier <tier>', help: 'OpenAI: service_tier sent with every request (auto, default, flex, priority)' },
      { flags: '--model <id>', help: 'model to call', default: benchModels() },
      { flags: '--patterns <list>', help: 'comma list of direct, streaming, batch', default: 'all the model supports' },
      { flags: '--requests <n>', help: 'measured requests per pattern (and the batch size)', parse: parse.positiveInt, default: BENCH.requests },
      { flags: '--concurrency <n>', help: 'closed loop: requests in flight at once', parse: parse.positiveInt, default: BENCH.concurrency },
      { flags: '--rate <r/s>', help: 'open loop: Poisson arrivals per second, e.g. 5/s', parse: ratePerS },
      { flags: '--duration <time>', help: 'stop sending after this long, e.g. 30s', parse: runDurationMs },
      {
        flags: '--warmup <n>',
        help: 'requests per pattern before measuring, excluded from figures; at least one per connection (the concurrency) unless 0',
        parse: parse.nonNegativeInt,
        default: 'the concurrency',
      },
      { flags: '--prompt <file>', help: 'a prompt file to send (repeatable)', parse: parse.collect, value: [], default: 'a built-in set' },
      { flags: '--workload <file>', help: 'take model, input and output sizes and fallback from a workload file' },
      { flags: '--name <workload>', help: 'which workload of --workload' },
      { flags: '--max-tokens <n>', help: 'output cap per request', parse: parse.positiveInt, default: `${BENCH.maxTokens}, or the workload's output tokens` },
      { flags: '--slo <targets>', help: 'goodput targets, e.g. ttft=800ms,latency=5s' },
      { flags: '--threshold <expr>', help: 'fail (exit 1) unless it holds, e.g. streaming.ttft_ms.p95<800, direct.errors_rate<0.01; repeatable', parse: parse.collect, value: [] },
      { flags: '--max-error-rate <r>', help: 'fail (exit 1) when a pattern\'s failed requests exceed this fraction, e.g. 0.02 or 2%', parse: parse.rate },
      { flags: '--max-spend <usd>', help: 'send nothing that could take the run past this spend (list prices)', parse: parse.nonNegativeNumber },
      { flags: '-o, --output <file>', help: 'also write the JSON result to this file' },
      { flags: '--out <file>', help: 'the same as --output', hidden: true },
      { flags: '--log <file>', help: 'JSONL request log: timing, tokens, status, retries (no keys, no prompt text)' },
      { flags: '--log-content', help: 'include prompt and answer text in --log' },
      { flags: '--force', help: 'replace an existing -o or --log file that aip bench did not write' },
      {
        flags: '--timeout <time>',
        help: 'per-request timeout',
        parse: durationMs('--timeout'),
        default: fromData((d) => `${d.policy.timeout.safetyFactor}× the expected time for the output length, at least ${d.policy.timeout.minS} s`),
      },
      { flags: '--idle-timeout <time>', help: 'longest silence between stream chunks', parse: durationMs('--idle-timeout'), default: fromData((d) => seconds(d.policy.timeout.idleS)) },
      { flags: '--retries <n>', help: 'retries per request after the first attempt', parse: parse.nonNegativeInt, default: fromData((d) => `${d.policy.retry.maxRetries}`) },
      {
        flags: '--backoff <time>',
        help: 'backoff base: retry n waits up to base×2^n, full jitter',
        parse: durationMs('--backoff'),
        default: fromData((d) => `${seconds(d.policy.retry.baseS)}, capped at ${seconds(d.policy.retry.capS)}; 529 waits ${seconds(d.policy.retry.overloadedBackoffS)}`),
      },
      {
        flags: '--breaker-threshold <n>',
        help: 'consecutive provider faults that open the circuit',
        parse: parse.positiveInt,
        default: fromData((d) => `${d.policy.circuitBreaker.consecutiveFailures}`),
      },
      { flags: '--breaker-cooldown <time>', help: 'how long the circuit stays open before a probe', parse: durationMs('--breaker-cooldown'), default: fromData((d) => seconds(d.policy.circuitBreaker.cooldownS)) },
      { flags: '--fallback <model>', help: 'model to use when the primary fails or its circuit is open' },
      { flags: '--cancel-on-exit', help: 'on Ctrl-C, cancel a batch already submitted' },
      { flags: '--seed <n>', help: 'seed for jitter, arrivals and the simulator', parse: parse.nonNegativeInt, default: BENCH.seed },
      { flags: '--latency-scale <f>', help: 'simulator only: multiply its delays (0 = none)', parse: parse.nonNegativeNumber, default: BENCH.latencyScale },
      { flags: '--fault <kind:rate>', help: 'simulator only: inject a fault, e.g. 429:0.1 (repeatable)', parse: parse.collect, value: [] },
      { flags: '--batch-turnaround <s>', help: 'simulator only: median batch turnaround in seconds before scaling', parse: positiveSeconds('--batch-turnaround'), default: BENCH.simBatchTurnaroundS },
      {
        flags: '--poll-interval <time>',
        help: 'first batch poll interval (grows 1.5× per poll)',
        parse: positiveDurationMs('--poll-interval'),
        default: {
          data: (d) => `${SIM_POLL_MS.first}ms × --latency-scale on the simulator; ${seconds(Math.min(REAL_FIRST_POLL_MAX_MS / 1000, d.policy.batchPollIntervalS))} on a real target`,
        },
      },
    ],
    examples: [
      ['aip bench', 'direct, streaming and batch against the built-in simulator (no key, no cost)'],
      ['aip bench --target openai --requests 20 --max-spend 0.05', 'against OpenAI (OPENAI_API_KEY), at most 5 cents'],
      ['aip bench --target openai --base-url http://localhost:8000/v1 --model llama-3.1-8b', 'a local OpenAI-compatible server (vLLM, Ollama)'],
      ["aip bench --workload aip.yaml --name support-chat --threshold 'streaming.ttft_ms.p95<800'", "a workload's sizes; fail unless the p95 TTFT is under 800 ms"],
    ],
    load: async () => (await import('./bench.js')).benchCommand,
  },
  {
    name: 'serve',
    description: 'run the built-in simulator of the OpenAI, Anthropic and Gemini APIs (latency profiles, fault injection)',
    options: [
      { flags: '--host <address>', help: 'interface to bind (loopback unless you say otherwise)', value: '127.0.0.1' },
      { flags: '--port <n>', help: 'port to listen on; 0 picks a free one', parse: parse.nonNegativeNumber, value: 0 },
      { flags: '--latency-scale <f>', help: 'multiply every delay (TTFT, tokens/s, stalls, batch turnaround); 0 = none', parse: parse.nonNegativeNumber, value: 1 },
      { flags: '--fault <kind:rate>', help: `inject a fault at a rate, e.g. 429:0.05 (${FAULT_KINDS.join(', ')}); repeatable`, parse: parse.collect, value: [] },
      { flags: '--seed <n>', help: 'seed for answers, jitter and faults', parse: parse.nonNegativeInt, value: 1 },
      { flags: '--rpm <n>', help: 'enforce requests per minute per model (429 beyond)', parse: parse.positiveInt },
      { flags: '--tpm <n>', help: 'enforce tokens per minute per model (429 beyond)', parse: parse.positiveInt },
      {
        flags: '--tier <tier>',
        help: "enforce the catalog's limits of this rate-limit tier, e.g. 2 or anthropic:build; repeatable",
        parse: parse.collect,
        value: [],
        default: "each provider's default tier, in headers only",
      },
      { flags: '--stall <seconds>', help: 'pause of the stall fault before scaling', parse: parse.nonNegativeNumber, default: DEFAULT_STALL_SECONDS },
    ],
    examples: [
      ['aip serve --port 8787', "OpenAI, Anthropic and Gemini APIs on http://127.0.0.1:8787 (point an SDK's base URL at it)"],
      ['aip serve --port 8787 --fault 429:0.05 --fault 500:0.01', 'with 5% rate-limit errors and 1% server errors'],
      ['aip serve --tier 1 --latency-scale 0', "the catalog's tier-1 limits, no delays (for tests)"],
    ],
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'import',
    description: 'turn usage exports and traces (OpenAI and Anthropic usage APIs, OpenTelemetry GenAI spans, LiteLLM spend logs, Langfuse, aip bench logs) into workloads; --recommend prices the traffic as sent against the advice',
    args: [{ name: '<file...>', help: 'exports, OTLP JSON span files or request logs (the format is detected)' }],
    options: [
      { flags: '-o, --output <file>', help: 'write the workload file here instead of stdout (never overwrites without --force)' },
      { flags: '--force', help: 'replace the output files' },
      { flags: '--from <format>', help: 'the input format, when detection cannot tell', choices: ['openai-usage', 'anthropic-usage', 'otlp', 'litellm', 'langfuse', 'aip-log'] },
      { flags: '--group-by <key>', help: 'split workloads by project (default), api_key, tag, operation, or an attribute/field name such as service.name' },
      {
        flags: '--latency <tolerance>',
        help: 'latency tolerance for the workloads (traffic cannot say it): 3s, 24h, …; or GLOB=TOLERANCE for some, e.g. "*-batch=24h"; repeatable',
        parse: parse.collect,
        value: [],
      },
      { flags: '--latency-rules <file>', help: 'YAML mapping of workload globs to tolerances, first match wins' },
      {
        flags: '--tier <provider=tier>',
        help: "the account's rate-limit tier at a provider, e.g. openai=4 or anthropic=build; repeatable. Without it, the lowest tier whose monthly spend cap the traffic's spend allows (written as inferred)",
        parse: parse.collect,
        value: [],
      },
      { flags: '--recommend', help: 'print what the traffic costs as sent next to the recommended patterns, and the saving' },
      { flags: '--calibration <file>', help: 'write measured speeds (TTFT, output tokens/s, percentiles, failures) as a --catalog overlay' },
    ],
    examples: [
      ['aip import usage.json --latency 3s -o aip.yaml', 'an OpenAI or Anthropic usage export into a workload file'],
      ["aip import spans.json --group-by service.name --latency '*-batch=24h' --latency 3s --recommend", 'OpenTelemetry spans, with what the traffic costs as sent'],
    ],
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    group: 'catalog',
    description: 'work with the price catalog',
    examples: [
      ['aip catalog update', 'the newest prices into the user cache'],
      ['aip catalog import-litellm model_prices_and_context_window.json -o litellm.yaml', "LiteLLM's price map as a --catalog file"],
    ],
    commands: [
      {
        name: 'import-litellm',
        description: "turn LiteLLM's public price map (model_prices_and_context_window.json) into a catalog file for --catalog",
        args: [{ name: '<file>', help: "LiteLLM's JSON price map" }],
        options: [
          { flags: '-o, --output <file>', help: 'write the catalog YAML here (never overwrites without --force)' },
          { flags: '--force', help: 'overwrite the output file' },
          { flags: '--provider <name>', help: 'only this provider (openai, anthropic, google); repeatable or comma-separated', parse: parse.collect, value: [] },
          { flags: '--all', help: 'import every chat and embedding model, not only those already in the catalog' },
          { flags: '--as-of <date>', help: 'the date of the LiteLLM file, YYYY-MM-DD', default: "the file's modification date" },
        ],
        examples: [
          ['aip catalog import-litellm model_prices_and_context_window.json -o litellm.yaml', "LiteLLM's price map as a catalog file"],
          ['aip recommend aip.yaml --catalog litellm.yaml', 'then price with it'],
        ],
        load: async () => (await import('./import-litellm.js')).importLitellmCommand,
      },
      {
        name: 'update',
        description: 'fetch the newest price data into the user cache; every later command uses it (the shipped catalog stays the offline default)',
        options: [
          { flags: '--from <url|file>', help: 'a mirror URL or an offline copy of the data', default: "the dataset's public feed" },
          { flags: '--as-of <date>', help: 'the date of the data in --from, as YYYY-MM-DD', default: "its Last-Modified date, or the file's" },
        ],
        examples: [
          ['aip catalog update', 'the newest prices into the user cache'],
          ['aip catalog update --from prices.json --as-of 2026-11-01', 'from an offline copy'],
        ],
        load: async () => (await import('./catalog-update.js')).catalogUpdateCommand,
      },
    ],
  },
];

type Invoke = (load: () => Promise<Action>) => (...args: unknown[]) => Promise<void>;

const specOf = new WeakMap<Option, OptionSpec>();

/** The table as commander commands on `program`. */
export function registerCommands(program: Command, invoke: Invoke, width = 80): void {
  program.addHelpText('after', examplesText(PROGRAM_EXAMPLES, width));
  for (const entry of COMMANDS) {
    if ('group' in entry) {
      const group = program.command(entry.group).description(entry.description);
      group.addHelpText('after', examplesText(entry.examples, width));
      for (const spec of entry.commands) addCommand(group, spec, invoke, width);
    } else addCommand(program, entry, invoke, width);
  }
}

function addCommand(parent: Command, spec: CommandSpec, invoke: Invoke, width: number): void {
  const command = parent.command(spec.name).description(spec.description);
  for (const a of spec.args ?? []) command.argument(a.name, a.help);
  for (const o of spec.options) {
    const option = new Option(o.flags, o.required ? `${o.help} (required)` : o.help);
    if (o.parse) option.argParser(o.parse as (value: string, previous: unknown) => unknown);
    if (o.value !== undefined) option.default(o.value);
    if (o.choices) option.choices(o.choices);
    if (o.required) option.makeOptionMandatory();
    if (o.hidden) option.hideHelp();
    specOf.set(option, o);
    command.addOption(option);
  }
  command.addHelpText('after', examplesText(spec.examples, width));
  command.action(invoke(spec.load));
}

/**
 * The EXAMPLES section: each command line, then what it does, indented below it, both within the width (a
 * long command line continues with " \\" as a shell reads it; the examples break only at spaces outside quotes).
 */
function examplesText(examples: ReadonlyArray<readonly [string, string]>, width: number): string {
  const command = (cmd: string) => {
    const line = `  $ ${cmd}`;
    if (line.length <= width) return line;
    const lines: string[] = [];
    let current = '  $';
    for (const word of cmd.split(' ')) {
      if (current.length + 1 + word.length > width - 2 && current.trim() !== '$' && current.trim() !== '') {
        lines.push(`${current} \\`);
        current = '       ';
      }
      current += `${current.endsWith(' ') ? '' : ' '}${word}`;
    }
    lines.push(current);
    return lines.join('\n');
  };
  return `\nEXAMPLES\n${examples.map(([cmd, what]) => `${command(cmd)}\n${wrapWords(`      ${what}`, width, '      ')}`).join('\n')}\n`;
}

/** Commands whose help shows defaults that are data (they need the catalog loaded to show them). */
const DATA_DEFAULT_COMMANDS = new Set(
  COMMANDS.flatMap((e) => ('group' in e ? e.commands : [e])).filter((c) => c.options.some((o) => typeof o.default === 'object')).map((c) => c.name),
);

/** Does this command line ask for the help of a command whose defaults are data? (`aip bench --help`, `aip help bench`.) */
export function helpNeedsData(args: readonly string[]): boolean {
  return args.some((a) => a === '--help' || a === '-h' || a === 'help') && args.some((a) => DATA_DEFAULT_COMMANDS.has(a));
}

/**
 * The help's option description: the option's help, then its default as the table states it (a data default
 * from `data`, or where it is not loaded, from where it comes), then what commander adds (choices, its defaults).
 * Repeatable options' "(default: [])" is left out (nothing a user needs).
 */
export function optionDescription(data: HelpData | undefined): (this: Help, option: Option) => string {
  return function (this: Help, option: Option): string {
    const spec = specOf.get(option);
    const shown = spec?.default === undefined ? undefined : typeof spec.default === 'object' ? (data ? spec.default.data(data) : THRESHOLDS_FILE) : `${spec.default}`;
    const emptyList = Array.isArray(option.defaultValue) && option.defaultValue.length === 0;
    if (shown === undefined && !emptyList) return Help.prototype.optionDescription.call(this, option);
    const view = Object.assign(Object.create(option) as Option, {
      ...(shown !== undefined ? { description: `${option.description} (default: ${shown})` } : {}),
      ...(emptyList ? { defaultValue: undefined } : {}),
    });
    return Help.prototype.optionDescription.call(this, view);
  };
}
