import assert from 'node:assert/strict';
import { createServer as createTcpServer } from 'node:net';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { amqpError } from './backend.ts';
import { createAmqpBackend } from './backend-real.ts';
import { queueToolError } from './errors.ts';

const subject = { what: "queue 'jobs'", field: 'queue' };

describe('queueToolError', () => {
  it('maps AMQP reply codes to domain errors about the caller’s queue', () => {
    const cases: [number, string][] = [
      [404, 'NOT_FOUND'],
      [312, 'NOT_FOUND'],
      [406, 'INVALID_ARGUMENT'],
      [403, 'ACL_DENIED'],
    ];
    for (const [code, expected] of cases) {
      const mapped = queueToolError(amqpError(code, 'Channel closed by server'), subject) as ToolError;
      assert.equal(mapped.code, expected, String(code));
      assert.equal(mapped.field, 'queue');
    }
    const routed = queueToolError(amqpError(312, 'NO_ROUTE'), { ...subject, routeField: 'routingKey' }) as ToolError;
    assert.equal(routed.field, 'routingKey');
    const precondition = queueToolError(amqpError(406, `PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'jobs'`), subject);
    assert.match((precondition as ToolError).message, /inequivalent arg 'durable'/);
  });

  it('reports an unreachable broker as UPSTREAM_UNAVAILABLE without echoing the password', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createTcpServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const backend = createAmqpBackend(`amqp://user:hunter2@127.0.0.1:${port}`);
    try {
      const error = await backend.queueStats('jobs').then(
        () => assert.fail('expected a connection error'),
        (e: unknown) => queueToolError(e, subject) as ToolError,
      );
      assert.equal(error.code, 'UPSTREAM_UNAVAILABLE');
      assert.doesNotMatch(error.message, /hunter2/);
      // The failed connection is not cached: a later call tries again (and fails the same way here).
      await assert.rejects(backend.queueStats('jobs'), (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED');
    } finally {
      await backend.close();
    }
  });
});
