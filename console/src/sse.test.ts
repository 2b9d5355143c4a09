import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from './sse.ts';

describe('SSE parser', () => {
  it('parses id, event and multi-line data, ignoring comments', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push(': keep-alive\nid: 7\nevent: running\ndata: {"a":1}\ndata: x\n\n'), [
      { id: '7', event: 'running', data: '{"a":1}\nx' },
    ]);
  });

  it('completes messages across chunk boundaries, CRLF split between chunks included', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('event: end\r'), []);
    assert.deepEqual(parser.push('\ndata: {"state":'), []);
    assert.deepEqual(parser.push('"succeeded"}\r\n\r\nda'), [{ event: 'end', data: '{"state":"succeeded"}' }]);
    assert.deepEqual(parser.push('ta: next\n\n'), [{ event: 'message', data: 'next' }]);
  });

  it('drops a message without data and keeps field values with colons', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('event: nothing\n\ndata: a: b\n\n'), [{ event: 'message', data: 'a: b' }]);
  });
});
