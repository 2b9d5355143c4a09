import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cancellableFetch } from './cancellable-fetch.ts';

function recorder() {
  const seen: { body: string; signal: AbortSignal | undefined }[] = [];
  const inner = (async (_input: unknown, init?: RequestInit) => {
    seen.push({ body: String(init?.body), signal: init?.signal ?? undefined });
    return new Response('{}');
  }) as typeof fetch;
  return { seen, inner };
}

const post = (message: object): RequestInit => ({ method: 'POST', body: JSON.stringify(message) });

describe('cancellableFetch', () => {
  it('aborts the POST of the request a notifications/cancelled names, and only that one', async () => {
    const { seen, inner } = recorder();
    const wrapped = cancellableFetch(inner);
    await wrapped('http://u/mcp', post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'slow' } }));
    await wrapped('http://u/mcp', post({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'other' } }));
    assert.equal(seen[0]?.signal?.aborted, false);
    await wrapped('http://u/mcp', post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'timeout' } }));
    assert.equal(seen[0]?.signal?.aborted, true, 'the cancelled request is closed');
    assert.equal(seen[1]?.signal?.aborted, false, 'the other is not');
    assert.equal(seen.length, 3, 'the notification itself still goes out');
  });

  it('keeps the caller’s own signal, and passes responses, GETs and odd bodies through untouched', async () => {
    const { seen, inner } = recorder();
    const wrapped = cancellableFetch(inner);
    const own = new AbortController();
    await wrapped('http://u/mcp', { ...post({ jsonrpc: '2.0', id: 1, method: 'ping' }), signal: own.signal });
    own.abort();
    assert.equal(seen[0]?.signal?.aborted, true);
    await wrapped('http://u/mcp', { method: 'GET' });
    await wrapped('http://u/mcp', { method: 'POST', body: 'not json' });
    await wrapped('http://u/mcp', post([{ jsonrpc: '2.0', id: 2, method: 'ping' }]));
    await wrapped('http://u/mcp', post({ jsonrpc: '2.0', id: 3, result: {} }));
    for (const call of seen.slice(1)) assert.equal(call.signal, undefined);
  });
});
