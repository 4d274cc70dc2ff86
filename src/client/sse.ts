// Server-sent events from a response body, via eventsource-parser (spec-complete: split lines, multi-line
// data, comments, CRLF), each stamped with the monotonic time its bytes arrived.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface TimedEvent extends EventSourceMessage {
  /** performance.now() when the chunk holding the end of this event arrived. */
  at: number;
}

/** `arrivalOf` gives the arrival time of the chunk just read (the body records it); else the time of reading. */
export async function* sseEvents(body: AsyncIterable<Uint8Array>, arrivalOf?: () => number): AsyncGenerator<TimedEvent> {
  const ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => void ready.push(e) });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    const at = arrivalOf ? arrivalOf() : performance.now();
    parser.feed(decoder.decode(chunk, { stream: true }));
    for (let i = 0; i < ready.length; i++) yield { ...ready[i]!, at };
    ready.length = 0;
  }
}
