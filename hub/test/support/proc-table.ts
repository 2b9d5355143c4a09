import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** R, S, D, Z (zombie), T, … */
  state: string;
  cmdline: string;
}

/** Every process in /proc now (those that vanish while being read are skipped). */
export function processTable(): ProcInfo[] {
  const table: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      table.push({ pid: Number(name), ppid: Number(ppid), state: state ?? '?', cmdline });
    } catch {}
  }
  return table;
}

/** Every descendant of `root` (children, their children, …), zombies included. */
export function descendantsOf(root: number, table = processTable()): ProcInfo[] {
  const found: ProcInfo[] = [];
  let frontier = new Set([root]);
  while (frontier.size > 0) {
    const next = table.filter((p) => frontier.has(p.ppid));
    found.push(...next);
    frontier = new Set(next.map((p) => p.pid));
  }
  return found;
}

/** Is this pid still in the process table (as anything, zombie included)? */
export function stillThere(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}
