import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '@switchboard/kit';
import { toSqlToolError } from './errors.ts';

const context = { tool: 'query', allowWrites: false, timeoutMs: 1500 };
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('database errors as domain errors', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['25006', 'cannot execute DELETE in a read-only transaction', 'READ_ONLY', 'sql'],
    ['57014', 'canceling statement due to statement timeout', 'TIMEOUT', 'sql'],
    ['42501', 'permission denied for function pg_read_file', 'ACL_DENIED', 'sql'],
    ['42P01', 'relation "nope" does not exist', 'NOT_FOUND', 'sql'],
    ['08P01', 'bind message supplies 1 parameters, but prepared statement "" requires 2', 'INVALID_ARGUMENT', 'params'],
    ['42601', 'cannot insert multiple commands into a prepared statement', 'INVALID_ARGUMENT', 'sql'],
    ['42601', 'syntax error at or near "selec"', 'INVALID_ARGUMENT', 'sql'],
    ['22P02', 'invalid input syntax for type integer: "x"', 'INVALID_ARGUMENT', 'sql'],
    ['23505', 'duplicate key value violates unique constraint "t_pkey"', 'ALREADY_EXISTS', 'sql'],
    ['54000', 'program limit exceeded', 'LIMIT_EXCEEDED', 'sql'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432', 'UPSTREAM_UNAVAILABLE', undefined],
    ['57P01', 'terminating connection due to administrator command', 'UPSTREAM_UNAVAILABLE', undefined],
    ['28P01', 'password authentication failed for user "x"', 'INVALID_CONFIG', undefined],
    ['XX000', 'internal error', 'INTERNAL', undefined],
  ];
  for (const [code, message, expected, field] of cases) {
    it(`${code} → ${expected}`, () => {
      const error = toSqlToolError(pgError(code, message), context);
      assert.equal(error.code, expected);
      assert.equal(error.field, field);
    });
  }

  it('says what to do: writes need --allow-writes, timeouts name the limit, one statement per call', () => {
    assert.match(toSqlToolError(pgError('25006', 'x'), context).message, /--allow-writes/);
    assert.match(toSqlToolError(pgError('25006', 'x'), { ...context, allowWrites: true }).message, /use execute/);
    assert.match(toSqlToolError(pgError('57014', 'x'), context).message, /1500 ms/);
    assert.match(
      toSqlToolError(pgError('42601', 'cannot insert multiple commands into a prepared statement'), context).message,
      /one statement per call/,
    );
  });

  it('passes ToolErrors through and never echoes the connection URL', () => {
    const own = new ToolError('ACL_DENIED', 'x', 'sql');
    assert.equal(toSqlToolError(own, context), own);
    const refused = toSqlToolError(pgError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'), context);
    assert.doesNotMatch(refused.message, /10\.0\.0\.1/);
  });
});
