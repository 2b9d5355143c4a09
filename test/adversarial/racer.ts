import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A process that keeps swapping `root/<name>` between a real directory (holding a decoy file) and a
 * symlink to `target`, with atomic renames, as fast as it can: a live TOCTOU attack on whatever
 * the server checks and then uses. stop() kills it and leaves the real directory in place.
 */
export function startRacer(root: string, name: string, target: string): { stop(): Promise<void> } {
  const dir = join(root, name);
  const spare = join(root, `${name}.spare`);
  const link = join(root, `${name}.link`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'secret.txt'), 'decoy');
  symlinkSync(target, link);
  const script = `
    const { renameSync } = require('node:fs');
    const [dir, spare, link] = process.argv.slice(1);
    for (;;) { renameSync(dir, spare); renameSync(link, dir); renameSync(dir, link); renameSync(spare, dir); }
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', script, dir, spare, link], { stdio: 'ignore' });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(link, { force: true });
      // Killed mid-loop: put the real directory back at `name` whatever state it was left in.
      try {
        rmSync(dir);
      } catch {
        // `dir` is the real directory (rmSync refuses a non-empty one): fine as it is
      }
      try {
        renameSync(spare, dir);
      } catch {
        // no spare: `dir` already is the real directory
      }
    },
  };
}
