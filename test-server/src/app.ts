import { Hono } from 'hono';
import type { Logger } from 'pino';
import { loadCases } from './cases/load.ts';
import { createHubClient, type HubClient, type HubClientOptions } from './hub-client.ts';
import type { RunReport } from './report.ts';
import { runSuite } from './runner/run-suite.ts';

export interface TestServerOptions {
  /** Directory of `*.yaml` cases; re-read on every request, so edits need no restart. */
  casesDir: string;
  hub: HubClientOptions;
  logger?: Logger;
  /** Replaces the real hub client (tests). */
  openHub?: () => HubClient;
}

/**
 * The test-server's routes: `GET /health`, `GET /cases`, `POST /run/:case`, `POST /run`.
 * A run answers 200 whether or not the cases passed (the body's `passed` says); 4xx/5xx mean a bad
 * request or a crash of the test-server itself.
 */
export function createApp(options: TestServerOptions): Hono {
  const openHub = options.openHub ?? (() => createHubClient(options.hub));
  const app = new Hono();

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/cases', async (c) => {
    const cases = await loadCases(options.casesDir);
    return c.json({
      cases: cases.map((loaded) =>
        loaded.ok
          ? { name: loaded.name, file: loaded.file, description: loaded.definition.description, steps: loaded.definition.steps.length }
          : { name: loaded.name, file: loaded.file, description: '', steps: 0, error: loaded.error },
      ),
    });
  });

  app.post('/run/:case', async (c) => {
    const name = c.req.param('case');
    const cases = await loadCases(options.casesDir);
    const selected = cases.filter((loaded) => loaded.name === name);
    if (selected.length === 0) {
      const known = cases.map((loaded) => loaded.name).join(', ') || 'none';
      return c.json({ error: `unknown case '${name}' (known: ${known}); see GET /cases` }, 404);
    }
    const report = await runSuite(selected, openHub);
    log(options.logger, report);
    const [only] = report.cases;
    return c.json(only);
  });

  app.post('/run', async (c) => {
    const report = await runSuite(await loadCases(options.casesDir), openHub);
    log(options.logger, report);
    return c.json(report);
  });

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path} (try GET /cases, POST /run, POST /run/:case)` }, 404));
  app.onError((error, c) => {
    options.logger?.error({ err: error }, 'request failed');
    return c.json({ error: `test-server error: ${error.message}` }, 500);
  });
  return app;
}

function log(logger: Logger | undefined, report: RunReport): void {
  logger?.info({ passed: report.passed, durationMs: report.durationMs, summary: report.summary }, 'run finished');
}
