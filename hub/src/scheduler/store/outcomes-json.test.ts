import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outcomesJson } from './postgres-store.ts';
import type { FinalOutcome } from './types.ts';

// outcomesJson writes the claim statement's JSON by hand (no JSON.stringify per outcome): it must be the
// very text JSON.stringify gives, whatever the ids, owners, results and errors hold.
const expected = (outcomes: readonly FinalOutcome[]) =>
  JSON.stringify(
    outcomes.map((o, ord) => ({
      id: o.taskId,
      owner: o.owner,
      attempt: o.attempt,
      state: o.state,
      result: o.result === null ? null : JSON.stringify(o.result),
      error: o.error === null ? null : JSON.stringify(o.error),
      ord,
    })),
  );

test('outcomesJson is JSON.stringify of the outcomes, hostile strings included', () => {
  const hostile = ['plain-id', 'quote"d', 'back\\slash', 'new\nline', 'tab\t', '\u0000nul', 'ünï', '\u2028', '𝄞', '</script>', ''];
  const outcomes: FinalOutcome[] = hostile.map((s, i) => ({
    taskId: s,
    owner: `owner ${s}`,
    attempt: i + 1,
    state: i % 3 === 0 ? 'succeeded' : i % 3 === 1 ? 'failed' : 'timed_out',
    result: i % 2 === 0 ? { content: [{ type: 'text', text: s }] } : null,
    error: i % 2 === 1 ? { code: 'TOOL_ERROR', message: s } : null,
  }));
  const text = outcomesJson(outcomes);
  assert.equal(text, expected(outcomes));
  assert.deepEqual(JSON.parse(text)[1], {
    id: 'quote"d',
    owner: 'owner quote"d',
    attempt: 2,
    state: 'failed',
    result: null,
    error: '{"code":"TOOL_ERROR","message":"quote\\"d"}',
    ord: 1,
  });
  assert.equal(outcomesJson([]), '[]');
});
