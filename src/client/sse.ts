// Server-sent events from a response body, via eventsource-parser (spec-complete: split lines, multi-line
// data, comments), each stamped with the monotonic time its bytes arrived. Line endings are normalised to LF
// here first, as each chunk arrives: CR, LF and CRLF are all allowed by the SSE spec, and a parser that waits
// for the character after a CR (is it CRLF?) would deliver each event of a bare-CR server one chunk late.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface TimedEvent extends EventSourceMessage {
  /** performance.now() when the chunk holding the end of this event arrived. */
  at: number;
}

/** CR and CRLF → LF, across chunk boundaries (a CRLF split between two chunks is one line ending). */
export class LineEndings {
  private afterCr = false;

  normalise(text: string): string {
    let t = text;
    if (this.afterCr && t.startsWith('\n')) t = t.slice(1);
    if (t.length === 0) return t;
    this.afterCr = t.endsWith('\r');
    return t.includes('\r') ? t.replace(/\r\n?/g, '\n') : t;
  }
}

/** `arrivalOf` gives the arrival time of the chunk just read (the body records it); else the time of reading. */
export async function* sseEvents(body: AsyncIterable<Uint8Array>, arrivalOf?: () => number): AsyncGenerator<TimedEvent> {
  const ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => void ready.push(e) });
  const decoder = new TextDecoder();
  const eol = new LineEndings();
  for await (const chunk of body) {
    const at = arrivalOf ? arrivalOf() : performance.now();
    parser.feed(eol.normalise(decoder.decode(chunk, { stream: true })));
    for (let i = 0; i < ready.length; i++) yield { ...ready[i]!, at };
    ready.length = 0;
  }
  // The body ended: a last event without its blank line is complete (the official SDKs flush it too).
  const at = arrivalOf ? arrivalOf() : performance.now();
  parser.feed(`${eol.normalise(decoder.decode())}\n\n`);
  for (const e of ready) yield { ...e, at };
}
