// `make bench`: runs every bench/*.bench.ts in this process and prints each figure as a ratio
// against its baseline measured in the same run (absolute times on these machines are noise).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchFigure } from '../bench/stats.ts';
import { printFigure } from '../bench/stats.ts';

const dir = join(import.meta.dirname, '..', 'bench');
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts') && (only === undefined || name.includes(only)))
  .sort();
for (const file of files) {
  const { run } = (await import(join(dir, file))) as { run: () => Promise<BenchFigure | BenchFigure[]> };
  const figures = await run();
  for (const figure of Array.isArray(figures) ? figures : [figures]) printFigure(figure);
}
