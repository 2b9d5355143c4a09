import { ToolError } from '@switchboard/kit';
import type { ShellBackend } from './backend.ts';
import { MockShellBackend } from './backend-mock.ts';
import { SshBackend } from './backend-ssh.ts';
import type { ShellConfig } from './config.ts';
import { buildPlace, type Place } from './place.ts';

/**
 * The named SSH hosts of the policy, each connected on first use and reconnected after a drop.
 * A host that cannot be reached answers for itself only; the others and this machine keep working.
 */
export class HostPool {
  private readonly places = new Map<string, Promise<Place>>();

  constructor(
    private readonly config: ShellConfig,
    private readonly localAllow: readonly string[],
    private readonly connect: (name: string) => Promise<ShellBackend> = (name) => defaultConnect(config, name),
  ) {}

  get names(): string[] {
    return Object.keys(this.config.policy.hosts);
  }

  async place(name: string): Promise<Place> {
    const host = this.config.policy.hosts[name];
    if (host === undefined) {
      throw new ToolError('NOT_FOUND', `host '${name}' is not configured; configured: ${this.names.join(', ') || '(none)'}`, 'host');
    }
    const cached = this.places.get(name);
    if (cached !== undefined) {
      const place = await cached.catch(() => undefined);
      if (place !== undefined && (!(place.backend instanceof SshBackend) || place.backend.alive)) return place;
      this.places.delete(name);
    }
    const building = this.connect(name).then((backend) =>
      buildPlace({
        host: name,
        backend,
        allow: host.allow ?? this.localAllow,
        roots: host.roots,
        protect: host.protect,
        home: '/nonexistent',
      }),
    );
    this.places.set(name, building);
    building.catch(() => this.places.delete(name));
    return building;
  }

  async close(): Promise<void> {
    const places = await Promise.allSettled(this.places.values());
    await Promise.all(places.map((p) => (p.status === 'fulfilled' ? p.value.backend.close() : undefined)));
    this.places.clear();
  }
}

function defaultConnect(config: ShellConfig, name: string): Promise<ShellBackend> {
  const host = config.policy.hosts[name];
  if (host === undefined) throw new ToolError('NOT_FOUND', `host '${name}' is not configured`, 'host');
  if (config.mock) return Promise.resolve(new MockShellBackend(host.roots));
  return SshBackend.connect(name, host);
}
