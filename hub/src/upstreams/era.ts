import {
  type Client,
  type DiscoverResult,
  type McpSubscription,
  ProtocolError,
  SdkError,
  type ServerCapabilities,
  type VersionNegotiationOptions,
} from '@modelcontextprotocol/client';
import type { UpstreamEra } from './connect.ts';

/** What a probe found out about an upstream, kept so a reconnect does not probe again. */
export type EraVerdict = { kind: 'modern'; discover: DiscoverResult } | { kind: 'legacy' };

/** One way of connecting: the SDK's negotiation mode, or a remembered verdict to adopt. */
export interface ConnectPlan {
  versionNegotiation?: VersionNegotiationOptions;
  prior?: EraVerdict;
}

const PIN_2026: ConnectPlan = { versionNegotiation: { mode: { pin: '2026-07-28' } } };

/**
 * The connects to try, in order, given the configured era and what the last connection learnt.
 * `auto` prefers the 2025 handshake while the upstream still speaks it (a server written for 2025
 * keeps its server-to-client requests, log levels and resource subscriptions working) and speaks
 * 2026-07-28 to one that refuses `initialize`. The verdict is remembered, so a reconnect goes
 * straight to the right era.
 */
export function connectPlans(era: UpstreamEra, verdict: EraVerdict | undefined): ConnectPlan[] {
  if (era === '2025') return [{}];
  if (era === '2026') return [PIN_2026];
  if (verdict?.kind === 'modern') return [{ prior: verdict }, PIN_2026];
  if (verdict?.kind === 'legacy') return [{}];
  return [{}, PIN_2026];
}

/** Did the server answer the handshake with a refusal (alive, but not speaking that era)? */
export function refusedHandshake(error: unknown): boolean {
  if (error instanceof ProtocolError) return true;
  const status = (error as { data?: { status?: unknown } } | undefined)?.data?.status;
  return error instanceof SdkError && typeof status === 'number' && status >= 400 && status < 500;
}

/** The verdict a finished connect leaves, for the next reconnect. */
export function verdictOf(client: Client): EraVerdict | undefined {
  if (client.getProtocolEra() === 'legacy') return { kind: 'legacy' };
  const discover = client.getDiscoverResult();
  return discover ? { kind: 'modern', discover } : undefined;
}

/**
 * After a modern connect: the server's current capabilities and instructions. A reconnect that
 * adopted a remembered verdict asks again, so a restarted (perhaps upgraded) server is seen as it is now.
 */
export async function refreshDiscovery(
  client: Client,
  adoptedPrior: boolean,
  timeout: number,
): Promise<{ capabilities: ServerCapabilities | undefined; instructions: string | undefined }> {
  if (client.getProtocolEra() !== 'modern') return { capabilities: client.getServerCapabilities(), instructions: client.getInstructions() };
  const discover = adoptedPrior ? await client.discover({ timeout }) : (client.getDiscoverResult() ?? (await client.discover({ timeout })));
  return { capabilities: discover.capabilities, instructions: discover.instructions };
}

/**
 * The `subscriptions/listen` stream a modern upstream pushes list changes and resource updates on
 * (a 2025-era upstream sends them unsolicited). Re-opened with a new filter when the hub's resource
 * subscriptions change (`reopen`); `onLost` hears of a stream that ended without being asked to.
 */
export class ListenStream {
  private subscription: McpSubscription | undefined;
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly capabilities: ServerCapabilities,
    /** The upstream URIs the hub watches now. */
    private readonly resources: () => readonly string[],
    private readonly onLost: (reason: string) => void,
  ) {}

  async reopen(): Promise<void> {
    const caps = this.capabilities;
    const watched = caps.resources?.subscribe ? this.resources() : [];
    const filter = {
      ...(caps.tools?.listChanged ? { toolsListChanged: true } : {}),
      ...(caps.prompts?.listChanged ? { promptsListChanged: true } : {}),
      ...(caps.resources?.listChanged ? { resourcesListChanged: true } : {}),
      ...(watched.length > 0 ? { resourceSubscriptions: [...watched] } : {}),
    };
    const previous = this.subscription;
    this.subscription = undefined;
    await previous?.close().catch(() => {});
    if (Object.keys(filter).length === 0 || this.closed) return;
    const subscription = await this.client.listen(filter);
    this.subscription = subscription;
    void subscription.closed.then((how) => {
      if (how !== 'local' && this.subscription === subscription && !this.closed) this.onLost(`listen stream ended (${how})`);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close().catch(() => {});
  }
}
