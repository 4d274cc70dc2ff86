// The run's spend, priced from the catalog, and the --max-spend gate: before each attempt the worst case
// (its input plus the whole output cap) is reserved; an attempt whose reservation would pass the cap is not
// sent. Failing closed: an unknown price with a cap set is refused up front by the command.
import { requestCost } from '../core/recommend/cost/monthly.js';
import type { EffectivePrices } from '../core/recommend/cost/prices.js';
import type { ChatRequest, Usage } from '../client/providers/types.js';
import type { CallKind, SpendGate, SpendTicket } from '../client/resilient.js';

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
}

export class SpendLedger implements SpendGate {
  private readonly spentBy: Record<PricedPattern, number> = { direct: 0, streaming: 0, batch: 0 };
  private reserved = 0;
  /** Attempts (or batches) not sent because of the cap. */
  refused = 0;
  /** Some tokens could not be priced (a model without catalog prices). */
  unpriced = false;

  constructor(private readonly o: LedgerOptions) {}

  get spentUsd(): number {
    return this.spentBy.direct + this.spentBy.streaming + this.spentBy.batch;
  }

  spentOn(pattern: PricedPattern): number {
    return this.spentBy[pattern];
  }

  /** The cap has stopped at least one send. */
  get capped(): boolean {
    return this.refused > 0;
  }

  reserve(req: ChatRequest, kind: CallKind): SpendTicket | undefined {
    // Without a cap nothing is refused: only the actual usage is recorded (no worst-case pricing per send).
    if (this.o.maxSpendUsd === undefined) return this.recorder(req, kind);
    return this.reserveMany([req], kind);
  }

  private recorder(req: ChatRequest, pattern: PricedPattern): SpendTicket {
    return {
      settle: (usage) => {
        if (!usage) return;
        const prices = this.o.pricesFor(req.model);
        if (!prices) {
          this.unpriced = true;
          return;
        }
        const filled = usage.inputTokens > 0 ? usage : { ...usage, inputTokens: this.o.inputTokens(req) };
        this.spentBy[pattern] += requestCostUsd(prices, filled, pattern === 'batch');
      },
    };
  }

  /** One reservation for several requests (a batch is submitted whole or not at all). */
  reserveMany(reqs: ChatRequest[], pattern: PricedPattern): SpendTicket | undefined {
    const prices = reqs[0] ? this.o.pricesFor(reqs[0].model) : undefined;
    const batch = pattern === 'batch';
    const inputs = reqs.map((r) => this.o.inputTokens(r));
    const worst = prices
      ? reqs.reduce((sum, r, i) => sum + requestCostUsd(prices, { inputTokens: inputs[i]!, outputTokens: r.maxTokens, cachedInputTokens: 0 }, batch), 0)
      : 0;
    if (this.o.maxSpendUsd !== undefined && this.spentUsd + this.reserved + worst > this.o.maxSpendUsd) {
      this.refused += 1;
      return undefined;
    }
    this.reserved += worst;
    let settled = false;
    return {
      settle: (usage) => {
        if (settled) return;
        settled = true;
        this.reserved -= worst;
        if (!prices) {
          if (usage) this.unpriced = true;
          return;
        }
        if (!usage) return; // refused before any work (429, 5xx): not billed
        // A broken stream reports no input count: bill the input we sent.
        const filled = usage.inputTokens > 0 ? usage : { ...usage, inputTokens: inputs[0] ?? 0 };
        this.spentBy[pattern] += requestCostUsd(prices, filled, batch);
      },
    };
  }

  /** Record a batch's billed usage per item (the ticket for the batch settles the reservation). */
  addBatchUsage(model: string, usages: Usage[]): void {
    const prices = this.o.pricesFor(model);
    if (!prices) {
      if (usages.length > 0) this.unpriced = true;
      return;
    }
    for (const u of usages) this.spentBy.batch += requestCostUsd(prices, u, true);
  }
}
