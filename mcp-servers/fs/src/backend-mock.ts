import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { type DirEntry, type EntryStat, type FsBackend, fsError } from './backend.ts';

type Node =
  | { type: 'file'; data: Uint8Array; modifiedAt: string }
  | { type: 'directory'; modifiedAt: string }
  | { type: 'symlink'; target: string; modifiedAt: string };

const MAX_LINKS = 40;

/**
 * An in-memory tree with the disk backend's contract, symlinks included, so the contract suite can
 * prove confinement on both. `seed` copies a real directory in at `root`.
 */
export class MemoryFsBackend implements FsBackend {
  readonly kind = 'memory';
  private readonly nodes = new Map<string, Node>([['/', { type: 'directory', modifiedAt: now() }]]);

  static seeded(root: string, seedDir?: string): MemoryFsBackend {
    const backend = new MemoryFsBackend();
    backend.mkdirpSync(root);
    if (seedDir !== undefined) backend.copyIn(seedDir, root);
    return backend;
  }

  async realpath(path: string): Promise<string> {
    return this.resolve(path, true);
  }

  async lstat(path: string): Promise<EntryStat | undefined> {
    let parent: string;
    try {
      parent = this.resolve(posix.dirname(path), true);
    } catch {
      return undefined;
    }
    const node = this.nodes.get(posix.join(parent, posix.basename(path)));
    if (node === undefined) return undefined;
    return { type: node.type, size: node.type === 'file' ? node.data.byteLength : 0, modifiedAt: node.modifiedAt };
  }

  async readFile(path: string): Promise<Uint8Array> {
    const node = this.nodes.get(this.resolve(path, true));
    if (node?.type === 'directory') throw fsError('EISDIR', path);
    if (node?.type !== 'file') throw fsError('ENOENT', path);
    return node.data.slice();
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const parent = this.resolve(posix.dirname(path), true);
    if (this.nodes.get(parent)?.type !== 'directory') throw fsError('ENOTDIR', posix.dirname(path));
    const target = posix.join(parent, posix.basename(path));
    if (this.nodes.get(target)?.type === 'directory') throw fsError('EISDIR', path);
    // Like rename(2) over a symlink: the link is replaced, its target untouched.
    this.nodes.set(target, { type: 'file', data: data.slice(), modifiedAt: now() });
  }

  async mkdirp(path: string): Promise<void> {
    this.mkdirpSync(path);
  }

  async readDir(path: string): Promise<DirEntry[]> {
    const dir = this.resolve(path, true);
    const node = this.nodes.get(dir);
    if (node === undefined) throw fsError('ENOENT', path);
    if (node.type !== 'directory') throw fsError('ENOTDIR', path);
    return this.children(dir).map((child) => ({ name: posix.basename(child), type: (this.nodes.get(child) as Node).type }));
  }

  async remove(path: string, recursive: boolean): Promise<void> {
    const parent = this.resolve(posix.dirname(path), true);
    const target = posix.join(parent, posix.basename(path));
    const node = this.nodes.get(target);
    if (node === undefined) throw fsError('ENOENT', path);
    if (node.type === 'directory') {
      const inside = [...this.nodes.keys()].filter((key) => key.startsWith(`${target}/`));
      if (inside.length > 0 && !recursive) throw fsError('ENOTEMPTY', path);
      for (const key of inside) this.nodes.delete(key);
    }
    this.nodes.delete(target);
  }

  /** Test helper: a symlink at `path` pointing to `target` (absolute or relative to its directory). */
  symlink(target: string, path: string): void {
    this.nodes.set(path, { type: 'symlink', target, modifiedAt: now() });
  }

  async close(): Promise<void> {}

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

function now(): string {
  return new Date().toISOString();
}
