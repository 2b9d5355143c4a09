import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

/** Name of the marker variable every local command carries, so its stray descendants can be found. */
export const RUN_MARKER = 'SWITCHBOARD_RUN_ID';

const head = Buffer.alloc(256);

/**
 * Kills every process whose environment starts with `RUN_MARKER=id` (the marker is the first
 * variable each command gets, so 256 bytes of /proc/PID/environ suffice): the descendants that left
 * the command's process group (setsid, double fork) and would otherwise outlive it. Linux only; a
 * process that re-executes itself with a scrubbed environment escapes this (docs/security.md).
 * Synchronous on purpose: one small read per process, without queueing hundreds of reads behind the
 * other calls' I/O in libuv's thread pool.
 */
export function killMarked(id: string): number {
  const needle = Buffer.from(`${RUN_MARKER}=${id}\0`);
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return 0;
  }
  let killed = 0;
  for (const name of names) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57 || Number(name) === process.pid) continue;
    let length = 0;
    try {
      const fd = openSync(`/proc/${name}/environ`, 'r');
      try {
        length = readSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
    } catch {
      continue; // gone, or not ours to read
    }
    if (head.subarray(0, length).indexOf(needle) !== 0) continue;
    try {
      process.kill(Number(name), 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}

/** SIGKILL to a whole process group; quiet when it is already gone. */
export function killGroup(pgid: number | undefined): boolean {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
