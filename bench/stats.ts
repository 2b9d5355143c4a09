/** Median and percentiles of a sample, in the sample's unit. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (samples: number[]) => percentile(samples, 50);

export interface BenchFigure {
  name: string;
  /** What the ratio compares, e.g. "hub / direct". */
  ratioOf: string;
  ratio: number;
  figures: Record<string, number | string>;
}

export function printFigure(figure: BenchFigure): void {
  const rest = Object.entries(figure.figures)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? value.toFixed(3) : value}`)
    .join('  ');
  process.stdout.write(`${figure.name}: ratio ${figure.ratioOf} = ${figure.ratio.toFixed(2)}  (${rest})\n`);
}
