import assert from 'node:assert/strict';
import { createServer as createTcpServer } from 'node:net';
import { describe, it } from 'node:test';
import { ToolError } from '@switchboard/kit';
import { s3Error } from './backend.ts';
import { createS3Backend } from './backend-real.ts';
import { s3ToolError } from './errors.ts';

const target = { bucket: 'docs', key: 'a.txt' };

describe('s3ToolError', () => {
  it('maps S3 error codes to domain errors about the caller’s object', () => {
    const cases: [string, string, string | undefined][] = [
      ['NoSuchKey', 'NOT_FOUND', 'key'],
      ['NotFound', 'NOT_FOUND', 'key'],
      ['NoSuchBucket', 'NOT_FOUND', 'bucket'],
      ['InvalidRange', 'INVALID_ARGUMENT', 'range'],
      ['AccessDenied', 'ACL_DENIED', undefined],
      ['SignatureDoesNotMatch', 'ACL_DENIED', undefined],
      ['SomethingOdd', 'INTERNAL', undefined],
    ];
    for (const [name, code, field] of cases) {
      const mapped = s3ToolError(s3Error(name, 'raw endpoint message with RequestId=XYZ'), target) as ToolError;
      assert.equal(mapped.code, code, name);
      assert.equal(mapped.field, field, name);
      assert.doesNotMatch(mapped.message, /RequestId/);
    }
    const sourceMissing = s3ToolError(s3Error('NoSuchKey', ''), { ...target, fields: { bucket: 'sourceBucket', key: 'sourceKey' } });
    assert.equal((sourceMissing as ToolError).field, 'sourceKey');
    const kept = new ToolError('ACL_DENIED', 'x', 'key');
    assert.equal(s3ToolError(kept, target), kept);
  });

  it('reports an unreachable endpoint as UPSTREAM_UNAVAILABLE without echoing credentials', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createTcpServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const backend = createS3Backend({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      pathStyle: true,
      credentials: { accessKeyId: 'AKIDSECRETID', secretAccessKey: 'VERY-SECRET-KEY' },
    });
    try {
      const error = await backend.headObject('docs', 'a.txt').then(
        () => assert.fail('expected a connection error'),
        (e: unknown) => s3ToolError(e, target) as ToolError,
      );
      assert.equal(error.code, 'UPSTREAM_UNAVAILABLE');
      assert.doesNotMatch(error.message, /VERY-SECRET-KEY|AKIDSECRETID/);
    } finally {
      await backend.close();
    }
  });
});
