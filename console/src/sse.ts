import { authHeaders } from './api.ts';

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * Server-sent events parser (the WHATWG rules that matter here: `field: value` lines, `data` lines
 * joined with newlines, a blank line ends a message, `:` lines are comments, CRLF/CR/LF all end a
 * line). Feed it chunks as they arrive; it returns the messages each chunk completed.
 */
export class SseParser {
  private buffer = '';
  private current: { id?: string; event?: string; data: string[] } = { data: [] };

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (match === null || (match[0] === '\r' && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (this.current.data.length > 0)
          out.push({
            event: this.current.event ?? 'message',
            data: this.current.data.join('\n'),
            ...(this.current.id !== undefined ? { id: this.current.id } : {}),
          });
        this.current = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.current.data.push(value);
      else if (field === 'event') this.current.event = value;
      else if (field === 'id' && !value.includes('\0')) this.current.id = value;
    }
    return out;
  }
}

/**
 * Follows an SSE endpoint with the bearer token (EventSource cannot send headers), resuming after
 * the last event id when the stream drops, until `signal` aborts or `onMessage` returns 'stop'.
 */
export async function followSse(
  path: string,
  onMessage: (message: SseMessage) => 'stop' | undefined,
  signal: AbortSignal,
  onError: (error: Error) => void = () => {},
): Promise<void> {
  let lastId: string | undefined;
  let delayMs = 500;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { ...authHeaders(), accept: 'text/event-stream' };
      if (lastId !== undefined) headers['last-event-id'] = lastId;
      const response = await fetch(path, { headers, signal });
      if (!response.ok || response.body === null) throw new Error(`event stream: the hub answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) {
          if (message.id !== undefined) lastId = message.id;
          if (onMessage(message) === 'stop') {
            await reader.cancel();
            return;
          }
        }
        delayMs = 500;
      }
    } catch (error) {
      if (signal.aborted) return;
      onError(error as Error);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 10_000);
  }
}
