import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { parseQueueArgs, redactUrl } from './main.ts';

describe('queue server flags', () => {
  it('takes the URL, queues, exchanges, purge and limits', () => {
    const { config, transport } = parseQueueArgs(
      [
        '--url',
        'amqp://u:p@h:5672/v',
        '--queue',
        'jobs',
        '--queue',
        'events.*',
        '--exchange',
        'amq.topic',
        '--allow-purge',
        '--max-message-bytes',
        '10',
      ],
      {},
    );
    assert.equal(config.url, 'amqp://u:p@h:5672/v');
    assert.deepEqual(config.queues, ['jobs', 'events.*']);
    assert.deepEqual(config.exchanges, ['amq.topic']);
    assert.equal(config.allowPurge, true);
    assert.equal(config.maxMessageBytes, 10);
    assert.equal(transport.transport, 'stdio');
  });

  it('reads the URL (or its file), queues and exchanges from env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-amqp-'));
    try {
      writeFileSync(join(dir, 'url'), 'amqp://file:secret@h\n');
      const { config } = parseQueueArgs([], { AMQP_URL_FILE: join(dir, 'url'), AMQP_QUEUES: 'a, b', AMQP_EXCHANGES: 'x' });
      assert.equal(config.url, 'amqp://file:secret@h');
      assert.deepEqual([config.queues, config.exchanges], [['a', 'b'], ['x']]);
      assert.equal(parseQueueArgs(['--queue', 'a'], { AMQP_URL: 'amqp://e@h' }).config.url, 'amqp://e@h');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses no URL, no allowlist, --mock with --url and bad values, naming the flag and never the password', () => {
    assert.throws(
      () => parseQueueArgs(['--queue', 'a'], {}),
      (e: ToolError) => e.code === 'INVALID_CONFIG' && e.field === 'url',
    );
    assert.throws(() => parseQueueArgs(['--mock'], {}), /--queue: allow at least one queue/);
    assert.throws(() => parseQueueArgs(['--mock', '--url', 'amqp://h', '--queue', 'a'], {}), /exclude each other/);
    assert.throws(() => parseQueueArgs(['--mock', '--queue', 'a', '--max-message-bytes', '-1'], {}), /--max-message-bytes/);
    assert.throws(
      () => parseQueueArgs(['--url', 'http://user:hunter2@h', '--queue', 'a'], {}),
      (e: ToolError) => /--url/.test(e.message) && !e.message.includes('hunter2'),
    );
  });

  it('redacts the password for logs', () => {
    assert.equal(redactUrl('amqp://guest:guest@127.0.0.1:5672/'), 'amqp://guest:***@127.0.0.1:5672/');
    assert.equal(redactUrl('amqp://127.0.0.1'), 'amqp://127.0.0.1');
  });
});
