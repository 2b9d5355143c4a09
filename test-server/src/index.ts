export { createApp, type TestServerOptions } from './app.ts';
export { formatIssues, type LoadedCase, loadCases, parseCaseFile } from './cases/load.ts';
export { type CaseDefinition, CaseSchema, type Step, type StepKind, stepKind } from './cases/schema.ts';
export { FlagError, parseFlags, type TestServerFlags } from './flags.ts';
export {
  createHubClient,
  type HttpOutcome,
  type HttpRequestSpec,
  type HubClient,
  type HubClientOptions,
  type ToolOutcome,
} from './hub-client.ts';
export { main, type RunningTestServer } from './main.ts';
export { type CaseReport, type RunReport, type RunSummary, type StepReport, summarize } from './report.ts';
export type { AssertionRecord } from './runner/assertions.ts';
export { runCase, runLoadedCase } from './runner/run-case.ts';
export { runSuite } from './runner/run-suite.ts';
export { renderTemplates, type SavedResult, type SavedResults, TemplateError } from './runner/template.ts';
