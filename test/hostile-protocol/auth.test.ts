// Credentials at /mcp: an expired token is refused with a challenge (another audience and a token in
// the query string are in test/hub-policy.test.ts), and the caller's token never travels on to an
// upstream, over HTTP (headers and bodies recorded) or stdio (the environment it runs with).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SignJWT } from 'jose';
import {
  type HostileHub,
  hostileUpstream,
  JWT_SECRET,
  KEYS,
  type RecordingUpstream,
  rawPost,
  startHostileHub,
  startRecordingUpstream,
} from './support.ts';

const jwt = (exp: string | number, aud = 'http://127.0.0.1/mcp') =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('mallory')
    .setIssuer('https://issuer.test')
    .setAudience(aud)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(JWT_SECRET));

describe('credentials at /mcp', () => {
  let recorder: RecordingUpstream;
  let running: HostileHub;

  before(async () => {
    recorder = await startRecordingUpstream();
    running = await startHostileHub({ rec: { url: recorder.url, healthIntervalMs: 0 }, fs: hostileUpstream() });
  });
  after(async () => {
    await running?.close();
    await recorder?.close();
  });

  it('answers an expired token with 401 and a WWW-Authenticate challenge', async () => {
    const expired = await jwt(Math.floor(Date.now() / 1000) - 60);
    const answer = await rawPost(running.url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${expired}` });
    assert.equal(answer.status, 401);
    assert.match(
      String(answer.headers['www-authenticate']),
      /^Bearer error="invalid_token", error_description="token has expired".*resource_metadata=/,
    );
    // The same token, unexpired, is served: the refusal was the expiry.
    const fresh = await rawPost(
      running.url,
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      },
      { authorization: `Bearer ${await jwt('2m')}` },
    );
    assert.equal(fresh.status, 200);
  });

  it("never passes the caller's token to an upstream: not in HTTP headers or bodies, not in a stdio server's environment", async () => {
    const token = await jwt('2m');
    const callers: {
      token: string;
      call: (name: string, args: Record<string, unknown>) => Promise<unknown>;
      close: () => Promise<void>;
    }[] = [];
    for (const bearer of [KEYS.alice, token]) {
      const init = { requestInit: { headers: { Authorization: `Bearer ${bearer}` } } };
      const modern = new Client({ name: 'modern', version: '1' });
      await modern.connect(new StreamableHTTPClientTransport(new URL(running.url), init));
      const legacy = new V1Client({ name: 'legacy', version: '1' });
      await legacy.connect(new V1Transport(new URL(running.url), init));
      callers.push(
        { token: bearer, call: (name, args) => modern.callTool({ name, arguments: args }), close: () => modern.close() },
        { token: bearer, call: (name, args) => legacy.callTool({ name, arguments: args }), close: () => legacy.close() },
      );
    }
    try {
      const seenBefore = recorder.headers.length;
      const environments: string[] = [];
      for (const caller of callers) {
        assert.deepEqual(((await caller.call('rec__echo', { text: 'hi' })) as { content: unknown }).content, [
          { type: 'text', text: 'hi' },
        ]);
        environments.push(((await caller.call('fs__env', {})) as { content: { text: string }[] }).content[0]?.text ?? '');
      }
      assert.ok(recorder.headers.length >= seenBefore + callers.length, 'the calls reached the recording upstream');
      const upstreamSaw = JSON.stringify({ headers: recorder.headers, bodies: recorder.bodies, environments });
      for (const secret of [KEYS.alice, KEYS.alice.slice(10, 30), token, token.split('.')[2] as string]) {
        assert.ok(!upstreamSaw.includes(secret), `an upstream saw the caller's token (${secret.slice(0, 8)}…)`);
      }
      assert.ok(
        recorder.headers.every((h) => h.authorization === undefined),
        'no Authorization header reached the upstream',
      );
    } finally {
      await Promise.allSettled(callers.map((c) => c.close()));
    }
  });
});
