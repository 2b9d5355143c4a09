import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { HASH_LENGTHS, hashedName, namespacedName, SEPARATOR } from './names.ts';

/** Tools and prompts are separate namespaces (a tool and a prompt may share a name). */
export type NameKind = 'tool' | 'prompt';

export interface NameAssignment {
  kind: NameKind;
  upstream: string;
  /** The name on the upstream. */
  original: string;
  /** The name clients see. */
  name: string;
  /** True when it is not simply `<upstream><separator><original>` (shortened, sanitised or de-collided). */
  rewritten: boolean;
}

interface ClaimsFile {
  /** `<kind>:<exposed name>` → `<upstream>\u0000<original>`: who keeps a name that was contested. */
  claims: Record<string, string>;
}

/**
 * The names clients see for upstream tools and prompts, and the way back. Names come from
 * `namespacedName` (pure, so replicas and restarts agree); only when two originals want the same
 * name does history decide: the one that had it keeps it, the newcomer gets the hashed form. Such
 * contested names are kept in a small JSON file (`names.file`, default `<dataDir>/tool-names.json`)
 * so the winner stays the winner across restarts, whatever order upstreams connect in.
 */
export class NameRegistry {
  private readonly byOriginal = new Map<string, NameAssignment>();
  private readonly byName = new Map<string, NameAssignment>();
  private claims: Record<string, string> = {};

  constructor(
    readonly separator: string = SEPARATOR,
    private readonly file?: string,
    private readonly onWriteError?: (error: Error) => void,
  ) {
    if (file === undefined) return;
    try {
      this.claims = (JSON.parse(readFileSync(file, 'utf8')) as ClaimsFile).claims ?? {};
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') onWriteError?.(error as Error);
    }
  }

  /** The exposed name of `original` on `upstream`, assigning one on first sight. */
  nameOf(kind: NameKind, upstream: string, original: string): string {
    const key = originalKey(upstream, original);
    const known = this.byOriginal.get(`${kind}:${key}`);
    if (known !== undefined) return known.name;
    const natural = namespacedName(upstream, original, this.separator);
    const holder = this.byName.get(`${kind}:${natural}`);
    const claimant = this.claims[`${kind}:${natural}`];
    let name = natural;
    if (holder !== undefined) {
      // Taken in this process: the holder keeps it, and from now on across restarts too.
      if (claimant === undefined) this.claim(kind, natural, originalKey(holder.upstream, holder.original));
      name = this.freeHashedName(kind, upstream, original);
    } else if (claimant !== undefined && claimant !== key) {
      // Reserved for an original seen before the last restart (maybe not connected yet).
      name = this.freeHashedName(kind, upstream, original);
    }
    const assignment: NameAssignment = {
      kind,
      upstream,
      original,
      name,
      rewritten: name !== `${upstream}${this.separator}${original}`,
    };
    this.byOriginal.set(`${kind}:${key}`, assignment);
    this.byName.set(`${kind}:${name}`, assignment);
    return name;
  }

  /** Which upstream and original an exposed name stands for. */
  resolve(kind: NameKind, name: string): NameAssignment | undefined {
    return this.byName.get(`${kind}:${name}`);
  }

  /** Every name handed out so far, sorted by exposed name (for `switchboard tools`). */
  assignments(kind?: NameKind): NameAssignment[] {
    return [...this.byName.values()].filter((a) => kind === undefined || a.kind === kind).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private freeHashedName(kind: NameKind, upstream: string, original: string): string {
    for (const length of HASH_LENGTHS) {
      const candidate = hashedName(upstream, original, this.separator, length);
      const claimant = this.claims[`${kind}:${candidate}`];
      if (!this.byName.has(`${kind}:${candidate}`) && (claimant === undefined || claimant === originalKey(upstream, original))) {
        return candidate;
      }
    }
    throw new Error(`cannot find a free name for ${kind} '${original}' of upstream '${upstream}'`);
  }

  private claim(kind: NameKind, name: string, key: string): void {
    this.claims[`${kind}:${name}`] = key;
    if (this.file === undefined) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ claims: this.claims } satisfies ClaimsFile, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, this.file);
    } catch (error) {
      this.onWriteError?.(error as Error);
    }
  }
}

function originalKey(upstream: string, original: string): string {
  return `${upstream}\u0000${original}`;
}

/** The registry a hub runs with: `names.separator`, contested names kept in `names.file` (default `<dataDir>/tool-names.json`). */
export function nameRegistryOf(
  names: { separator: string; file?: string | undefined },
  baseDir: string,
  dataDir: string,
  onWriteError?: (error: Error) => void,
): NameRegistry {
  return new NameRegistry(names.separator, resolve(baseDir, names.file ?? join(dataDir, 'tool-names.json')), onWriteError);
}
