import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A package (or folder) and what it may not import. */
export interface LayerRule {
  /** Folder, relative to the repo root, whose files the rule covers. */
  dir: string;
  /** Why: printed with each violation. */
  reason: string;
  /** Returns a complaint when `specifier` (as written) is forbidden for a file in `dir`, else null. */
  forbids(specifier: string, resolvedPath: string | null): string | null;
}

export interface Violation {
  file: string;
  specifier: string;
  complaint: string;
}

const importPattern =
  /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Every module specifier a source text imports, statically or dynamically. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier) found.push(specifier);
  }
  return found;
}

/** Checks one file's source against the rules that cover it. Pure: the caller reads the file. */
export function checkFile(root: string, file: string, source: string, rules: LayerRule[]): Violation[] {
  const rel = relative(root, file);
  const violations: Violation[] = [];
  for (const rule of rules) {
    if (!rel.startsWith(`${rule.dir}/`)) continue;
    for (const specifier of importsOf(source)) {
      const resolvedPath = specifier.startsWith('.') ? relative(root, resolve(dirname(file), specifier)) : null;
      const complaint = rule.forbids(specifier, resolvedPath);
      if (complaint) violations.push({ file: rel, specifier, complaint: `${complaint} (${rule.reason})` });
    }
  }
  return violations;
}

export function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, found);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) found.push(path);
  }
  return found;
}

export function checkTree(root: string, rules: LayerRule[]): Violation[] {
  const dirs = [...new Set(rules.map((rule) => rule.dir))].filter((dir) => {
    try {
      return statSync(join(root, dir)).isDirectory();
    } catch {
      return false;
    }
  });
  return dirs.flatMap((dir) => sourceFiles(join(root, dir)).flatMap((file) => checkFile(root, file, readFileSync(file, 'utf8'), rules)));
}

const ownPackage = (specifier: string) => specifier.startsWith('@switchboard/');

/** Stays inside `dir` when the import is relative. */
const staysInside = (dir: string) => (specifier: string, resolvedPath: string | null) =>
  resolvedPath !== null && resolvedPath !== dir && !resolvedPath.startsWith(`${dir}/`) ? `'${specifier}' reaches outside ${dir}` : null;

/** The project's layering, per DESIGN.md §3: kit ← servers; kit ← hub; hub ↔ servers only over MCP. */
export function projectRules(serverDirs: string[]): LayerRule[] {
  const rules: LayerRule[] = [
    {
      dir: 'mcp-servers/kit',
      reason: 'kit is imported by every server and imports nothing of this repo',
      forbids: (s, r) => (ownPackage(s) ? `kit imports '${s}'` : staysInside('mcp-servers/kit')(s, r)),
    },
    {
      dir: 'hub',
      reason: 'the hub reaches servers only over MCP',
      forbids: (s, r) =>
        ownPackage(s) && s !== '@switchboard/kit' && !s.startsWith('@switchboard/kit/') ? `hub imports '${s}'` : staysInside('hub')(s, r),
    },
    {
      dir: 'hub/src/policy',
      reason: 'faces import the policy, never the other way round',
      forbids: (s, r) => (r?.startsWith('hub/src/faces') ? `policy imports a face: '${s}'` : null),
    },
    {
      dir: 'test-server',
      reason: 'the test-server reaches the hub only over HTTP/stdio',
      forbids: (s, r) => (ownPackage(s) ? `test-server imports '${s}'` : staysInside('test-server')(s, r)),
    },
  ];
  for (const dir of serverDirs) {
    rules.push({
      dir,
      reason: 'a server imports only the kit: never the hub or another server',
      forbids: (s, r) =>
        ownPackage(s) && s !== '@switchboard/kit' && !s.startsWith('@switchboard/kit/') ? `server imports '${s}'` : staysInside(dir)(s, r),
    });
  }
  return rules;
}
