// The mock's stand-in for what PostgreSQL's parser and planner tell the real backend: how many
// statements there are, whether one writes, which relations it touches. pg-mem parses with
// pgsql-ast-parser, so the mock asks the same parser rather than inspecting SQL text.
import { ToolError } from '@switchboard/kit';
import { type Statement as Ast, astMapper, astVisitor, type Expr, parse } from 'pgsql-ast-parser';
import type { SqlParam } from './backend.ts';
import type { RelationRef } from './guard.ts';

const QUERY_TYPES = new Set(['select', 'union', 'union all', 'values', 'with', 'with recursive']);
const WRITE_TYPES = new Set(['insert', 'update', 'delete']);

export type StatementKind = 'query' | 'write' | 'other';

/** Exactly one statement, or the same refusals PostgreSQL's extended protocol gives. */
export function parseOne(sql: string): Ast {
  let statements: Ast[];
  try {
    statements = parse(sql);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'syntax error';
    throw Object.assign(new Error(`syntax error: ${message}`), { code: '42601' });
  }
  if (statements.length > 1) throw Object.assign(new Error('cannot insert multiple commands into a prepared statement'), { code: '42601' });
  const [statement] = statements;
  if (statement === undefined) throw Object.assign(new Error('syntax error: empty statement'), { code: '42601' });
  return statement;
}

/** query: reads only; write: INSERT/UPDATE/DELETE, also inside a WITH; other: DDL and the rest. */
export function classify(statement: Ast): StatementKind {
  let writes = WRITE_TYPES.has(statement.type);
  astVisitor((visitor) => ({
    insert: (node) => {
      writes = true;
      visitor.super().insert(node);
    },
    update: (node) => {
      writes = true;
      visitor.super().update(node);
    },
    delete: (node) => {
      writes = true;
      visitor.super().delete(node);
    },
  })).statement(statement);
  if (writes) return 'write';
  return QUERY_TYPES.has(statement.type) ? 'query' : 'other';
}

/** The command word PostgreSQL would answer for this statement (SELECT, INSERT, …). */
export function commandOf(statement: Ast): string {
  if (QUERY_TYPES.has(statement.type)) return 'SELECT';
  return statement.type.toUpperCase();
}

/** Relations a statement names, unqualified ones in `public`, CTE names left out. */
export function relationsOf(statement: Ast): RelationRef[] {
  const named: RelationRef[] = [];
  const cteNames = new Set<string>();
  astVisitor((visitor) => ({
    tableRef: (ref) => {
      named.push({ schema: ref.schema ?? 'public', name: ref.name });
    },
    with: (node) => {
      for (const bound of node.bind) cteNames.add(bound.alias.name);
      visitor.super().with(node);
    },
  })).statement(statement);
  const found = new Map<string, RelationRef>();
  for (const ref of named) {
    const isCte = ref.schema === 'public' && cteNames.has(ref.name);
    if (!isCte) found.set(`${ref.schema}.${ref.name}`, ref);
  }
  return [...found.values()];
}

/** Replaces $1…$n by literals in the tree (never by splicing text), refusing a count mismatch as PostgreSQL does. */
export function bindParams(statement: Ast, params: readonly SqlParam[]): Ast {
  let required = 0;
  astVisitor(() => ({
    parameter: (node) => {
      required = Math.max(required, Number(node.name.slice(1)));
    },
  })).statement(statement);
  if (required !== params.length)
    throw Object.assign(new Error(`bind message supplies ${params.length} parameters, but the statement requires ${required}`), {
      code: '08P01',
    });
  if (required === 0) return statement;
  const bound = astMapper(() => ({
    parameter: (node): Expr => literal(params[Number(node.name.slice(1)) - 1] ?? null),
  })).statement(statement);
  if (bound === null || bound === undefined) throw new ToolError('INTERNAL', 'binding parameters emptied the statement');
  return bound;
}

function literal(value: SqlParam): Expr {
  if (value === null) return { type: 'null' };
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'integer', value } : { type: 'numeric', value };
  return { type: 'string', value };
}
