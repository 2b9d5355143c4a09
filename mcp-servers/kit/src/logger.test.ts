import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  it('writes one JSON object per line: ISO time, level label, msg, service, pid, and the call fields', () => {
    const lines: string[] = [];
    const logger = createLogger('fs', 'info', { write: (line: string) => void lines.push(line) });
    logger.child({ correlationId: 'c-1', tool: 'read_file' }).info({ principal: 'local:me', durationMs: 1.5 }, 'tool call');
    logger.debug('not at info');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0] ?? '');
    assert.equal(entry.level, 'info');
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(entry.msg, 'tool call');
    assert.equal(entry.service, 'fs');
    assert.equal(entry.pid, process.pid);
    assert.deepEqual([entry.correlationId, entry.principal, entry.tool, entry.durationMs], ['c-1', 'local:me', 'read_file', 1.5]);
  });
});
