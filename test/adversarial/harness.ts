import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { createSandbox, type Sandbox, SECRET } from './sandbox.ts';

/** The exact outcome a hostile input must get. */
export type Outcome =
  /** Refused with this error code, naming this field (when given). */
  | { refused: string; field?: string }
  /** Contained: the call succeeds, and `check` says the result is harmless. */
  | { contained: (result: CallToolResult, sandbox: Sandbox) => void | Promise<void> }
  /** Either way, as long as `check` accepts each answer (for races, where timing decides). */
  | { each: (result: CallToolResult, sandbox: Sandbox) => void | Promise<void> };

export interface HostileCase {
  /** What the input tries to do, e.g. "read through a symlink to /etc". */
  name: string;
  tool: string;
  args: Record<string, unknown> | ((sandbox: Sandbox) => Record<string, unknown>);
  expect: Outcome;
  /** Arrange: plant symlinks, files, start a racing process… Runs before the "before" hash. */
  arrange?: (sandbox: Sandbox) => void | Promise<void>;
  /** Undo what `arrange` started (stop a racer); runs before the "after" hash. */
  cleanup?: (sandbox: Sandbox) => void | Promise<void>;
  /** Call this many times (a race against a process started by `arrange`); each answer is checked. */
  repeat?: number;
  /** Run only when this answers null; otherwise skip with the reason it gives. */
  skip?: () => string | null;
}

export interface Target {
  /** A server over the sandbox; the harness connects a client to it in memory. */
  server: () => McpServer;
  close?: () => Promise<void>;
}

/**
 * One describe per target: a fresh sandbox, the server over it, then every case as one test that
 * hashes the sandbox's surroundings before and after, asserts the exact outcome, and checks that
 * the secret's text appears nowhere in the answer.
 */
export function hostileSuite(
  title: string,
  start: (sandbox: Sandbox) => Promise<Target>,
  cases: HostileCase[],
  options: { skip?: string | false } = {},
): void {
  describe(title, { skip: options.skip ?? false }, () => {
    let sandbox: Sandbox;
    let target: Target;
    let client: Client;
    before(async () => {
      sandbox = createSandbox(title.replace(/\W+/g, '-').toLowerCase());
      target = await start(sandbox);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await target.server().connect(serverSide);
      client = new Client({ name: 'adversary', version: '1' });
      await client.connect(clientSide);
    });
    after(async () => {
      await client?.close();
      await target?.close?.();
      sandbox?.remove();
    });
    for (const hostile of cases) {
      it(hostile.name, { skip: hostile.skip?.() ?? false }, async () => {
        await hostile.arrange?.(sandbox);
        const before = sandbox.surroundings();
        const args = typeof hostile.args === 'function' ? hostile.args(sandbox) : hostile.args;
        const results: CallToolResult[] = [];
        try {
          for (let i = 0; i < (hostile.repeat ?? 1); i++)
            results.push((await client.callTool({ name: hostile.tool, arguments: args })) as CallToolResult);
        } finally {
          await hostile.cleanup?.(sandbox);
        }
        for (const result of results) await assertOutcome(hostile.expect, result, sandbox);
        assert.equal(sandbox.surroundings(), before, 'something outside the root changed');
      });
    }
  });
}

async function assertOutcome(expect: Outcome, result: CallToolResult, sandbox: Sandbox): Promise<void> {
  assert.doesNotMatch(JSON.stringify(result), new RegExp(SECRET), 'the secret leaked into the answer');
  if ('refused' in expect) {
    const error = errorOfResult(result);
    assert.equal(error?.code, expect.refused, `expected ${expect.refused}, got ${JSON.stringify(result.content).slice(0, 300)}`);
    if (expect.field !== undefined) assert.equal(error?.field, expect.field);
  } else if ('contained' in expect) {
    assert.equal(result.isError, undefined, `expected success, got ${JSON.stringify(result.content).slice(0, 300)}`);
    await expect.contained(result, sandbox);
  } else await expect.each(result, sandbox);
}

/** The structured content of a result, typed by the caller. */
export function structured<T>(result: CallToolResult): T {
  return result.structuredContent as T;
}
