// Soak: `switchboard up` with every mock server under steady mixed load for a fixed number of calls
// (SOAK_CALLS, default 20000; 8 at a time). Reports the hub's RSS at the end against after warm-up
// (the ratio: ~1.0 means flat), each process's RSS and open descriptors, and the error count (must be 0).
import { runSoak } from './soak-run.ts';
import type { BenchFigure } from './stats.ts';

export async function run(): Promise<BenchFigure> {
  const calls = Number(process.env.SOAK_CALLS ?? 20_000);
  const result = await runSoak({ calls, warmup: Math.min(2000, Math.ceil(calls / 10)), concurrency: 8 });
  const hub = { start: result.start.hub, end: result.end.hub };
  const figures: Record<string, number | string> = {
    calls: result.calls,
    errors: result.errors,
    callsPerSecond: result.calls / result.seconds,
  };
  for (const [name, start] of Object.entries(result.start)) {
    const end = result.end[name];
    if (!end) continue;
    figures[`${name}RssMb`] = `${start.rssMb.toFixed(1)}→${end.rssMb.toFixed(1)}`;
    figures[`${name}Fds`] = `${start.fds}→${end.fds}`;
  }
  if (result.errors > 0) figures.firstError = result.firstErrors[0] ?? '';
  return {
    name: 'soak: hub + every mock server, steady mixed load',
    ratioOf: 'hub RSS end / after warm-up',
    ratio: (hub.end?.rssMb ?? Number.NaN) / (hub.start?.rssMb ?? Number.NaN),
    figures,
  };
}
