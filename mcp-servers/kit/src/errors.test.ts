import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorOfResult, handleToolErrors, ToolError, toErrorPayload, toolErrorResult } from './errors.ts';

describe('tool errors', () => {
  it('renders a ToolError as an isError result naming code and field', () => {
    const result = toolErrorResult(new ToolError('ACL_DENIED', "path 'x' is outside the roots", 'path'));
    assert.equal(result.isError, true);
    assert.deepEqual(result.content, [{ type: 'text', text: "ACL_DENIED: path 'x' is outside the roots (field 'path')" }]);
    assert.deepEqual(errorOfResult(result), { code: 'ACL_DENIED', message: "path 'x' is outside the roots", field: 'path' });
  });

  it('normalises unknown throwables to INTERNAL without a stack trace', () => {
    assert.deepEqual(toErrorPayload(new TypeError('boom')), { code: 'INTERNAL', message: 'boom' });
    assert.deepEqual(toErrorPayload('plain'), { code: 'INTERNAL', message: 'plain' });
    assert.doesNotMatch((toolErrorResult(new Error('boom')).content[0] as { text: string }).text, /at /);
  });

  it('reads no error out of a successful result', () => {
    assert.equal(errorOfResult({ content: [] } as never), undefined);
  });

  it('wraps handlers so a throw becomes a result, not a crash', async () => {
    const handler = handleToolErrors(async (n: number) => {
      if (n < 0) throw new ToolError('INVALID_ARGUMENT', 'negative', 'n');
      return { content: [{ type: 'text' as const, text: String(n) }] };
    });
    assert.equal((await handler(1)).isError, undefined);
    assert.equal(errorOfResult(await handler(-1))?.field, 'n');
  });
});
