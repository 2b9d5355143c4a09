import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import {
  type Allowlist,
  checkRelations,
  isRelationAllowed,
  isSchemaAllowed,
  opaqueFunctionsInPlan,
  parseTableEntry,
  relationsInPlan,
  touchedByPlan,
} from './guard.ts';

const allow = (schemas: string[], tables: string[]): Allowlist => ({ schemas, tables: tables.map(parseTableEntry) });

describe('allowlist', () => {
  it('parses table entries, qualified or bare', () => {
    assert.deepEqual(parseTableEntry('app.users'), { schema: 'app', name: 'users' });
    assert.deepEqual(parseTableEntry('users'), { name: 'users' });
  });

  it('admits everything when no lists are given', () => {
    assert.equal(isRelationAllowed(allow([], []), { schema: 'secret', name: 'keys' }), true);
  });

  it('restricts to whole schemas', () => {
    const list = allow(['app', 'reporting'], []);
    assert.equal(isRelationAllowed(list, { schema: 'app', name: 'users' }), true);
    assert.equal(isRelationAllowed(list, { schema: 'public', name: 'users' }), false);
    assert.equal(isRelationAllowed(list, { schema: 'pg_catalog', name: 'pg_authid' }), false);
    assert.equal(isSchemaAllowed(list, 'reporting'), true);
    assert.equal(isSchemaAllowed(list, 'public'), false);
  });

  it('restricts to tables; a bare name means public when no schemas are listed', () => {
    const list = allow([], ['orders', 'app.users']);
    assert.equal(isRelationAllowed(list, { schema: 'public', name: 'orders' }), true);
    assert.equal(isRelationAllowed(list, { schema: 'evil', name: 'orders' }), false);
    assert.equal(isRelationAllowed(list, { schema: 'app', name: 'users' }), true);
    assert.equal(isRelationAllowed(list, { schema: 'app', name: 'secrets' }), false);
    assert.equal(isSchemaAllowed(list, 'app'), true);
    assert.equal(isSchemaAllowed(list, 'evil'), false);
  });

  it('with both lists, a relation must pass both; a bare name matches in any allowed schema', () => {
    const list = allow(['app', 'crm'], ['users']);
    assert.equal(isRelationAllowed(list, { schema: 'app', name: 'users' }), true);
    assert.equal(isRelationAllowed(list, { schema: 'crm', name: 'users' }), true);
    assert.equal(isRelationAllowed(list, { schema: 'public', name: 'users' }), false);
    assert.equal(isRelationAllowed(list, { schema: 'app', name: 'orders' }), false);
  });

  it('refuses the first relation outside, naming it and the sql field', () => {
    const list = allow(['app'], []);
    assert.doesNotThrow(() => checkRelations(list, { relations: [{ schema: 'app', name: 'a' }], opaqueFunctions: [] }));
    assert.doesNotThrow(() => checkRelations(list, { relations: [], opaqueFunctions: [] }));
    assert.throws(
      () =>
        checkRelations(list, {
          relations: [
            { schema: 'app', name: 'a' },
            { schema: 'secret', name: 'keys' },
          ],
          opaqueFunctions: [],
        }),
      (error: ToolError) =>
        error.code === 'ACL_DENIED' && error.field === 'sql' && /secret\.keys/.test(error.message) && /schemas: app/.test(error.message),
    );
  });
});

describe('relationsInPlan', () => {
  // Shaped like PostgreSQL 15's EXPLAIN (VERBOSE, FORMAT JSON) for
  // WITH d AS (DELETE FROM app.t RETURNING *) SELECT * FROM d JOIN app.u USING (id) WHERE x = (SELECT max(x) FROM secret.k)
  const plan = [
    {
      Plan: {
        'Node Type': 'Hash Join',
        Output: ['d.id'],
        Plans: [
          {
            'Node Type': 'ModifyTable',
            Operation: 'Delete',
            'Parent Relationship': 'InitPlan',
            'Relation Name': 't',
            Schema: 'app',
            Alias: 't',
            Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 't', Schema: 'app', Alias: 't' }],
          },
          {
            'Node Type': 'Result',
            'Parent Relationship': 'InitPlan',
            Plans: [{ 'Node Type': 'Index Only Scan', 'Index Name': 'k_x', 'Relation Name': 'k', Schema: 'secret', Alias: 'k' }],
          },
          { 'Node Type': 'CTE Scan', 'CTE Name': 'd', Alias: 'd' },
          { 'Node Type': 'Hash', Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'u', Schema: 'app', Alias: 'u' }] },
        ],
      },
    },
  ];

  it('finds every relation anywhere in the tree, once each', () => {
    assert.deepEqual(relationsInPlan(plan), [
      { schema: 'app', name: 't' },
      { schema: 'secret', name: 'k' },
      { schema: 'app', name: 'u' },
    ]);
  });

  it('finds none in a plan without relations', () => {
    assert.deepEqual(relationsInPlan([{ Plan: { 'Node Type': 'Result', Output: ['1'] } }]), []);
    assert.deepEqual(
      relationsInPlan([{ Plan: { 'Node Type': 'Function Scan', 'Function Name': 'generate_series', Schema: 'pg_catalog' } }]),
      [],
    );
  });

  it('fails closed on a relation without a schema', () => {
    const relations = relationsInPlan([{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 't' } }]);
    assert.deepEqual(relations, [{ schema: '?', name: 't' }]);
    assert.throws(() => checkRelations(allow([], ['t']), { relations, opaqueFunctions: [] }), /outside/);
  });
});

describe('opaqueFunctionsInPlan', () => {
  // From PostgreSQL 15: EXPLAIN (VERBOSE, FORMAT JSON) SELECT query_to_xml('select 1', true, true, ''), x,
  // (SELECT count(*) FROM pg_catalog."ts_stat"('select 1')) FROM table_to_xml('pg_class'::regclass, true, true, '') x
  const plan = [
    {
      Plan: {
        'Node Type': 'Function Scan',
        'Function Name': 'table_to_xml',
        Output: ["query_to_xml('select 1'::text, true, true, ''::text)", 'x.x', '$0'],
        'Function Call': "table_to_xml('pg_class'::regclass, true, true, ''::text)",
        Plans: [{ 'Node Type': 'Function Scan', 'Function Name': 'ts_stat', 'Function Call': "ts_stat('select 1'::text)" }],
      },
    },
  ];

  it('finds functions that read what the plan cannot show, however they are written', () => {
    assert.deepEqual(opaqueFunctionsInPlan(plan).sort(), ['query_to_xml', 'table_to_xml', 'ts_stat']);
    assert.deepEqual(opaqueFunctionsInPlan([{ Plan: { Output: ['pg_catalog."query_to_xml"(x.q, true, true, \'\'::text)'] } }]), [
      'query_to_xml',
    ]);
    assert.deepEqual(opaqueFunctionsInPlan([{ Plan: { Output: ["dblink_exec('x'::text)"] } }]), ['dblink_exec']);
  });

  it('leaves ordinary functions and look-alike names alone', () => {
    assert.deepEqual(opaqueFunctionsInPlan([{ Plan: { Output: ['lower(t.name)', 'my_query_to_xml(t.a)', 'count(*)'] } }]), []);
  });

  it('is refused under an allowlist', () => {
    const touched = touchedByPlan(plan);
    assert.throws(
      () => checkRelations(allow(['app'], []), touched),
      (error: ToolError) => error.code === 'ACL_DENIED' && /query_to_xml\(\)|table_to_xml\(\)|ts_stat\(\)/.test(error.message),
    );
  });
});
