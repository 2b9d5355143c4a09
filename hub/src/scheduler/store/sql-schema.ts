/**
 * The task tables, in SQL both SQLite and Postgres accept once `SERIAL` and the integer key differ.
 * `tasks` holds runnable tasks and groups (dag / batch); `task_deps` is the dependency edge list;
 * `task_events` is the append-only state log whose ids are the SSE event ids; `role_clock` hands out
 * fair-queue positions per role.
 *
 * Every index costs an insert on each row version that matches it, and a task row gets three
 * versions (queued, running, final), so the indexes are few and mostly partial: the queue
 * (`tasks_claim`, `tasks_fair_head`), leases, deadlines, blocked tasks, open members of a group, open
 * groups and idempotency keys, each holding only the rows its sweep or lookup needs.
 */
export function taskSchemaSql(dialect: 'sqlite' | 'postgres'): string[] {
  const pg = dialect === 'postgres';
  const seqColumn = pg ? 'seq BIGSERIAL,' : '';
  // SQLite appends the rowid to every index itself (and refuses to name it in one).
  const seq = pg ? ', seq' : '';
  // Room on each page for the next versions of its rows: a claim or a completion then rewrites its row in
  // place instead of moving it to another page (which also logs a lock on the old version).
  const fillfactor = pg ? ' WITH (fillfactor = 50)' : '';
  // Postgres keys events by (task_id, id): one index both keeps ids unique and serves reads by task.
  const eventId = pg ? 'id BIGSERIAL' : 'id INTEGER PRIMARY KEY AUTOINCREMENT';
  const eventKey = pg ? ', PRIMARY KEY (task_id, id)' : '';
  return [
    `CREATE TABLE IF NOT EXISTS tasks (
      id TEXT PRIMARY KEY, ${seqColumn}
      kind TEXT NOT NULL, parent_id TEXT, step_id TEXT, target TEXT NOT NULL, input TEXT NOT NULL,
      role TEXT NOT NULL, state TEXT NOT NULL, priority INTEGER NOT NULL, fair_seq BIGINT NOT NULL,
      attempts INTEGER NOT NULL, max_attempts INTEGER NOT NULL, backoff TEXT, deadline BIGINT, run_at BIGINT NOT NULL,
      depends_on TEXT NOT NULL, members TEXT, idem_scope TEXT, idem_key TEXT, fingerprint TEXT,
      result TEXT, error TEXT, principal TEXT, correlation_id TEXT NOT NULL,
      lease_owner TEXT, lease_until BIGINT,
      created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT)${fillfactor}`,
    `CREATE INDEX IF NOT EXISTS tasks_claim ON tasks (priority DESC, fair_seq${seq}) WHERE state = 'queued' AND kind = 'task'`,
    `CREATE INDEX IF NOT EXISTS tasks_fair_head ON tasks (fair_seq) WHERE state = 'queued' AND kind = 'task'`,
    `CREATE INDEX IF NOT EXISTS tasks_running ON tasks (lease_until) WHERE state = 'running'`,
    `CREATE INDEX IF NOT EXISTS tasks_deadline ON tasks (deadline) WHERE deadline IS NOT NULL AND state IN ('blocked', 'queued', 'running')`,
    `CREATE INDEX IF NOT EXISTS tasks_blocked ON tasks (state) WHERE state = 'blocked'`,
    `CREATE INDEX IF NOT EXISTS tasks_open_members ON tasks (parent_id) WHERE state IN ('blocked', 'queued', 'running')`,
    `CREATE INDEX IF NOT EXISTS tasks_open_groups ON tasks (id) WHERE kind <> 'task' AND state IN ('queued', 'running')`,
    `CREATE UNIQUE INDEX IF NOT EXISTS tasks_idempotency ON tasks (idem_scope, idem_key) WHERE idem_key IS NOT NULL`,
    // Earlier versions indexed every row by parent; every lookup by parent now wants only open members.
    'DROP INDEX IF EXISTS tasks_parent',
    'CREATE TABLE IF NOT EXISTS task_deps (depends_on TEXT NOT NULL, task_id TEXT NOT NULL, PRIMARY KEY (depends_on, task_id))',
    `CREATE TABLE IF NOT EXISTS task_events (${eventId}, task_id TEXT NOT NULL, parent_id TEXT, step_id TEXT,
      state TEXT NOT NULL, from_state TEXT, attempt INTEGER NOT NULL, at BIGINT NOT NULL, error TEXT, run_at BIGINT${eventKey})`,
    // Postgres schemas made by earlier versions keep this index beside their (id) key; it serves reads alike.
    ...(pg ? [] : ['CREATE INDEX IF NOT EXISTS task_events_task ON task_events (task_id, id)']),
    'CREATE TABLE IF NOT EXISTS role_clock (role TEXT PRIMARY KEY, last BIGINT NOT NULL)',
  ];
}
