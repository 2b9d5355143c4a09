// Header and session attacks on /mcp that the existing tests do not already cover (a foreign Host
// and Origin, a stale session and a 2025-era request without a session are in
// hub/test/http-face.test.ts): Origin: null, an unknown protocol version, and a session id used
// with another principal's token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HostileHub, hostileUpstream, KEYS, LEGACY, openSession, rawPost, startHostileHub } from './support.ts';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

describe('header and session attacks at /mcp', () => {
  let running: HostileHub;

  before(async () => {
    running = await startHostileHub({ fs: hostileUpstream() });
  });
  after(async () => {
    await running?.close();
  });

  it('refuses Origin: null (sandboxed frames, file: pages) and a foreign Origin and Host with 403', async () => {
    for (const headers of [{ origin: 'null' }, { origin: 'http://evil.example' }, { host: 'attacker.example' }] as Record<
      string,
      string
    >[]) {
      const answer = await rawPost(running.url, initialize, headers);
      assert.equal(answer.status, 403, `${JSON.stringify(headers)}: ${answer.text}`);
    }
    assert.equal((await rawPost(running.url, initialize)).status, 200, 'the same request without them is served');
  });

  it('answers MCP-Protocol-Version: 1999-01-01 with 400', async () => {
    const session = await openSession(running.url);
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    const answer = await rawPost(running.url, list, { 'mcp-session-id': session, 'mcp-protocol-version': '1999-01-01' });
    assert.equal(answer.status, 400, answer.text);
    assert.match(answer.text, /Unsupported protocol version: 1999-01-01/);
    // Without a session the request is refused for that first (400 too).
    assert.equal((await rawPost(running.url, list, { 'mcp-protocol-version': '1999-01-01' })).status, 400);
  });

  it("refuses a session id presented with another principal's token, and the owner keeps it", async () => {
    const session = await openSession(running.url, KEYS.alice);
    const list = { jsonrpc: '2.0', id: 3, method: 'tools/list' };
    const stolen = await rawPost(running.url, list, {
      authorization: `Bearer ${KEYS.bob}`,
      'mcp-session-id': session,
      'mcp-protocol-version': LEGACY,
    });
    assert.equal(stolen.status, 404, stolen.text);
    assert.doesNotMatch(stolen.text, /fs__read_file/);
    const stolenGet = await fetch(running.url, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${KEYS.bob}`,
        'mcp-session-id': session,
        'mcp-protocol-version': LEGACY,
      },
    });
    assert.equal(stolenGet.status, 404);
    await stolenGet.body?.cancel();
    const stolenDelete = await fetch(running.url, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${KEYS.bob}`, 'mcp-session-id': session, 'mcp-protocol-version': LEGACY },
    });
    assert.equal(stolenDelete.status, 404);
    const owner = await rawPost(running.url, list, { 'mcp-session-id': session, 'mcp-protocol-version': LEGACY });
    assert.equal(owner.status, 200);
    assert.match(owner.text, /fs__read_file/);
  });
});
