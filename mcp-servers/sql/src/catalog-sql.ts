// The catalogue queries the real backend runs on its own behalf (never caller SQL). System schemas
// (pg_*, information_schema) are left out of listings; the allowlist is applied by the tools.

const userSchema = `n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

export const LIST_SCHEMAS = `SELECT n.nspname AS name FROM pg_namespace n WHERE ${userSchema} ORDER BY 1`;

export const LIST_TABLES = `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND ${userSchema} AND ($1::text IS NULL OR n.nspname = $1::text)
ORDER BY 1, 2`;

export const FIND_TABLE = `SELECT c.oid::int AS oid, c.relkind AS kind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'v', 'm', 'f', 'p')`;

export const TABLE_COLUMNS = `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
  NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::int::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;

export const PRIMARY_KEY = `SELECT a.attname AS name
FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = $1::int::oid AND i.indisprimary ORDER BY k.ord`;

export const TYPE_NAMES = `SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::int[]::oid[])`;

/** Whether the connected role can reach past the database: superuser, or server files and programs. */
export const ROLE_POWERS = `SELECT current_user AS role, r.rolsuper AS superuser,
  ARRAY(SELECT g.rolname::text FROM pg_roles g
        WHERE g.rolname IN ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program')
          AND pg_has_role(current_user, g.oid, 'MEMBER')) AS file_roles
FROM pg_roles r WHERE r.rolname = current_user`;

export const RELATION_KINDS = {
  r: 'table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  p: 'partitioned table',
} as const;

/** Type names for the common OIDs, so most results need no catalogue lookup. */
export const BUILTIN_TYPE_NAMES: [number, string][] = [
  [16, 'boolean'],
  [17, 'bytea'],
  [18, '"char"'],
  [19, 'name'],
  [20, 'bigint'],
  [21, 'smallint'],
  [23, 'integer'],
  [25, 'text'],
  [26, 'oid'],
  [114, 'json'],
  [700, 'real'],
  [701, 'double precision'],
  [1042, 'character'],
  [1043, 'character varying'],
  [1082, 'date'],
  [1083, 'time without time zone'],
  [1114, 'timestamp without time zone'],
  [1184, 'timestamp with time zone'],
  [1186, 'interval'],
  [1700, 'numeric'],
  [2950, 'uuid'],
  [3802, 'jsonb'],
];
