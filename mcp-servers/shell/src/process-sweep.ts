import { readdir, readFile } from 'node:fs/promises';

/** Name of the marker variable every local command carries, so its stray descendants can be found. */
export const RUN_MARKER = 'SWITCHBOARD_RUN_ID';

/**
 * Kills every process whose environment carries `RUN_MARKER=id`: the descendants that left the
 * command's process group (setsid, double fork) and would otherwise outlive it. Linux only (/proc);
 * a process that scrubs its own environment escapes this, which docs/security.md states.
 */
export async function killMarked(id: string): Promise<number> {
  const needle = Buffer.from(`${RUN_MARKER}=${id}\0`);
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return 0;
  }
  let killed = 0;
  await Promise.all(
    pids.map(async (pid) => {
      const environ = await readFile(`/proc/${pid}/environ`).catch(() => undefined);
      if (environ === undefined || environ.indexOf(needle) === -1) return;
      try {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }),
  );
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
