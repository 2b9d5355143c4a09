import type { HttpStep, ListStep, ToolStep } from '../cases/schema.ts';
import type { HubClient } from '../hub-client.ts';
import { type AssertionRecord, assertEquals, assertJson, assertListed, assertMaxMs, assertText } from './assertions.ts';
import { renderTemplates, type SavedResult, type SavedResults } from './template.ts';
import { assertErrorCode, assertIdempotent } from './tool-result.ts';

/** What running one step produced, before it becomes a StepReport. */
export interface StepRun {
  request: unknown;
  outcome: unknown;
  assertions: AssertionRecord[];
  saved: SavedResult;
}

// Templates render in the request and in the expectations, before the call is made.

/** The assertion-name prefix: `step "reader reads the file":`. */
export function stepPrefix(name: string): string {
  return `step ${JSON.stringify(name)}:`;
}

export async function runToolStep(step: ToolStep, hub: HubClient, saved: SavedResults): Promise<StepRun> {
  const args = renderTemplates(step.arguments, saved);
  const request = { tool: step.tool, arguments: args };
  const prefix = stepPrefix(step.name);
  const expect = renderTemplates(step.expect, saved);
  const { value: outcome, durationMs } = await timed(() => hub.callTool(step.tool, args));
  const assertions: AssertionRecord[] = [];
  if (expect.isError !== undefined)
    assertions.push(assertEquals(`${prefix} isError is ${expect.isError}`, expect.isError, outcome.isError));
  if (expect.errorCode !== undefined) assertions.push(assertErrorCode(prefix, expect.errorCode, outcome));
  if (expect.text !== undefined) assertions.push(...assertText(`${prefix} text`, expect.text, outcome.text));
  if (expect.structured !== undefined) assertions.push(...assertJson(`${prefix} structured`, expect.structured, outcome.structuredContent));
  if (expect.maxMs !== undefined) assertions.push(assertMaxMs(prefix, expect.maxMs, durationMs));
  if (expect.idempotent === true) assertions.push(assertIdempotent(prefix, outcome, await hub.callTool(step.tool, args)));
  return {
    request,
    outcome,
    assertions,
    saved: { text: outcome.text, structured: outcome.structuredContent, isError: outcome.isError },
  };
}

export async function runHttpStep(step: HttpStep, hub: HubClient, saved: SavedResults): Promise<StepRun> {
  const request = renderTemplates(step.http, saved);
  const prefix = stepPrefix(step.name);
  const expect = renderTemplates(step.expect, saved);
  const { value: outcome, durationMs } = await timed(() => hub.http(request));
  const assertions: AssertionRecord[] = [];
  if (expect.status !== undefined) assertions.push(assertEquals(`${prefix} status is ${expect.status}`, expect.status, outcome.status));
  if (expect.json !== undefined) assertions.push(...assertJson(`${prefix} json`, expect.json, outcome.json));
  if (expect.text !== undefined) assertions.push(...assertText(`${prefix} body`, expect.text, outcome.text));
  if (expect.maxMs !== undefined) assertions.push(assertMaxMs(prefix, expect.maxMs, durationMs));
  return { request, outcome, assertions, saved: { status: outcome.status, text: outcome.text, json: outcome.json } };
}

export async function runListStep(step: ListStep, hub: HubClient, saved: SavedResults): Promise<StepRun> {
  const prefix = stepPrefix(step.name);
  const expect = renderTemplates(step.expect, saved);
  const { value: tools, durationMs } = await timed(() => hub.listTools());
  const assertions = assertListed(prefix, tools, expect);
  if (expect.maxMs !== undefined) assertions.push(assertMaxMs(prefix, expect.maxMs, durationMs));
  return { request: { list: step.list }, outcome: { tools }, assertions, saved: { tools } };
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; durationMs: number }> {
  const started = performance.now();
  const value = await run();
  return { value, durationMs: Math.round(performance.now() - started) };
}
