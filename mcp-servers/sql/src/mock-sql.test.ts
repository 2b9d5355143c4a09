import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toSql } from 'pgsql-ast-parser';
import { bindParams, classify, parseOne, relationsOf } from './mock-sql.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('mock statement analysis', () => {
  it('takes exactly one statement, as the extended protocol does', () => {
    assert.equal(parseOne('SELECT 1;').type, 'select');
    assert.equal(
      code(() => parseOne('COMMIT; DROP TABLE t')),
      '42601',
    );
    assert.equal(
      code(() => parseOne('SELECT 1; SELECT 2')),
      '42601',
    );
    assert.equal(
      code(() => parseOne('-- nothing')),
      '42601',
    );
    assert.equal(
      code(() => parseOne('selec 1')),
      '42601',
    );
  });

  it('classifies reads, writes (also inside WITH) and other commands', () => {
    assert.equal(classify(parseOne('SELECT * FROM t')), 'query');
    assert.equal(classify(parseOne('VALUES (1)')), 'query');
    assert.equal(classify(parseOne('SELECT 1 UNION SELECT 2')), 'query');
    assert.equal(classify(parseOne('DELETE FROM t')), 'write');
    assert.equal(classify(parseOne('WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d')), 'write');
    assert.equal(classify(parseOne('WITH i AS (INSERT INTO t VALUES (1) RETURNING *) SELECT 1')), 'write');
    assert.equal(classify(parseOne('DROP TABLE t')), 'other');
    assert.equal(classify(parseOne('CREATE TABLE x (a int)')), 'other');
  });

  it('lists relations with their schema, leaving CTE names out', () => {
    assert.deepEqual(relationsOf(parseOne('WITH d AS (SELECT * FROM app.u) SELECT * FROM d JOIN t ON true')), [
      { schema: 'app', name: 'u' },
      { schema: 'public', name: 't' },
    ]);
    assert.deepEqual(relationsOf(parseOne('INSERT INTO secret.k SELECT * FROM app.u')), [
      { schema: 'secret', name: 'k' },
      { schema: 'app', name: 'u' },
    ]);
    assert.deepEqual(relationsOf(parseOne('SELECT * FROM (SELECT * FROM secret.k) s WHERE 1 IN (SELECT id FROM app.u)')), [
      { schema: 'secret', name: 'k' },
      { schema: 'app', name: 'u' },
    ]);
  });

  it('binds parameters as literals in the tree, never as SQL text', () => {
    const bound = bindParams(parseOne('SELECT * FROM t WHERE name = $1 AND id = $2'), ["x'; DROP TABLE t; --", 2]);
    const sql = toSql.statement(bound);
    assert.match(sql, /'x''; DROP TABLE t; --'/);
    assert.equal(classify(bound), 'query');
  });

  it('refuses a parameter count that does not match, as PostgreSQL does', () => {
    assert.equal(
      code(() => bindParams(parseOne('SELECT $1, $2'), [1])),
      '08P01',
    );
    assert.equal(
      code(() => bindParams(parseOne('SELECT 1'), [1])),
      '08P01',
    );
    assert.equal(
      code(() => bindParams(parseOne('SELECT $1'), [1])),
      undefined,
    );
  });
});
