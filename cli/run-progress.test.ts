import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent, ToolCallEvent } from '@switchboard/hub';
import { RunProgress } from './run-progress.ts';

/** A writable stream that keeps what was written, with a terminal width when asked. */
function sink(columns?: number) {
  const chunks: string[] = [];
  const out = {
    columns,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WritableStream & { columns?: number };
  return { out, text: () => chunks.join(''), chunks };
}

const at = '2026-01-01T00:00:00.000Z';
const plan: RunEvent = {
  runId: 'r1',
  at,
  type: 'plan',
  round: 1,
  source: 'implement-with-tests',
  steps: [
    { id: 'code', role: 'coder', dependsOn: [] },
    { id: 'test', role: 'tester', dependsOn: ['code'] },
  ],
};
const step = (stepId: string, role: string, state: string, message?: string): RunEvent => ({
  runId: 'r1',
  at,
  type: 'step',
  round: 1,
  stepId,
  role,
  state,
  via: 'dag',
  ...(message ? { message } : {}),
});
const call = (principal: string, tool: string, outcome: 'ok' | 'error' = 'ok'): ToolCallEvent => ({
  tool,
  principal,
  outcome,
  durationMs: 12.4,
  correlationId: 'c',
  depth: 1,
});

describe('switchboard run progress', () => {
  it('off a terminal: one timestamped line per plan, step, tool call and review', () => {
    const { out, text } = sink();
    const progress = new RunProgress(out, false);
    progress.runEvent(plan);
    progress.runEvent(step('code', 'coder', 'running'));
    progress.toolCall(call('agent:coder', 'fs__write_file'));
    progress.toolCall(call('key:admin', 'agent__coder')); // the caller's own agent call is not a step's tool call
    progress.runEvent(step('code', 'coder', 'succeeded'));
    progress.runEvent(step('test', 'tester', 'failed', 'tests failed (exit code 1)\nnot ok 2'));
    progress.runEvent({ runId: 'r1', at, type: 'review', round: 1, verdict: 'rejected', by: 'reviewer', feedback: 'fix slugify' });
    progress.finish();
    const lines = text().trimEnd().split('\n');
    for (const line of lines) assert.match(line, /^\[\d\d:\d\d:\d\d\] /);
    assert.deepEqual(
      lines.map((line) => line.slice(11)),
      [
        'round 1 · plan implement-with-tests: code (coder) · test (tester, after code)',
        'step code (coder, scheduled): running',
        '  coder → fs__write_file: ok (12 ms)',
        'step code (coder, scheduled): succeeded',
        'step test (tester, scheduled): failed — tests failed (exit code 1)',
        'review (reviewer): rejected — fix slugify',
      ],
    );
  });

  it('on a terminal: a block redrawn in place, one line per step with its state and tool calls', () => {
    const { out, chunks } = sink(80);
    const progress = new RunProgress(out, true);
    progress.runEvent(plan);
    progress.runEvent(step('code', 'coder', 'running'));
    progress.toolCall(call('agent:coder', 'fs__write_file'));
    progress.toolCall(call('agent:coder', 'fs__write_file'));
    assert.equal(chunks.length, 0, 'nothing is printed line by line on a terminal');
    progress.finish();
    const [block = ''] = chunks;
    assert.ok(block.startsWith('\x1b[J'), 'the first frame clears below the cursor');
    const lines = block.slice(3).trimEnd().split('\n');
    assert.equal(lines[0], 'round 1 · plan implement-with-tests: code (coder) · test (tester, after code)');
    assert.match(lines[1] ?? '', /^ {2}… code +coder +running +2 tool calls {2}fs__write_file ok 12 ms$/);
    assert.match(lines[2] ?? '', /^ {2}· test +tester +pending +0 tool calls/);
    for (const line of lines) assert.ok(line.length <= 79, `clipped to the terminal width: ${line}`);

    // Another frame moves the cursor up over the previous block before redrawing it.
    const again = new RunProgress(out, true);
    again.runEvent(plan);
    again.finish();
    again.runEvent(step('code', 'coder', 'succeeded'));
    again.finish();
    assert.ok((chunks.at(-1) ?? '').startsWith('\x1b[3A\x1b[J'), 'up three lines, clear, redraw');
    assert.match(chunks.at(-1) ?? '', /✓ code +coder +succeeded/);
  });
});
