import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';

/** One way of backing a server under test: the in-memory mock, or the real service. */
export interface ContractBackend<F = unknown> {
  name: string;
  /** Resolves to null when the backend can be used, or to the reason it cannot (service unreachable…). */
  unavailable?: () => Promise<string | null>;
  /** Starts the backend; `fixture` is whatever the suite needs to seed or inspect it. */
  setup: () => Promise<{ factory: () => McpServer; teardown?: () => Promise<void>; fixture: F }>;
}

export interface ContractHarness<F> {
  /** The backend this run of the suite is bound to. */
  readonly backend: string;
  readonly fixture: F;
  readonly client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
}

/**
 * Registers the same suite once per backend. The mock always runs; a real backend whose service is
 * unreachable is skipped with its reason printed, or fails when REQUIRE_SERVICES=1 (CI), so a
 * missing service can never make the suite pass vacuously.
 */
export async function contractSuite<F>(
  server: string,
  backends: ContractBackend<F>[],
  body: (h: ContractHarness<F>) => void,
): Promise<void> {
  for (const backend of backends) {
    const reason = (await backend.unavailable?.()) ?? null;
    const title = `${server} contract [${backend.name}]`;
    if (reason !== null) {
      if (process.env.REQUIRE_SERVICES === '1') {
        it(`${title}: backend is reachable`, () => assert.fail(`REQUIRE_SERVICES=1 but ${backend.name} backend is unavailable: ${reason}`));
      } else {
        process.stderr.write(`skipping ${title}: ${reason}\n`);
        describe(title, { skip: reason }, () => {});
      }
      continue;
    }
    describe(title, () => {
      const harness = lazyHarness<F>(backend.name);
      let teardown: (() => Promise<void>) | undefined;
      before(async () => {
        const started = await backend.setup();
        teardown = started.teardown;
        await harness.bind(started.factory, started.fixture);
      });
      after(async () => {
        await harness.unbind();
        await teardown?.();
      });
      body(harness);
    });
  }
}

function lazyHarness<F>(
  backend: string,
): ContractHarness<F> & { bind(factory: () => McpServer, fixture: F): Promise<void>; unbind(): Promise<void> } {
  let client: Client | undefined;
  let server: McpServer | undefined;
  let fixture: F | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('contract harness used outside its suite');
    return value;
  };
  return {
    backend,
    get fixture() {
      return need(fixture);
    },
    get client() {
      return need(client);
    },
    call: (name, args = {}) => need(client).callTool({ name, arguments: args }) as Promise<CallToolResult>,
    async bind(factory, value) {
      fixture = value;
      server = factory();
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      client = new Client({ name: 'contract-suite', version: '0.0.0' });
      await client.connect(clientSide);
    },
    async unbind() {
      await client?.close();
      await server?.close();
    },
  };
}
