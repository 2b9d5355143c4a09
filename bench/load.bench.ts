// Load through the hub vs. straight to the upstream, at the profiles of issue 13: 10,000 calls from
// 50 concurrent clients and 50,000 from 200 (BENCH_PROFILES="10000x50,50000x200" to change them), to a
// cheap `echo` tool. Reports calls/s, p50/p95/p99 on both sides, the gateway overhead (hub p95 −
// direct p95) and errors; a figure fails if any call errs. The CI variant is test/load.test.ts.
import { type ProfileResult, runProfile, startLoadStack } from './load-run.ts';
import type { BenchFigure } from './stats.ts';

function profiles(): { calls: number; clients: number }[] {
  return (process.env.BENCH_PROFILES ?? '10000x50,50000x200').split(',').map((spec) => {
    const [calls, clients] = spec.split('x').map(Number);
    if (!calls || !clients) throw new Error(`BENCH_PROFILES: '${spec}' is not CALLSxCLIENTS`);
    return { calls, clients };
  });
}

function figureOf(r: ProfileResult): BenchFigure {
  if (r.direct.errors + r.hub.errors > 0)
    throw new Error(
      `load ${r.calls}x${r.clients}: ${r.direct.errors} direct and ${r.hub.errors} hub calls failed: ${r.hub.firstError ?? r.direct.firstError}`,
    );
  return {
    name: `load (${r.calls} calls, ${r.clients} concurrent clients, Streamable HTTP, echo upstream)`,
    ratioOf: 'hub calls/s / direct calls/s',
    ratio: r.hub.callsPerSec / r.direct.callsPerSec,
    figures: {
      directCallsPerSec: r.direct.callsPerSec,
      hubCallsPerSec: r.hub.callsPerSec,
      directP50Ms: r.direct.p50Ms,
      hubP50Ms: r.hub.p50Ms,
      directP95Ms: r.direct.p95Ms,
      hubP95Ms: r.hub.p95Ms,
      directP99Ms: r.direct.p99Ms,
      hubP99Ms: r.hub.p99Ms,
      overheadP95Ms: r.overheadP95Ms,
      ...(r.hubCpuMsPerCall === undefined ? {} : { hubCpuMsPerCall: r.hubCpuMsPerCall }),
      errors: r.direct.errors + r.hub.errors,
    },
  };
}

export async function run(): Promise<BenchFigure[]> {
  const stack = await startLoadStack();
  try {
    const figures: BenchFigure[] = [];
    for (const profile of profiles()) figures.push(figureOf(await runProfile(stack, profile)));
    return figures;
  } finally {
    await stack.close();
  }
}
