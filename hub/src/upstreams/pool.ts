import type { Logger } from '@switchboard/kit';
import type { HubConfig } from '../config/index.ts';
import type { ConnectContext } from './connect.ts';
import { Upstream } from './upstream.ts';

export interface UpstreamStatus {
  name: string;
  state: Upstream['state'];
  tools: number;
  error?: string;
}

/** Every upstream of the hub. One failing upstream never stops the others from serving. */
export class UpstreamPool {
  readonly upstreams: Map<string, Upstream>;

  constructor(
    config: HubConfig,
    context: ConnectContext,
    private readonly logger: Logger,
  ) {
    this.upstreams = new Map(Object.entries(config.upstreams).map(([name, spec]) => [name, new Upstream(name, spec, context)]));
  }

  /** Connects all upstreams in parallel; failures are logged and reported by `status()`. */
  async connectAll(): Promise<void> {
    await Promise.all(
      [...this.upstreams.values()].map(async (upstream) => {
        try {
          await upstream.connect();
          this.logger.info({ upstream: upstream.name, tools: upstream.tools.length }, 'upstream connected');
        } catch (error) {
          this.logger.error({ upstream: upstream.name, err: error }, 'upstream failed to connect');
        }
      }),
    );
  }

  get(name: string): Upstream | undefined {
    return this.upstreams.get(name);
  }

  status(): UpstreamStatus[] {
    return [...this.upstreams.values()].map((u) => ({
      name: u.name,
      state: u.state,
      tools: u.tools.length,
      ...(u.lastError ? { error: u.lastError } : {}),
    }));
  }

  /** Ready when every configured upstream is connected. */
  ready(): boolean {
    return [...this.upstreams.values()].every((u) => u.state === 'connected');
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.upstreams.values()].map((u) => u.close()));
  }
}
