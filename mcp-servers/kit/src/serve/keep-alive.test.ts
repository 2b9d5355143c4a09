import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { KEEP_ALIVE_MS, keepAliveLonger } from './keep-alive.ts';

describe('keepAliveLonger', () => {
  it('keeps an idle client socket open past Node’s 5 s default, and says so in Keep-Alive', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    keepAliveLonger(server);
    assert.equal(server.keepAliveTimeout, KEEP_ALIVE_MS);
    assert.ok(server.headersTimeout > server.keepAliveTimeout, 'headersTimeout must exceed keepAliveTimeout');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const header = await new Promise<string | undefined>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', headers: { connection: 'keep-alive' } }, (res) => {
        res.resume();
        resolve(String(res.headers['keep-alive']));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(header, `timeout=${KEEP_ALIVE_MS / 1000}`);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});
