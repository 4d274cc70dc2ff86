// Text made safe for the HTML report: untrusted text (workload names, file paths, catalog entries, reasons
// that quote them) has its control and bidirectional characters shown visibly (core/safe-text.ts `inline`),
// then the five characters that mean something in HTML escaped, so it is always text, in an element or in a
// quoted attribute, never markup.
import { inline, redactUrl } from '../../core/safe-text.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The five HTML-special characters as entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Untrusted one-line text for an element or an attribute. */
export function html(text: string): string {
  return escapeHtml(inline(text));
}

/** A link for a source that is an http(s) URL; other sources as text. */
export function sourceHtml(text: string): string {
  const source = redactUrl(text);
  const shown = html(source);
  return /^https?:\/\/[^\s"'<>]+$/.test(source) ? `<a href="${shown}" rel="noreferrer">${shown}</a>` : shown;
}
