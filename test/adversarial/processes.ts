import { readdirSync, readFileSync } from 'node:fs';

/** Live processes whose command line contains `marker` (Linux /proc): what a command left behind. */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(marker) && state !== 'Z') found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Polls until no process carries `marker` (the kernel reaps asynchronously), or the deadline passes. */
export async function settled(marker: string, ms = 10_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = processesWith(marker);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A number no other process on the machine is sleeping for: our marker in `sleep N`. */
export function uniqueSeconds(): string {
  return String(900_000 + Math.floor(Math.random() * 99_999));
}
