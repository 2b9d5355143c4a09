import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { parseS3Args } from './main.ts';

describe('s3 server flags', () => {
  it('takes endpoint, region, buckets with prefixes, path style, read-only and limits', () => {
    const { config, transport, credentials } = parseS3Args(
      [
        '--endpoint',
        'http://127.0.0.1:9000',
        '--region',
        'eu-west-1',
        '--bucket',
        'docs',
        '--bucket',
        'logs:app',
        '--path-style',
        '--read-only',
        '--max-object-bytes',
        '10',
      ],
      {},
    );
    assert.equal(config.endpoint, 'http://127.0.0.1:9000');
    assert.equal(config.region, 'eu-west-1');
    assert.deepEqual(config.buckets, [
      { name: 'docs', prefixes: [] },
      { name: 'logs', prefixes: ['app/'] },
    ]);
    assert.equal(config.pathStyle, true);
    assert.equal(config.readOnly, true);
    assert.equal(config.maxObjectBytes, 10);
    assert.equal(transport.transport, 'stdio');
    assert.equal(credentials, undefined);
  });

  it('reads the endpoint, buckets and region from env; --url is --endpoint', () => {
    const { config } = parseS3Args([], { S3_ENDPOINT: 'http://minio:9000', S3_BUCKETS: 'a-bucket, b-bucket:x/', AWS_REGION: 'us-west-2' });
    assert.equal(config.endpoint, 'http://minio:9000');
    assert.deepEqual(
      config.buckets.map((b) => b.name),
      ['a-bucket', 'b-bucket'],
    );
    assert.equal(config.region, 'us-west-2');
    assert.equal(parseS3Args(['--url', 'http://h:1', '--bucket', 'abc'], {}).config.endpoint, 'http://h:1');
  });

  it('reads credentials from env or *_FILE, and refuses half a pair without echoing secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-s3-creds-'));
    try {
      writeFileSync(join(dir, 'secret'), 'from-file-secret\n');
      const { credentials } = parseS3Args(['--bucket', 'abc'], {
        AWS_ACCESS_KEY_ID: 'AKID',
        AWS_SECRET_ACCESS_KEY_FILE: join(dir, 'secret'),
      });
      assert.deepEqual(credentials, { accessKeyId: 'AKID', secretAccessKey: 'from-file-secret' });
      assert.throws(
        () => parseS3Args(['--bucket', 'abc'], { AWS_ACCESS_KEY_ID: 'AKID' }),
        (e: ToolError) => e.code === 'INVALID_CONFIG' && e.field === 'AWS_SECRET_ACCESS_KEY',
      );
      assert.throws(
        () => parseS3Args(['--bucket', 'abc'], { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY_FILE: join(dir, 'missing') }),
        (e: ToolError) => e.field === 'AWS_SECRET_ACCESS_KEY_FILE' && !e.message.includes('from-file-secret'),
      );
      assert.equal(parseS3Args(['--mock', '--bucket', 'abc'], { AWS_ACCESS_KEY_ID: 'AKID' }).credentials, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing bucket, bad limits, bad bucket names and --mock with --endpoint, naming the flag', () => {
    assert.throws(
      () => parseS3Args(['--mock'], {}),
      (e: ToolError) => e.code === 'INVALID_CONFIG' && /--bucket/.test(e.message),
    );
    assert.throws(() => parseS3Args(['--mock', '--bucket', 'abc', '--max-object-bytes', 'lots'], {}), /--max-object-bytes/);
    assert.throws(() => parseS3Args(['--mock', '--bucket', 'abc', '--max-presign-seconds', '999999'], {}), /--max-presign-seconds/);
    assert.throws(() => parseS3Args(['--mock', '--bucket', 'Bad_Bucket'], {}), /not a valid bucket name/);
    assert.throws(() => parseS3Args(['--mock', '--endpoint', 'http://x:1', '--bucket', 'abc'], {}), /exclude each other/);
    assert.throws(() => parseS3Args(['--endpoint', 'not a url', '--bucket', 'abc'], {}), /--endpoint/);
    assert.throws(() => parseS3Args(['--bukket', 'abc'], {}), /--bukket/);
  });
});
