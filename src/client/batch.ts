// A batch run: submit once (never twice — a create is retried only when the server surely did not take it),
// poll with growing intervals, fetch results and match them to requests by custom_id.
import { AttemptError, classifyThrown, neverReachedServer, type Failure } from './failure.js';
import type { Http } from './http.js';
import type { BatchItemOutcome, BatchStatus, ChatRequest, ProviderAdapter } from './providers/types.js';
import { retryDelayMs, sleep, type RetryPolicy } from './retry.js';

export interface BatchRunOptions {
  adapter: ProviderAdapter;
  http: Http;
  retry: RetryPolicy;
  random: () => number;
  /** First poll interval; each next one is 1.5× longer, up to maxPollMs. */
  pollMs: number;
  maxPollMs: number;
  signal?: AbortSignal;
  /** The whole run (submit, polls, download) ends this long after it started (bench's --duration). */
  deadlineMs?: number;
  clock?: () => number;
  /** Told the id as soon as the batch exists (so an interrupt can report or cancel it). */
  onSubmitted?: (id: string) => void;
  onPoll?: (status: BatchStatus) => void;
}

export interface BatchRun {
  batchId?: string;
  /** The provider's final status word, or why there is none. */
  status: string;
  /** Submit sent → results downloaded (monotonic ms). */
  turnaroundMs?: number;
  /** Submit sent → the provider accepted the batch. */
  submitMs?: number;
  polls: number;
  /** Per item, matched by custom_id; an item absent from the results is a failure of class batch_item_error. */
  items: Map<string, BatchItemOutcome>;
  /** Retries of submit, polls and downloads. */
  retries: number;
  /** Failures of the batch machinery itself (submit, polls, downloads), by class. */
  errors: Failure[];
  interrupted: boolean;
  /** Stopped polling at the deadline before the provider finished. */
  outOfTime: boolean;
  /** The server may hold a batch of ours without our knowing its id (a create that timed out or lost its connection). */
  maybeSubmitted: boolean;
  /** The provider said the batch is over and its results (if it has any) were read. */
  resultsRead: boolean;
  usageAvailable: boolean;
  /** The target has no batch API: the submission's request and its status ("POST /v1/files → 404"). */
  notAvailable?: string;
}

export async function runBatch(items: ChatRequest[], o: BatchRunOptions): Promise<BatchRun> {
  const clock = o.clock ?? (() => performance.now());
  const run: BatchRun = { status: 'not submitted', polls: 0, items: new Map(), retries: 0, errors: [], interrupted: false, outOfTime: false, maybeSubmitted: false, resultsRead: false, usageAvailable: false };
  const start = clock();
  const left = () => (o.deadlineMs === undefined ? Number.POSITIVE_INFINITY : o.deadlineMs - (clock() - start));

  // Submit.
  for (let retry = 0; ; retry++) {
    if (o.signal?.aborted) return { ...run, interrupted: true };
    try {
      run.batchId = await o.adapter.submitBatch(o.http, items, o.signal);
      run.submitMs = clock() - start;
      o.onSubmitted?.(run.batchId);
      break;
    } catch (err) {
      if (o.signal?.aborted) return { ...run, interrupted: true };
      const f = classifyThrown(err);
      // No batch API here (a server that serves chat only): not a failure of the target, nor of the batch.
      if (f.status === 404 || f.status === 405) return { ...run, status: 'not available', notAvailable: `${f.request ?? 'batch submission'} → ${f.status}` };
      run.errors.push(f);
      const rejected = err instanceof AttemptError && (f.status === 429 || f.status === 529);
      // An HTTP error status or a refused connection: the server surely has no batch of ours. Anything else
      // (a timeout, a connection lost mid-call) may have created one.
      const surelyNot = (err instanceof AttemptError && f.status !== undefined) || neverReachedServer(err);
      if (!(rejected || neverReachedServer(err)) || retry >= o.retry.maxRetries) return { ...run, status: 'submit failed', maybeSubmitted: !surelyNot };
      run.retries += 1;
      const wait = retryDelayMs(o.retry, retry, o.random, f.retryAfterMs);
      if (wait >= left()) return { ...run, status: 'submit failed', outOfTime: true };
      if (!(await pause(wait, o.signal))) return { ...run, interrupted: true };
    }
  }

  // Poll until the provider says it is over.
  let interval = o.pollMs;
  let status: BatchStatus | undefined;
  let failedPolls = 0;
  for (;;) {
    // --duration bounds the polling too: a batch still running at the deadline is reported (and cancelled on request).
    if (interval >= left()) return { ...run, outOfTime: true, status: status?.status ?? 'submitted' };
    if (!(await pause(interval, o.signal))) return { ...run, interrupted: true, status: status?.status ?? 'submitted' };
    try {
      status = await o.adapter.pollBatch(o.http, run.batchId, o.signal);
      run.polls += 1;
      failedPolls = 0;
      o.onPoll?.(status);
      if (status.terminal) break;
    } catch (err) {
      if (o.signal?.aborted) return { ...run, interrupted: true, status: status?.status ?? 'submitted' };
      const f = classifyThrown(err);
      run.errors.push(f);
      failedPolls += 1;
      // A poll is a read: safe to repeat; give up only after the provider fails many in a row.
      if (!f.retryable || failedPolls > o.retry.maxRetries) return { ...run, status: 'poll failed' };
      run.retries += 1;
    }
    interval = Math.min(o.maxPollMs, interval * 1.5);
  }
  run.status = status.status;

  // Download the results (a read: retried like a poll).
  if (status.hasResults) {
    for (let retry = 0; ; retry++) {
      try {
        run.items = await o.adapter.batchResults(o.http, status, o.signal);
        run.resultsRead = true;
        break;
      } catch (err) {
        if (o.signal?.aborted) return { ...run, interrupted: true };
        const f = classifyThrown(err);
        run.errors.push(f);
        if (!f.retryable || retry >= o.retry.maxRetries) break;
        run.retries += 1;
        const wait = retryDelayMs(o.retry, retry, o.random, f.retryAfterMs);
        if (wait >= left()) return { ...run, outOfTime: true };
        if (!(await pause(wait, o.signal))) return { ...run, interrupted: true };
      }
    }
  }
  if (!status.hasResults) run.resultsRead = true;
  run.turnaroundMs = clock() - start;
  // Requests the provider never reported on (an expired batch, a partial completion) are failures too.
  const expired = /expired/.test(status.status);
  for (const it of items) {
    if (!run.items.has(it.customId)) {
      run.items.set(it.customId, {
        ok: false,
        failure: { class: expired ? 'batch_expired' : 'batch_item_error', retryable: false, providerFault: false, message: `no result for ${it.customId} (batch ${status.status})` },
      });
    }
  }
  run.usageAvailable = [...run.items.values()].some((r) => r.ok && r.result.usage !== undefined);
  return run;
}

/** Wait; false when interrupted. */
async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}
