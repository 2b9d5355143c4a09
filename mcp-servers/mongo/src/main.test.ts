import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { parseMongoArgs } from './main.ts';

describe('mongo server flags', () => {
  it('takes a URL, database, collections, read-only and limits', () => {
    const { config } = parseMongoArgs(
      [
        '--url',
        'mongodb://h:27017',
        '--db',
        'app',
        '--collections',
        'a,b',
        '--collections',
        'c',
        '--read-only',
        '--max-documents',
        '5',
        '--max-bytes',
        '100',
      ],
      {},
    );
    assert.deepEqual([config.url, config.db, config.collections, config.readOnly], ['mongodb://h:27017', 'app', ['a', 'b', 'c'], true]);
    assert.deepEqual([config.maxDocuments, config.maxBytes], [5, 100]);
  });

  it('takes the database from the URL when --db is absent, and the URL from MONGODB_URL', () => {
    assert.equal(parseMongoArgs(['--url', 'mongodb://u:p@h:27017/shop?authSource=admin'], {}).config.db, 'shop');
    const env = parseMongoArgs([], { MONGODB_URL: 'mongodb://h/envdb', MONGODB_COLLECTIONS: 'x,y' }).config;
    assert.deepEqual([env.url, env.db, env.collections], ['mongodb://h/envdb', 'envdb', ['x', 'y']]);
    const mock = parseMongoArgs(['--mock'], { MONGODB_URL: 'mongodb://h/envdb' }).config;
    assert.deepEqual([mock.mock, mock.url, mock.db], [true, undefined, 'switchboard']);
  });

  it('refuses missing or doubled backends, bad names and system collections, naming the flag', () => {
    const refuses = (argv: string[], pattern: RegExp) =>
      assert.throws(
        () => parseMongoArgs(argv, {}),
        (e: ToolError) => e.code === 'INVALID_CONFIG' && pattern.test(e.message),
        argv.join(' '),
      );
    refuses([], /--url.*or --mock/);
    refuses(['--mock', '--url', 'mongodb://h'], /exclude each other/);
    refuses(['--mock', '--db', 'a/b'], /--db/);
    refuses(['--mock', '--collections', 'system.users'], /--collections/);
    refuses(['--mock', '--max-bytes', 'lots'], /--max-bytes/);
  });
});
