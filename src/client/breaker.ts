// Circuit breaker: after N consecutive provider faults stop sending (open) for a cool-down, then let one
// probe through (half-open); its success closes the circuit, its failure opens it again. Clock handed in.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerPolicy {
  /** Consecutive provider faults that open the circuit (seed 001: "typically three to five"). */
  failureThreshold: number;
  /** How long the circuit stays open before a probe is let through. */
  cooldownMs: number;
}

export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  atMs: number;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutiveFaults = 0;
  private openedAtMs = 0;
  private probeInFlight = false;
  readonly transitions: BreakerTransition[] = [];

  constructor(
    readonly policy: BreakerPolicy,
    private readonly nowMs: () => number,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  /** May a request be sent now? In half-open only one probe is in flight at a time. */
  tryPass(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.nowMs() - this.openedAtMs < this.policy.cooldownMs) return false;
      this.move('half-open');
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when it would now). */
  waitMs(): number {
    if (this.current !== 'open') return 0;
    return Math.max(0, this.policy.cooldownMs - (this.nowMs() - this.openedAtMs));
  }

  onSuccess(): void {
    this.consecutiveFaults = 0;
    this.probeInFlight = false;
    if (this.current !== 'closed') this.move('closed');
  }

  /** A failed attempt. Only provider faults count: a 400 is our mistake, not the provider's trouble. */
  onFailure(providerFault: boolean): void {
    const wasProbe = this.current === 'half-open';
    this.probeInFlight = false;
    if (!providerFault) {
      if (wasProbe) this.move('closed'); // the provider answered: it is up
      return;
    }
    this.consecutiveFaults += 1;
    if (wasProbe || (this.current === 'closed' && this.consecutiveFaults >= this.policy.failureThreshold)) {
      this.openedAtMs = this.nowMs();
      this.move('open');
    }
  }

  /** The attempt ended without a verdict (aborted): free the probe slot. */
  onAbandoned(): void {
    this.probeInFlight = false;
  }

  private move(to: BreakerState): void {
    this.transitions.push({ from: this.current, to, atMs: this.nowMs() });
    this.current = to;
  }
}
