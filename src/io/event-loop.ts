// Letting the event loop run during long synchronous work (token counting), so Ctrl-C and other I/O are
// handled between steps. Core code takes this as an injected `pause` (it has no timers of its own).

/** Resolves after the event loop has handled pending I/O and signals (a setImmediate turn). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
