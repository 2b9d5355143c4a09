#!/usr/bin/env node
// Builds the web console (console/ → console/dist/, served by the hub at /ui) with Vite.
// Usage: node scripts/build-console.mjs [--if-stale]
//   --if-stale   build only when dist/ is missing or older than a source file (`npm start` uses this)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const consoleDir = join(root, 'console');
const built = join(consoleDir, 'dist', 'index.html');

function newestSource(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

if (process.argv.includes('--if-stale') && existsSync(built)) {
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => join(consoleDir, name)).filter(existsSync);
  if (Math.max(...sources.map(newestSource)) <= statSync(built).mtimeMs) process.exit(0);
}
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(vite)) {
  console.error('build-console: Vite is not installed (a dev dependency of console/): run `npm ci` or `make install` first');
  process.exit(1);
}
const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: consoleDir, stdio: 'inherit' });
if (result.status === 0) console.error('build-console: console/dist is ready (served at /ui)');
process.exit(result.status ?? 1);
