import type { LoadedCase } from '../cases/load.ts';
import { type CaseDefinition, type Step, stepKind } from '../cases/schema.ts';
import type { HubClient } from '../hub-client.ts';
import type { CaseReport, StepReport } from '../report.ts';
import { record } from './assertions.ts';
import { runHttpStep, runListStep, runToolStep, type StepRun, stepPrefix } from './run-step.ts';
import type { SavedResult } from './template.ts';

/** Runs a loaded case, or reports why its file is invalid. */
export async function runLoadedCase(loaded: LoadedCase, hub: HubClient): Promise<CaseReport> {
  if (!loaded.ok) return { case: loaded.name, description: '', passed: false, durationMs: 0, steps: [], error: loaded.error };
  return runCase(loaded.definition, hub);
}

/** Runs every step in order. A step that throws fails with `error` set; later steps still run. */
export async function runCase(definition: CaseDefinition, hub: HubClient): Promise<CaseReport> {
  const started = performance.now();
  const saved: Record<string, SavedResult> = {};
  const steps: StepReport[] = [];
  for (const step of definition.steps) {
    const report = await runStep(step, hub, saved);
    steps.push(report);
  }
  return {
    case: definition.name,
    description: definition.description,
    passed: steps.every((step) => step.passed),
    durationMs: elapsed(started),
    steps,
  };
}

async function runStep(step: Step, hub: HubClient, saved: Record<string, SavedResult>): Promise<StepReport> {
  const kind = stepKind(step);
  const started = performance.now();
  try {
    const run = await dispatch(step, hub, saved);
    if (step.save !== undefined) saved[step.save] = run.saved;
    const passed = run.assertions.every((assertion) => assertion.passed);
    return {
      name: step.name,
      kind,
      passed,
      durationMs: elapsed(started),
      request: run.request,
      outcome: run.outcome,
      assertions: run.assertions,
    };
  } catch (error) {
    const message = describeError(error);
    const failed = record(`${stepPrefix(step.name)} runs to the end`, false, 'an answer', message, message);
    return {
      name: step.name,
      kind,
      passed: false,
      durationMs: elapsed(started),
      request: requestOf(step),
      outcome: null,
      assertions: [failed],
      error: message,
    };
  }
}

function dispatch(step: Step, hub: HubClient, saved: Record<string, SavedResult>): Promise<StepRun> {
  if ('tool' in step) return runToolStep(step, hub, saved);
  if ('http' in step) return runHttpStep(step, hub, saved);
  return runListStep(step, hub, saved);
}

function requestOf(step: Step): unknown {
  if ('tool' in step) return { tool: step.tool, arguments: step.arguments };
  if ('http' in step) return step.http;
  return { list: step.list };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
