import type { LoadedCase } from '../cases/load.ts';
import type { HubClient } from '../hub-client.ts';
import { type RunReport, summarize } from '../report.ts';
import { runLoadedCase } from './run-case.ts';

/** Runs cases one after another (they may share hub state) over one hub client, closed afterwards. */
export async function runSuite(cases: readonly LoadedCase[], openHub: () => HubClient): Promise<RunReport> {
  const started = performance.now();
  const hub = openHub();
  try {
    const reports = [];
    for (const loaded of cases) reports.push(await runLoadedCase(loaded, hub));
    return summarize(reports, Math.round(performance.now() - started));
  } finally {
    await hub.close().catch(() => undefined);
  }
}
