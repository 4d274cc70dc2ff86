// Where an API key may go: its provider's own API host, this machine (loopback), or a host the user named with
// --send-key-to. Shared by bench (--base-url) and tokens --exact (ANTHROPIC_BASE_URL).
import { UsageError } from '../core/errors.js';

export type KeyedProvider = 'openai' | 'anthropic' | 'gemini';

/** Hosts that may always receive a key: each provider's own API host (the key was made for it). */
const PROVIDER_HOSTS: Record<KeyedProvider, string> = { openai: 'api.openai.com', anthropic: 'api.anthropic.com', gemini: 'generativelanguage.googleapis.com' };

/**
 * localhost, 127.0.0.0/8 and ::1: this machine. Not *.localhost (not every resolver keeps it local) and not
 * 0.0.0.0: a key goes there only with --send-key-to.
 */
function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '::1';
}

/**
 * Whether the key may go to this URL's host: the provider's own host, loopback, or a host the user named with
 * --send-key-to (host or host:port). Anything else — a proxy, a remote self-hosted server, a typo — gets no key.
 */
export function keyMaySendTo(url: URL, target: KeyedProvider, allowed: readonly string[] = []): boolean {
  const host = url.hostname.toLowerCase();
  if (host === PROVIDER_HOSTS[target] || isLoopback(host)) return true;
  return allowed.some((a) => {
    const want = a.trim().toLowerCase();
    return want === host || want === url.host.toLowerCase() || want === `[${host.replace(/^\[|\]$/g, '')}]`;
  });
}

/** --send-key-to values are host names (or host:port), never URLs: a URL there is a mistake, and may hold credentials. */
export function checkSendKeyTo(hosts: readonly string[] | undefined): void {
  for (const h of hosts ?? []) {
    if (!h.trim() || /[/@\s]/.test(h.trim())) throw new UsageError('--send-key-to takes a host name', { option: '--send-key-to', expected: 'a host or host:port, e.g. llm.internal.example.com (not a URL)', code: 'E_URL' });
  }
}
