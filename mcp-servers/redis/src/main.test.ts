import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { parseRedisArgs } from './main.ts';

describe('redis server flags', () => {
  it('takes a URL, prefixes (comma-separated or repeated), read-only and limits', () => {
    const { config, transport } = parseRedisArgs(
      ['--url', 'redis://h:1/2', '--prefix', 'app:,cache:', '--prefix', 'x:', '--read-only', '--max-value-bytes', '10', '--max-items', '5'],
      {},
    );
    assert.deepEqual(config.prefixes, ['app:', 'cache:', 'x:']);
    assert.equal(config.url, 'redis://h:1/2');
    assert.equal(config.readOnly, true);
    assert.equal(config.maxValueBytes, 10);
    assert.equal(config.maxItems, 5);
    assert.equal(config.rawCommands, undefined);
    assert.equal(transport.transport, 'stdio');
  });

  it('falls back to REDIS_URL and REDIS_PREFIXES, and ignores REDIS_URL with --mock', () => {
    const fromEnv = parseRedisArgs([], { REDIS_URL: 'redis://e:6379', REDIS_PREFIXES: 'a:,b:' }).config;
    assert.deepEqual([fromEnv.url, fromEnv.prefixes], ['redis://e:6379', ['a:', 'b:']]);
    const mock = parseRedisArgs(['--mock'], { REDIS_URL: 'redis://e:6379' }).config;
    assert.deepEqual([mock.mock, mock.url], [true, undefined]);
  });

  it('enables raw commands only when asked, resolving safe to the confinable table', () => {
    const { config } = parseRedisArgs(['--mock', '--raw-commands', 'get,hlen'], {});
    assert.deepEqual(config.rawCommands, ['GET', 'HLEN']);
    assert.ok((parseRedisArgs(['--mock', '--raw-commands', 'safe'], {}).config.rawCommands ?? []).includes('LRANGE'));
  });

  it('refuses a missing backend, both backends, bad limits and dangerous raw commands, naming the flag', () => {
    const refuses = (argv: string[], pattern: RegExp) =>
      assert.throws(
        () => parseRedisArgs(argv, {}),
        (e: ToolError) => e.code === 'INVALID_CONFIG' && pattern.test(e.message),
        argv.join(' '),
      );
    refuses([], /--url.*or --mock/);
    refuses(['--mock', '--url', 'redis://x'], /exclude each other/);
    refuses(['--mock', '--max-value-bytes', 'lots'], /--max-value-bytes/);
    refuses(['--mock', '--raw-commands', 'GET,FLUSHALL'], /FLUSHALL is never allowed/);
    refuses(['--mock', '--raw-commands', 'KEYS'], /KEYS is never allowed/);
    refuses(['--mock', '--prefx', 'a:'], /--prefx/);
  });
});
