import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** What a hostile input must never reach: a secret's text appearing in any answer means a leak. */
export const SECRET = 'TOP-SECRET-3f9a';

/**
 * A directory tree around the server's root. `root` is what the server may touch; everything else
 * under `base` is the surroundings, which must be byte-for-byte the same after every hostile call:
 *
 *   base/root/          the server's root (config/ inside it is protected)
 *   base/root-evil/     prefix confusion target
 *   base/outside/       secret.txt, a canary directory, where escapes would land
 */
export interface Sandbox {
  base: string;
  root: string;
  outside: string;
  /** Absolute path of a file outside the root holding SECRET. */
  secret: string;
  /** A protected directory inside the root, holding switchboard.yaml. */
  protectedDir: string;
  /** Hash of everything under `base` except `root`: names, types, modes, sizes, contents, link targets. */
  surroundings(): string;
  remove(): void;
}

export function createSandbox(label: string): Sandbox {
  const base = realpathSync(mkdtempSync(join(tmpdir(), `sb-adv-${label}-`)));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  for (const dir of [root, outside, join(outside, 'canary-dir'), join(base, 'root-evil'), join(root, 'config')])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  writeFileSync(join(outside, 'canary-dir', 'keep.txt'), 'do not touch');
  writeFileSync(join(base, 'root-evil', 'secret.txt'), SECRET);
  writeFileSync(join(root, 'config', 'switchboard.yaml'), `# ${SECRET}\nroles: ../roles\n`);
  return {
    base,
    root,
    outside,
    secret: join(outside, 'secret.txt'),
    protectedDir: join(root, 'config'),
    surroundings: () => hashTree(base, new Set([root])),
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

function hashTree(base: string, skip: Set<string>): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (skip.has(path)) continue;
      const stats = lstatSync(path);
      hash.update(`${relative(base, path)}\0${stats.mode}\0${stats.size}\0`);
      if (stats.isSymbolicLink()) hash.update(readlinkSync(path));
      else if (stats.isFile()) hash.update(readFileSync(path));
      else if (stats.isDirectory()) visit(path);
      hash.update('\n');
    }
  };
  visit(base);
  return hash.digest('hex');
}
