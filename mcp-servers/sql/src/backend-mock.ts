import { type IMemoryDb, newDb } from 'pg-mem';
import type { Statement as Ast } from 'pgsql-ast-parser';
import type { ExplainResult, Field, RunOptions, RunResult, SqlBackend, Statement, TableDescription, TableInfo } from './backend.ts';
import { notPlannable } from './errors.ts';
import { bindParams, classify, commandOf, parseOne, relationsOf } from './mock-sql.ts';
import { RowCollector, rowFromArray, uniqueColumnNames } from './rows.ts';

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);
const TYPE_NAMES: Record<string, string> = { bool: 'boolean', float: 'double precision', timestamp: 'timestamp without time zone' };

/**
 * An in-memory PostgreSQL (pg-mem) with the real backend's contract: one statement per call,
 * writes refused in read mode with PostgreSQL's own SQLSTATE, reads undone afterwards (a restore
 * point, the mock's ROLLBACK), and the same limits. pg-mem runs synchronously, so it has no
 * statement timeout and no cancellation.
 */
export class MemorySqlBackend implements SqlBackend {
  readonly kind = 'pg-mem';

  constructor(readonly db: IMemoryDb = newDb()) {}

  /** A fresh database, with `seedSql` (several statements allowed) run once. */
  static seeded(seedSql?: string): MemorySqlBackend {
    const backend = new MemorySqlBackend();
    if (seedSql !== undefined && seedSql.trim() !== '') backend.db.public.none(seedSql);
    return backend;
  }

  async run(statement: Statement, options: RunOptions): Promise<RunResult> {
    const ast = this.check(statement, options.mode, options.checkRelations);
    const bound = bindParams(ast, statement.params);
    const restorePoint = options.mode === 'read' ? this.db.backup() : undefined;
    let result: ReturnType<IMemoryDb['public']['query']>;
    try {
      result = this.db.public.query(bound);
    } catch (error) {
      throw asPgError(error);
    } finally {
      restorePoint?.restore();
    }
    const keys = uniqueColumnNames(result.fields.map((field) => field.name));
    const collector = new RowCollector(options.maxRows, options.maxBytes);
    for (const row of result.rows as Record<string, unknown>[]) {
      const values = result.fields.map((field) => mockValue(row[field.name], field.typeId));
      if (!collector.add(rowFromArray(keys, values))) break;
    }
    const fields: Field[] = result.fields.map((field, i) => ({ name: keys[i] ?? field.name, type: TYPE_NAMES[field.type] ?? field.type }));
    const complete = collector.truncatedBy === undefined;
    return {
      command: result.command || commandOf(ast),
      fields,
      rows: collector.rows,
      rowCount: complete ? (commandOf(ast) === 'SELECT' ? collector.rows.length : result.rowCount) : null,
      ...(complete ? {} : { truncatedBy: collector.truncatedBy }),
    };
  }

  async explain(statement: Statement, options: Parameters<SqlBackend['explain']>[1]): Promise<ExplainResult> {
    const ast = this.check(statement, 'read', options.checkRelations, options.analyze); // ANALYZE runs it, so a write is refused
    bindParams(ast, statement.params);
    const relations = relationsOf(ast);
    // pg-mem has no planner; the mock's "plan" says so and lists what the statement touches.
    return {
      plan: [{ Plan: { 'Node Type': 'pg-mem (no planner)', Relations: relations.map((r) => `${r.schema}.${r.name}`) } }],
      relations,
    };
  }

  async listSchemas(): Promise<string[]> {
    return this.schemaNames();
  }

  async listTables(schema?: string): Promise<TableInfo[]> {
    const names = schema === undefined ? this.schemaNames() : this.schemaNames().filter((name) => name === schema);
    return names.flatMap((name) =>
      [...this.db.getSchema(name).listTables()]
        .map((table): TableInfo => ({ schema: name, name: table.name, kind: 'table' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  async describeTable(schema: string, table: string): Promise<TableDescription | undefined> {
    if (!this.schemaNames().includes(schema)) return undefined;
    const found = this.db.getSchema(schema).getTable(table, true);
    if (found === null) return undefined;
    return {
      schema,
      name: table,
      kind: 'table',
      columns: [...found.getColumns()].map((column) => ({
        name: column.name,
        type: TYPE_NAMES[column.type.name] ?? column.type.name,
        nullable: column.nullable,
        default: null, // pg-mem does not expose default expressions
      })),
      primaryKey: found.primaryIndex?.expressions.map((expression) => expression.replace(/^"|"$/g, '')) ?? [],
    };
  }

  async close(): Promise<void> {}

  /** Parses one statement and applies the read-only and allowlist rules before anything runs. */
  private check(statement: Statement, mode: RunOptions['mode'], checkRelations: RunOptions['checkRelations'], strict = true): Ast {
    const ast = parseOne(statement.sql);
    const kind = classify(ast);
    if (mode === 'read' && kind === 'write' && strict)
      throw Object.assign(new Error(`cannot execute ${commandOf(firstWrite(ast))} in a read-only transaction`), { code: '25006' });
    if (kind === 'other' && (mode === 'read' || checkRelations !== undefined))
      throw notPlannable(mode, `${ast.type.toUpperCase()} is not a plannable statement`);
    checkRelations?.({ relations: relationsOf(ast), opaqueFunctions: [] }); // pg-mem has none of the opaque functions
    return ast;
  }

  private schemaNames(): string[] {
    return (this.db as unknown as { listSchemas(): { name: string }[] })
      .listSchemas()
      .map((schema) => schema.name)
      .filter((name) => !SYSTEM_SCHEMAS.has(name))
      .sort();
  }
}

/** The writing part of a statement, for the error message (a DELETE inside a WITH names DELETE). */
function firstWrite(ast: Ast): Ast {
  if (ast.type === 'with') for (const bound of ast.bind) if (classify(bound.statement) === 'write') return firstWrite(bound.statement);
  if (ast.type === 'with' && classify(ast.in) === 'write') return firstWrite(ast.in);
  return ast;
}

/** pg-mem values in the real backend's JSON forms: dates as YYYY-MM-DD, timestamps as ISO text. */
function mockValue(value: unknown, typeId: number): unknown {
  if (value instanceof Date && typeId === 1082) return value.toISOString().slice(0, 10);
  return value;
}

/** pg-mem errors with a SQLSTATE, so the tools map them exactly as PostgreSQL's. */
function asPgError(error: unknown): Error {
  const err = error as Error & { code?: string };
  const message = (err.message ?? String(error)).split('\n')[0]?.replace(/^ERROR:\s*/, '') ?? 'query failed';
  if (err.code !== undefined) return Object.assign(new Error(message), { code: err.code });
  let code = '42000';
  if (/relation .* does not exist/.test(message)) code = '42P01';
  else if (/function .* does not exist/.test(message)) code = '42883';
  else if (/column .* does not exist/.test(message)) code = '42703';
  else if (err.constructor?.name === 'NotSupported') code = '0A000';
  return Object.assign(new Error(message), { code });
}
