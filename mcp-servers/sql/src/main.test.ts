import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { redactUrl, scopeText } from './config.ts';
import { parseSqlArgs } from './main.ts';

const url = 'postgres://reader@127.0.0.1:5432/app';

describe('sql server flags', () => {
  it('takes the URL, writes, allowlists and limits', () => {
    const { config, transport } = parseSqlArgs(
      [
        '--url',
        url,
        '--allow-writes',
        '--schemas',
        'app, crm',
        '--tables',
        'users,app.orders',
        '--max-rows',
        '10',
        '--statement-timeout-ms',
        '500',
      ],
      {},
    );
    assert.equal(config.url, url);
    assert.equal(config.allowWrites, true);
    assert.deepEqual(config.schemas, ['app', 'crm']);
    assert.deepEqual(config.tables, ['users', 'app.orders']);
    assert.equal(config.maxRows, 10);
    assert.equal(config.statementTimeoutMs, 500);
    assert.equal(config.allowSuperuser, false);
    assert.equal(transport.transport, 'stdio');
  });

  it('is read-only with default limits unless told otherwise', () => {
    const { config } = parseSqlArgs(['--url', url], {});
    assert.equal(config.allowWrites, false);
    assert.equal(config.maxRows, 1000);
    assert.equal(config.maxBytes, 1024 * 1024);
    assert.equal(config.statementTimeoutMs, 15_000);
  });

  it('falls back to DATABASE_URL and SQL_* env, flags winning', () => {
    const env = { DATABASE_URL: url, SQL_SCHEMAS: 'app', SQL_MAX_ROWS: '7', SQL_STATEMENT_TIMEOUT_MS: '900' };
    const { config } = parseSqlArgs([], env);
    assert.equal(config.url, url);
    assert.deepEqual(config.schemas, ['app']);
    assert.equal(config.maxRows, 7);
    assert.equal(config.statementTimeoutMs, 900);
    assert.equal(parseSqlArgs(['--max-rows', '3'], env).config.maxRows, 3);
  });

  it('never widens access from the environment', () => {
    const { config } = parseSqlArgs([], { DATABASE_URL: url, SQL_ALLOW_WRITES: '1', SQL_ALLOW_SUPERUSER: '1' });
    assert.equal(config.allowWrites, false);
    assert.equal(config.allowSuperuser, false);
  });

  it('runs on the mock without a URL, seedable only there', () => {
    const { config } = parseSqlArgs(['--mock', '--seed', 'cases/fixtures/sql/seed.sql'], { DATABASE_URL: url });
    assert.equal(config.mock, true);
    assert.equal(config.url, undefined);
    assert.match(config.seed ?? '', /seed\.sql$/);
  });

  it('refuses a missing or foreign URL, bad numbers, --seed without --mock and tables outside --schemas, naming the flag', () => {
    const refuses = (argv: string[], flag: RegExp) =>
      assert.throws(
        () => parseSqlArgs(argv, {}),
        (e: ToolError) => e.code === 'INVALID_CONFIG' && flag.test(e.message),
      );
    refuses([], /--url/);
    refuses(['--url', 'mysql://x@y/z'], /--url/);
    refuses(['--url', url, '--max-rows', 'lots'], /--max-rows/);
    refuses(['--url', url, '--max-rows', '0'], /--max-rows/);
    refuses(['--url', url, '--statement-timeout-ms', ''], /--statement-timeout-ms/);
    refuses(['--url', url, '--seed', 'x.sql'], /--seed/);
    refuses(['--url', url, '--schemas', 'app', '--tables', 'other.t'], /--tables: 'other\.t' is outside --schemas/);
    refuses(['--url', url, '--tables', 'a b'], /--tables/);
    refuses(['--url', url, '--allow-write'], /allow-write/);
  });

  it('masks the password when the URL is logged', () => {
    assert.equal(redactUrl('postgres://u:hunter2@db:5432/x'), 'postgres://u:***@db:5432/x');
    assert.doesNotMatch(redactUrl('postgres://u@db/x?password=hunter2'), /hunter2/);
  });

  it('states scope and limits in words for tool descriptions', () => {
    const { config } = parseSqlArgs(['--url', url, '--schemas', 'app', '--tables', 'users'], {});
    const text = scopeText(config);
    assert.match(text, /Schemas: app\./);
    assert.match(text, /Tables: only users\./);
    assert.match(text, /Writes: refused/);
    assert.match(text, /1000 rows/);
  });
});
