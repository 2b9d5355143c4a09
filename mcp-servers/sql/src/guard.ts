import { ToolError } from '@switchboard/kit';

/** A table, view or other relation a statement touches, as the catalogue names it. */
export interface RelationRef {
  schema: string;
  name: string;
}

export interface TableEntry {
  /** Absent for a bare name: the table in any allowed schema (or `public` when no schemas are listed). */
  schema?: string;
  name: string;
}

/** Empty lists mean "no restriction"; both lists given means both must admit the relation. */
export interface Allowlist {
  schemas: readonly string[];
  tables: readonly TableEntry[];
}

export function parseTableEntry(entry: string): TableEntry {
  const dot = entry.indexOf('.');
  return dot === -1 ? { name: entry } : { schema: entry.slice(0, dot), name: entry.slice(dot + 1) };
}

export function isRestricted(allowlist: Allowlist): boolean {
  return allowlist.schemas.length > 0 || allowlist.tables.length > 0;
}

export function isSchemaAllowed(allowlist: Allowlist, schema: string): boolean {
  if (allowlist.schemas.length > 0) return allowlist.schemas.includes(schema);
  if (allowlist.tables.length > 0) return allowlist.tables.some((table) => (table.schema ?? 'public') === schema);
  return true;
}

export function isRelationAllowed(allowlist: Allowlist, relation: RelationRef): boolean {
  if (!isSchemaAllowed(allowlist, relation.schema)) return false;
  if (allowlist.tables.length === 0) return true;
  return allowlist.tables.some(
    (table) =>
      table.name === relation.name &&
      (table.schema === undefined
        ? allowlist.schemas.length > 0 || relation.schema === 'public' // bare name: allowed schemas, else public
        : table.schema === relation.schema),
  );
}

export function describeAllowlist(allowlist: Allowlist): string {
  const parts: string[] = [];
  if (allowlist.schemas.length > 0) parts.push(`schemas: ${allowlist.schemas.join(', ')}`);
  if (allowlist.tables.length > 0)
    parts.push(`tables: ${allowlist.tables.map((t) => (t.schema ? `${t.schema}.${t.name}` : t.name)).join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'everything';
}

/** What the planner says a statement touches. */
export interface Touched {
  relations: RelationRef[];
  /** Functions that read tables named in their arguments or run SQL given as text: the plan cannot show what they read. */
  opaqueFunctions: string[];
}

/**
 * Refuses a statement that touches any relation outside the allowlist, naming the first one, or
 * that calls a function whose reads the planner cannot see (query_to_xml('SELECT … FROM secret')).
 */
export function checkRelations(allowlist: Allowlist, touched: Touched, field = 'sql'): void {
  const outside = touched.relations.find((relation) => !isRelationAllowed(allowlist, relation));
  if (outside !== undefined)
    throw new ToolError(
      'ACL_DENIED',
      `the statement touches ${outside.schema}.${outside.name}, which is outside this server's allowlist (${describeAllowlist(allowlist)})`,
      field,
    );
  const [opaque] = touched.opaqueFunctions;
  if (opaque !== undefined)
    throw new ToolError(
      'ACL_DENIED',
      `the statement calls ${opaque}(), which reads tables the planner cannot see, so this server's allowlist (${describeAllowlist(allowlist)}) cannot be checked; query the tables directly`,
      field,
    );
}

// Built-in functions that run SQL passed as text or read a table named by a value. A backstop
// behind database privileges (a denylist is never complete); matched in the plan's deparsed
// expressions, where PostgreSQL prints every call it will make by name.
const OPAQUE_FUNCTIONS = [
  'query_to_xml',
  'query_to_xml_and_xmlschema',
  'query_to_xmlschema',
  'cursor_to_xml',
  'table_to_xml',
  'table_to_xml_and_xmlschema',
  'table_to_xmlschema',
  'schema_to_xml',
  'schema_to_xml_and_xmlschema',
  'schema_to_xmlschema',
  'database_to_xml',
  'database_to_xml_and_xmlschema',
  'database_to_xmlschema',
  'ts_stat',
  'ts_rewrite',
];
const opaqueCall = new RegExp(`(?:^|[^A-Za-z0-9_$"])"?(${OPAQUE_FUNCTIONS.join('|')}|dblink[a-z_]*)"?\\s*\\(`, 'gi');

/** Every opaque function a plan calls, from any deparsed expression or function-scan node in it. */
export function opaqueFunctionsInPlan(plan: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(opaqueCall)) found.add((match[1] as string).toLowerCase());
    } else if (Array.isArray(node)) {
      for (const child of node) visit(child);
    } else if (node !== null && typeof node === 'object') {
      for (const value of Object.values(node)) visit(value);
    }
  };
  visit(plan);
  return [...found];
}

export function touchedByPlan(plan: unknown): Touched {
  return { relations: relationsInPlan(plan), opaqueFunctions: opaqueFunctionsInPlan(plan) };
}

/**
 * Every relation a PostgreSQL `EXPLAIN (VERBOSE, FORMAT JSON)` plan names, wherever it sits in the
 * tree (scans, ModifyTable targets, sub-plans, CTEs). Fails closed: a relation without a schema
 * (a plan that was not VERBOSE) is reported under the schema '?', which no allowlist admits.
 */
export function relationsInPlan(plan: unknown): RelationRef[] {
  const found = new Map<string, RelationRef>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const name = record['Relation Name'];
    if (typeof name === 'string') {
      const schema = typeof record.Schema === 'string' ? record.Schema : '?';
      found.set(`${schema}.${name}`, { schema, name });
    }
    for (const value of Object.values(record)) if (typeof value === 'object') visit(value);
  };
  visit(plan);
  return [...found.values()];
}
