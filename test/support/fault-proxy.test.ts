// The fault proxy itself, against a TCP echo server. Delays are checked only as lower bounds (a timer
// never fires early), so nothing here depends on the machine's speed.
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';

function echoServer(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Sends `payload` and resolves with the time until all of it came back, or rejects with the socket error. */
function roundTrip(port: number, payload: Buffer, socket = net.connect({ port, host: '127.0.0.1' })): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let got = 0;
    socket.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got >= payload.length) {
        socket.end();
        resolve(Date.now() - t0);
      }
    });
    socket.on('error', reject);
    socket.write(payload);
  });
}

describe('fault proxy', () => {
  let backend: net.Server;
  let proxy: FaultProxy;
  before(async () => {
    backend = await echoServer();
    proxy = await startFaultProxy({ port: (backend.address() as AddressInfo).port });
  });
  after(async () => {
    await proxy.close();
    await new Promise((resolve) => backend.close(resolve));
  });

  it('passes bytes through both ways unchanged', async () => {
    const payload = Buffer.from('x'.repeat(100_000));
    const socket = net.connect({ port: proxy.port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    await roundTrip(proxy.port, payload, socket);
    assert.deepEqual(Buffer.concat(chunks), payload);
  });

  it('adds latency each way', async () => {
    proxy.setLatency(150);
    try {
      const ms = await roundTrip(proxy.port, Buffer.from('ping'));
      assert.ok(ms >= 300, `a round trip through 150 ms each way took ${ms} ms`);
    } finally {
      proxy.setLatency(0);
    }
  });

  it('delays one direction only when told', async () => {
    proxy.setLatency(300, 'toClient');
    try {
      const socket = net.connect({ port: proxy.port, host: '127.0.0.1' });
      const ms = await roundTrip(proxy.port, Buffer.from('ping'), socket);
      assert.ok(ms >= 300, `the answer was held back for 300 ms, came in ${ms} ms`);
    } finally {
      proxy.setLatency(0);
    }
  });

  it('caps the bandwidth', async () => {
    proxy.setBandwidth(50_000);
    try {
      // 20 kB each way at 50 kB/s: at least 0.4 s per direction once the first chunk is through.
      const ms = await roundTrip(proxy.port, Buffer.alloc(40_000, 1));
      assert.ok(ms >= 400, `40 kB at 50 kB/s came back in ${ms} ms`);
    } finally {
      proxy.setBandwidth(undefined);
    }
  });

  it('resets open connections (the client sees ECONNRESET) and serves new ones afterwards', async () => {
    const socket = net.connect({ port: proxy.port, host: '127.0.0.1' });
    await roundTrip(proxy.port, Buffer.from('warm'), socket).catch(() => {});
    const victim = net.connect({ port: proxy.port, host: '127.0.0.1' });
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => victim.on('error', resolve));
    await new Promise((resolve) => victim.once('connect', resolve));
    while (proxy.connections < 1) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(proxy.resetAll() >= 1);
    assert.equal((await failed).code, 'ECONNRESET');
    assert.equal(typeof (await roundTrip(proxy.port, Buffer.from('again'))), 'number');
  });

  it('refuses new connections with a reset while told to', async () => {
    proxy.setRefuse(true);
    try {
      await assert.rejects(roundTrip(proxy.port, Buffer.from('x')), { code: 'ECONNRESET' });
    } finally {
      proxy.setRefuse(false);
    }
  });

  it('black-holes: holds the connection, answers nothing, and lets new traffic through once lifted', async () => {
    proxy.setBlackHole(true);
    const socket = net.connect({ port: proxy.port, host: '127.0.0.1' });
    let received = 0;
    socket.on('data', (c: Buffer) => {
      received += c.length;
    });
    let closed = false;
    socket.on('close', () => {
      closed = true;
    });
    socket.write('lost');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(received, 0);
    assert.equal(closed, false, 'a black hole does not close the connection');
    proxy.setBlackHole(false);
    socket.destroy();
    assert.equal(typeof (await roundTrip(proxy.port, Buffer.from('after'))), 'number');
  });
});
