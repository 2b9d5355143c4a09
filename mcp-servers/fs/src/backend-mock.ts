import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { type DirEntry, type EntryStat, type Fence, type FsBackend, fsError, type RaceHook } from './backend.ts';

type Node =
  | { type: 'file'; data: Uint8Array; modifiedAt: string }
  | { type: 'directory'; modifiedAt: string }
  | { type: 'symlink'; target: string; modifiedAt: string };

const MAX_LINKS = 40;

/**
 * An in-memory tree with the disk backend's contract, symlinks and races included, so the contract
 * suite can prove confinement on both. Like the disk backend it checks, lets the `race` hook run,
 * then re-verifies the real path it is about to use: a component that turned into a symlink
 * meanwhile is ESYMLINK. `seed` copies a real directory in at `root`.
 */
export class MemoryFsBackend implements FsBackend {
  readonly kind = 'memory';
  private readonly nodes = new Map<string, Node>([['/', { type: 'directory', modifiedAt: now() }]]);

  constructor(private readonly race: RaceHook = () => {}) {}

  static seeded(root: string, seedDir?: string, race?: RaceHook): MemoryFsBackend {
    const backend = new MemoryFsBackend(race);
    backend.mkdirpSync(root);
    if (seedDir !== undefined) backend.copyIn(seedDir, root);
    return backend;
  }

  async realpath(path: string): Promise<string> {
    return this.resolve(path, true);
  }

  async lstat(path: string, fence: Fence = () => {}): Promise<EntryStat | undefined> {
    let target: string;
    try {
      target = await this.place(path, fence, 'lstat');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const node = this.nodes.get(target);
    return node === undefined ? undefined : statOf(node);
  }

  async readFile(path: string, fence: Fence, maxBytes: number): Promise<Uint8Array> {
    const real = this.resolve(path, true);
    fence(real);
    await this.race('readFile', path);
    this.verify(real);
    fence(real);
    const node = this.nodes.get(real);
    if (node?.type === 'directory') throw fsError('EISDIR', path);
    if (node?.type !== 'file') throw fsError('ENOENT', path);
    if (node.data.byteLength > maxBytes) throw fsError('EFBIG', path, { size: node.data.byteLength });
    return node.data.slice();
  }

  async writeFile(path: string, data: Uint8Array, fence: Fence, { exclusive = false } = {}): Promise<void> {
    const target = await this.place(path, fence, 'writeFile');
    const existing = this.nodes.get(target);
    if (existing?.type === 'directory') throw fsError('EISDIR', path);
    if (existing !== undefined && exclusive) throw fsError('EEXIST', path);
    // Like rename(2) over a symlink: the link is replaced, its target untouched.
    this.nodes.set(target, { type: 'file', data: data.slice(), modifiedAt: now() });
  }

  async mkdirp(path: string, fence: Fence): Promise<boolean> {
    const missing: string[] = [];
    let existing = posix.normalize(path);
    let real: string;
    for (;;) {
      try {
        real = this.resolve(existing, true);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || existing === '/') throw error;
        missing.unshift(posix.basename(existing));
        existing = posix.dirname(existing);
      }
    }
    fence(real);
    await this.race('mkdirp', path);
    this.verify(real);
    if (this.nodes.get(real)?.type !== 'directory') throw fsError(missing.length > 0 ? 'ENOTDIR' : 'EEXIST', path);
    let current = real;
    for (const name of missing) {
      current = posix.join(current, name);
      fence(current);
      const node = this.nodes.get(current);
      if (node?.type === 'symlink') throw fsError('ESYMLINK', `${current} changed during the call`);
      if (node !== undefined && node.type !== 'directory') throw fsError('ENOTDIR', current);
      if (node === undefined) this.nodes.set(current, { type: 'directory', modifiedAt: now() });
    }
    return missing.length > 0;
  }

  async readDir(path: string, fence: Fence): Promise<DirEntry[]> {
    const dir = this.resolve(path, true);
    fence(dir);
    await this.race('readDir', path);
    this.verify(dir);
    fence(dir);
    const node = this.nodes.get(dir);
    if (node === undefined) throw fsError('ENOENT', path);
    if (node.type !== 'directory') throw fsError('ENOTDIR', path);
    return this.children(dir).map((child) => ({ name: posix.basename(child), ...statOf(this.nodes.get(child) as Node) }));
  }

  async remove(path: string, recursive: boolean, fence: Fence): Promise<void> {
    const target = await this.place(path, fence, 'remove');
    const node = this.nodes.get(target);
    if (node === undefined) throw fsError('ENOENT', path);
    if (node.type === 'directory') {
      const inside = this.descendants(target);
      if (inside.length > 0 && !recursive) throw fsError('ENOTEMPTY', path);
      for (const key of inside) {
        fence(key);
        this.nodes.delete(key);
      }
    }
    this.nodes.delete(target);
  }

