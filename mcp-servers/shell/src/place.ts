import type { ShellBackend } from './backend.ts';
import { ShellConfinement } from './confine.ts';
import { type Executable, resolveAllowlist } from './executables.ts';

/** Where commands run: this machine, or one named host. Built once, reused by every call. */
export interface Place {
  /** undefined for this machine. */
  host: string | undefined;
  /** 'here' or "on host 'web1'", for messages. */
  where: string;
  backend: ShellBackend;
  executables: Map<string, Executable>;
  confinement: ShellConfinement;
  /** HOME for commands: never the server's own (its dotfiles and credentials stay out of reach). */
  home: string;
  roots: readonly string[];
}

export async function buildPlace(options: {
  host: string | undefined;
  backend: ShellBackend;
  allow: readonly string[];
  roots: readonly string[];
  protect: readonly string[];
  home: string;
}): Promise<Place> {
  const where = options.host === undefined ? 'here' : `on host '${options.host}'`;
  return {
    host: options.host,
    where,
    backend: options.backend,
    executables: await resolveAllowlist(options.backend, options.allow),
    confinement: new ShellConfinement(options.backend, options.roots, options.protect, where),
    home: options.home,
    roots: options.roots,
  };
}
