import { join } from 'node:path';

export const tinyServerPath = join(import.meta.dirname, '..', 'fixtures', 'tiny-server.mjs');

/** The dependency-free tiny server as a stdio upstream (flags: --mute, --ignore-sigterm, --shuffle). */
export function tinyUpstream(args: string[] = [], extra: Record<string, unknown> = {}) {
  return { command: process.execPath, args: [tinyServerPath, ...args], era: '2025', healthIntervalMs: 0, ...extra };
}

/** Median of a sample (the middle value, or the mean of the two middle ones). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