  async rename(from: string, to: string, fences: { from: Fence; to: Fence }, { overwrite }: { overwrite: boolean }): Promise<void> {
    const source = await this.place(from, fences.from, 'rename');
    const target = await this.place(to, fences.to, 'rename');
    const node = this.nodes.get(source);
    if (node === undefined) throw fsError('ENOENT', from);
    if (source === target) return;
    if (target.startsWith(`${source}/`)) throw fsError('EINVAL', `${to} is inside ${from}`);
    const existing = this.nodes.get(target);
    if (existing !== undefined) {
      if (!overwrite) throw fsError('EEXIST', to);
      if (existing.type === 'directory' && node.type !== 'directory') throw fsError('EISDIR', to);
      if (existing.type !== 'directory' && node.type === 'directory') throw fsError('ENOTDIR', to);
      if (existing.type === 'directory' && this.descendants(target).length > 0) throw fsError('ENOTEMPTY', to);
    }
    const moved = [source, ...this.descendants(source)];
    const entries = moved.map((key) => [target + key.slice(source.length), this.nodes.get(key) as Node] as const);
    for (const key of moved) this.nodes.delete(key);
    for (const [key, value] of entries) this.nodes.set(key, value);
  }

  /** Test helper: a symlink at `path` pointing to `target` (absolute or relative to its directory). */
  symlink(target: string, path: string): void {
    this.nodes.set(path, { type: 'symlink', target, modifiedAt: now() });
  }

  /** Test helper: removes whatever is at `path` (and below), like `rm -rf`, without any checks. */
  forceRemove(path: string): void {
    for (const key of this.descendants(path)) this.nodes.delete(key);
    this.nodes.delete(path);
  }

  async close(): Promise<void> {}

  /** The real parent joined with the final name (not followed), fenced, raced, then re-verified. */
  private async place(path: string, fence: Fence, operation: string): Promise<string> {
    const parent = this.resolve(posix.dirname(path), true);
    const target = posix.join(parent, posix.basename(path));
    fence(target);
    await this.race(operation, path);
    this.verify(parent);
    fence(target);
    return target;
  }

  /** The mock's "open and verify": every component of a real path must still be a real directory or file. */
  private verify(real: string): void {
    let current = '/';
    for (const part of real.split('/').filter(Boolean)) {
      current = posix.join(current, part);
      const node = this.nodes.get(current);
      if (node === undefined) throw fsError('ENOENT', real);
      if (node.type === 'symlink') throw fsError('ESYMLINK', `${real} changed during the call`);
    }
  }

  private descendants(dir: string): string[] {
    return [...this.nodes.keys()].filter((key) => key.startsWith(`${dir}/`));
  }

  private children(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    return [...this.nodes.keys()].filter((key) => key !== dir && key.startsWith(prefix) && !key.slice(prefix.length).includes('/')).sort();
  }

  /** Follows symlinks component by component, as realpath(3) does. */
  private resolve(path: string, followLast: boolean, depth = 0): string {
    if (depth > MAX_LINKS) throw fsError('ELOOP', path);
    let current = '/';
    const parts = posix.normalize(path).split('/').filter(Boolean);
    for (const [index, part] of parts.entries()) {
      const next = posix.join(current, part);
      const node = this.nodes.get(next);
      if (node === undefined) throw fsError('ENOENT', path);
      const last = index === parts.length - 1;
      if (node.type === 'symlink' && (!last || followLast)) {
        const target = posix.isAbsolute(node.target) ? node.target : posix.join(current, node.target);
        current = this.resolve(target, true, depth + 1);
      } else {
        if (!last && node.type !== 'directory') throw fsError('ENOTDIR', path);
        current = next;
      }
    }
    return current;
  }

  private mkdirpSync(path: string): void {
    let current = '/';
    for (const part of posix.normalize(path).split('/').filter(Boolean)) {
      current = posix.join(current, part);
      const node = this.nodes.get(current);
      if (node === undefined) this.nodes.set(current, { type: 'directory', modifiedAt: now() });
      else if (node.type === 'symlink') current = this.resolve(current, true);
      else if (node.type !== 'directory') throw fsError('EEXIST', current);
    }
  }

  private copyIn(from: string, to: string): void {
    for (const name of readdirSync(from)) {
      const source = join(from, name);
      const target = posix.join(to, name);
      if (statSync(source).isDirectory()) {
        this.mkdirpSync(target);
        this.copyIn(source, target);
      } else this.nodes.set(target, { type: 'file', data: new Uint8Array(readFileSync(source)), modifiedAt: now() });
    }
  }
}

function statOf(node: Node): EntryStat {
  return { type: node.type, size: node.type === 'file' ? node.data.byteLength : 0, modifiedAt: node.modifiedAt };
}

function now(): string {
  return new Date().toISOString();
}
