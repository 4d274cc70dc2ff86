// The run's spend, priced from the catalog, and the --max-spend gate, which fails closed:
// - before each attempt its worst case (its counted input plus the whole output cap) is reserved, and an
//   attempt is not sent when what was spent plus every reservation in flight plus its own would pass the cap;
// - an attempt the server refused (an HTTP error status, a connection that never reached it) costs nothing;
// - an attempt whose fate is unknown (a timeout, a lost connection, a stream cut, Ctrl-C) keeps its whole
//   reservation: the server may have done the work and may bill it;
// - an answer settles with the usage the server reported, or, when it reported none, with the tokens counted
//   here (input as reserved, output from the answer's text with the model's tokenizer) — and the run says so;
// - reported usage above the reservation is counted in full, recorded as an overrun, and stops the run: no
//   further attempt starts and those in flight are cut (stopSignal), each keeping its reservation.
// Unknown prices with a cap set are refused up front by the command.
import { requestCost } from '../core/recommend/cost/monthly.js';
import type { EffectivePrices } from '../core/recommend/cost/prices.js';
import type { ChatRequest, Usage } from '../client/providers/types.js';
import type { AttemptEnd, CallKind, SpendGate, SpendTicket } from '../client/resilient.js';

export type PricedPattern = CallKind | 'batch';

/** USD for one request's tokens, through the cost model `recommend` uses (cached input at the cached price, batch prices for batch). */
export function requestCostUsd(prices: EffectivePrices, usage: Usage, batch: boolean): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const cost = requestCost(
    { requestsPerMonth: 1, inputTokens: usage.inputTokens, cachedFraction: usage.inputTokens > 0 ? cached / usage.inputTokens : 0, outputTokens: usage.outputTokens },
    prices,
    batch ? 'batch' : 'direct',
  );
  return cost?.total ?? 0;
}

export interface LedgerOptions {
  /** undefined: no cap. */
  maxSpendUsd?: number;
  /** Prices for a model id, or undefined when the catalog has none. */
  pricesFor(model: string): EffectivePrices | undefined;
  /** Input tokens the request will be billed for (counted with the model's tokenizer). */
  inputTokens(req: ChatRequest): number;
  /** Output tokens of an answer's text (the model's tokenizer), for servers that report no usage. */
  outputTokens(text: string, model: string): number;
}

/** One batch item's end: its answer (usage and text), or undefined when it failed (not billed). */
export type BatchItemEnd = { usage?: Usage; text?: string } | undefined;

/** A reservation for a whole batch: settled once, with every item's end when the results came back. */
export interface BatchTicket {
  /** 'answered' with the items' ends; 'refused' when the batch surely was not created; 'unknown' otherwise. */
  settle(fate: AttemptEnd['fate'], items?: BatchItemEnd[]): void;
}

/** Floating-point slack when comparing a charge with its reservation. */
const EPSILON_USD = 1e-12;

export class SpendLedger implements SpendGate {
  private readonly spentBy: Record<PricedPattern, number> = { direct: 0, streaming: 0, batch: 0 };
  private reserved = 0;
  private inFlight = 0;
  private readonly stopper = new AbortController();
  /** Attempts (or batches) not sent because of the cap. */
  refused = 0;
  /** Some tokens could not be priced (a model without catalog prices). */
  unpriced = false;
  /** Answers without usage from the server: their tokens were counted by aip. */
  countedLocally = 0;
  /** Attempts whose fate is unknown (timeout, lost connection, cut stream, Ctrl-C): charged their whole reservation. */
  chargedWorstCase = 0;
  /** Attempts whose reported usage cost more than their reservation, and the USD above the reservations. */
  overruns = 0;
  overrunUsd = 0;

  constructor(private readonly o: LedgerOptions) {}

  get spentUsd(): number {
    return this.spentBy.direct + this.spentBy.streaming + this.spentBy.batch;
  }

  spentOn(pattern: PricedPattern): number {
    return this.spentBy[pattern];
  }

  /** USD reserved by attempts in flight. */
  get reservedUsd(): number {
    return Math.max(0, this.reserved);
  }

