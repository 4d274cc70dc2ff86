// The starter workload file "aip init" writes: two commented workloads (one a person watches, one that can
// wait) that `aip recommend` reads as they are, for the user to edit into their own. Pure text.

export interface StarterOptions {
  /** The `$schema=` reference, relative to the file (io/paths.ts schemaRefFor). */
  schemaRef: string;
  /** The file's name as the user will type it ("aip.yaml"). */
  fileName: string;
}

export function starterWorkloadFile(opts: StarterOptions): string {
  const check = opts.fileName === 'aip.yaml' ? 'aip recommend' : `aip recommend ${opts.fileName}`;
  return `# yaml-language-server: $schema=${opts.schemaRef}
# Workloads for aip: one entry per LLM feature of your product. Edit the values to yours, then run:
#   ${check}
# Every key is described in aip's docs/workload-file.md; "aip models" lists the model ids.
# Counts take units: 1.2k tokens, 300k/month, 10k/day, 20/min, 2/s (a month is 30 days).
version: 1

# Your account's rate-limit tier per provider (the limits checked are that tier's; without it, the lowest).
tiers:
  openai: 3
  # anthropic: 2

workloads:
  # A feature a person watches: a chat, an assistant, a search answer.
  - name: support-chat              # unique in the file
    model: gpt-4o-mini              # a catalog id (see "aip models"), or provider/model
    task: chat                      # chat, classification, extraction, embedding, summarization, ...
    volume: 10k/day                 # requests: 300000 (a month), 10k/day, 300/hour, 2/s
    latency: 3s                     # how long a caller may wait: 800ms, 3s, 15m, 24h, overnight
    user_facing: true               # a person watches the answer arrive
    input:
      tokens: 3k                    # mean input tokens per request (or prompt: prompts/*.md to count them)
      cached: 50%                   # share of the input read from the prompt cache (0.5 or 50%)
    output:
      tokens: 300                   # mean output tokens per request
      p95: 900                      # the long tail of the output (sets timeouts)
    peak_factor: 3                  # the busiest hour's rate over the average
    # fallback: claude-haiku-4-5    # the model to fail over to

  # A job that can wait: nightly summaries, a backlog, evaluations.
  - name: nightly-summaries
    model: gpt-4o-mini
    task: summarization
    volume: 5k/day
    latency: overnight              # results by the next morning: batch APIs cost about half
    input: { tokens: 4k }
    output: { tokens: 400 }

# Thresholds for "aip check" in CI (fail a pull request that raises the monthly bill by more than this).
# check:
#   max_increase: 10%
#   budget: 5000
`;
}
