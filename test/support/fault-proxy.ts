// A TCP proxy that injects network faults between a client (the hub) and a backend (an upstream, the
// task store): added latency, a bandwidth cap, connection resets (RST), and a black hole (accepts and
// holds connections, forwards nothing either way). Faults can be switched at any moment and apply to
// live connections too. Test tooling only.
import net, { type AddressInfo } from 'node:net';

export interface FaultProxy {
  readonly port: number;
  /** Connections open through the proxy now. */
  readonly connections: number;
  /** Connections accepted since start. */
  readonly accepted: number;
  /** Extra delay on every chunk (order is kept): both ways, or only towards the backend or the client. */
  setLatency(ms: number, direction?: Direction): void;
  /** Cap per direction and connection, in bytes per second; undefined lifts it. */
  setBandwidth(bytesPerSecond: number | undefined): void;
  /** While on: bytes are swallowed and new connections are accepted but never reach the backend. */
  setBlackHole(on: boolean): void;
  /** Resets (TCP RST) every open connection, both sides. Returns how many were reset. */
  resetAll(): number;
  /** While on: every new connection is reset at once. */
  setRefuse(on: boolean): void;
  close(): Promise<void>;
}

export type Direction = 'both' | 'toBackend' | 'toClient';

interface Pair {
  client: net.Socket;
  backend: net.Socket | undefined;
}

export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  const host = target.host ?? '127.0.0.1';
  const latencyMs = { toBackend: 0, toClient: 0 };
  let bandwidth: number | undefined;
  let blackHole = false;
  let refuse = false;
  let accepted = 0;
  const pairs = new Set<Pair>();

  /** Forwards `from` → `to` through the fault schedule; `nextFree` keeps chunks in order under delay. */
  const forward = (from: net.Socket, to: () => net.Socket | undefined, direction: 'toBackend' | 'toClient') => {
    let nextFree = 0;
    from.on('data', (chunk: Buffer) => {
      if (blackHole) return;
      const now = Date.now();
      const sendAt = Math.max(now + latencyMs[direction], nextFree);
      nextFree = sendAt + (bandwidth ? (chunk.length / bandwidth) * 1000 : 0);
      const write = () => {
        const out = to();
        if (out && !out.destroyed) out.write(chunk);
      };
      const wait = nextFree - now;
      if (wait <= 0) write();
      else setTimeout(write, wait);
    });
  };

  const server = net.createServer((client) => {
    accepted++;
    if (refuse) {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, backend: undefined };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (pair.backend && !pair.backend.destroyed) pair.backend.destroy();
    };
    client.on('error', drop);
    client.on('close', drop);
    forward(client, () => pair.backend, 'toBackend');
    // A black-holed connection stays unconnected: the client waits, as behind a dropped route.
    const connect = () => {
      if (client.destroyed) return;
      if (blackHole) {
        setTimeout(connect, 50);
        return;
      }
      const backend = net.connect({ host, port: target.port });
      pair.backend = backend;
      backend.on('error', () => {
        if (!client.destroyed) client.resetAndDestroy();
        drop();
      });
      backend.on('close', drop);
      // Bytes the client sends before the backend connected wait in the backend socket's write buffer.
      forward(backend, () => client, 'toClient');
    };
    connect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    get connections() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    setLatency(ms, direction = 'both') {
      if (direction !== 'toClient') latencyMs.toBackend = ms;
      if (direction !== 'toBackend') latencyMs.toClient = ms;
    },
    setBandwidth(bytesPerSecond) {
      bandwidth = bytesPerSecond;
    },
    setBlackHole(on) {
      blackHole = on;
    },
    setRefuse(on) {
      refuse = on;
    },
    resetAll() {
      const n = pairs.size;
      for (const pair of [...pairs]) {
        pair.client.resetAndDestroy();
        pair.backend?.resetAndDestroy();
        pairs.delete(pair);
      }
      return n;
    },
    async close() {
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.backend?.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