  /** The cap has stopped at least one send, or an answer cost more than it reserved. */
  get capped(): boolean {
    return this.refused > 0 || this.overruns > 0;
  }

  /** Aborted when an answer overran its reservation under a cap: the run stops and cuts what is in flight. */
  get stopSignal(): AbortSignal {
    return this.stopper.signal;
  }

  reserve(req: ChatRequest, kind: CallKind): SpendTicket | undefined {
    const t = this.open([req], kind);
    if (!t) return undefined;
    return { settle: (end) => t(end.fate, [end.fate === 'refused' ? undefined : { ...(end.usage ? { usage: end.usage } : {}), ...(end.text !== undefined ? { text: end.text } : {}) }]) };
  }

  /** One reservation for several requests (a batch is submitted whole or not at all). */
  reserveBatch(reqs: ChatRequest[]): BatchTicket | undefined {
    const t = this.open(reqs, 'batch');
    return t ? { settle: (fate, items) => t(fate, items ?? []) } : undefined;
  }

  private open(reqs: ChatRequest[], pattern: PricedPattern): ((fate: AttemptEnd['fate'], items: BatchItemEnd[]) => void) | undefined {
    const capped = this.o.maxSpendUsd !== undefined;
    const prices = reqs[0] ? this.o.pricesFor(reqs[0].model) : undefined;
    const batch = pattern === 'batch';
    // Without a cap nothing is refused and nothing reserved: the worst case is priced only when it is charged.
    let inputs: number[] | undefined;
    const inputsOf = () => (inputs ??= reqs.map((r) => this.o.inputTokens(r)));
    let worstUsd: number | undefined;
    const worst = () =>
      (worstUsd ??= prices ? reqs.reduce((sum, r, i) => sum + requestCostUsd(prices, { inputTokens: inputsOf()[i]!, outputTokens: r.maxTokens, cachedInputTokens: 0 }, batch), 0) : 0);
    if (capped) {
      if (this.stopper.signal.aborted || this.spentUsd + this.reserved + worst() > this.o.maxSpendUsd!) {
        this.refused += 1;
        return undefined;
      }
      this.reserved += worst();
    }
    this.inFlight += 1;
    let settled = false;
    return (fate, items) => {
      if (settled) return;
      settled = true;
      this.inFlight -= 1;
      if (capped) this.reserved -= worst();
      if (this.inFlight === 0) this.reserved = 0; // no drift from float sums once nothing is in flight
      if (!prices) {
        if (fate !== 'refused') this.unpriced = true;
        return;
      }
      let charged = 0;
      if (fate === 'answered' || fate === 'unknown') {
        for (let i = 0; i < reqs.length; i++) {
          const item = items[i];
          if (!item) continue;
          const r = reqs[i]!;
          let usage = item.usage;
          if (!usage) {
            if (fate !== 'answered') continue;
            this.countedLocally += 1;
            usage = { inputTokens: inputsOf()[i]!, outputTokens: this.o.outputTokens(item.text ?? '', r.model), cachedInputTokens: 0 };
          } else if (usage.estimated) {
            // The client already counted this answer with the tokenizer (bench's estimateUsage).
            if (fate === 'answered') this.countedLocally += 1;
            if (usage.inputTokens <= 0) usage = { ...usage, inputTokens: inputsOf()[i]! };
          } else if (usage.inputTokens <= 0) {
            // A stream cut before its usage event reports no input count: bill the input we sent.
            usage = { ...usage, inputTokens: inputsOf()[i]! };
          }
          charged += requestCostUsd(prices, usage, batch);
        }
      }
      if (fate === 'unknown') {
        // The server may have done (and may bill) the whole work: keep the reservation.
        this.chargedWorstCase += 1;
        charged = Math.max(charged, worst());
      }
      if (capped && charged > worst() + EPSILON_USD) {
        this.overruns += 1;
        this.overrunUsd += charged - worst();
        this.stopper.abort(new Error('spend cap: an answer cost more than its reservation'));
      }
      this.spentBy[pattern] += charged;
    };
  }
}
