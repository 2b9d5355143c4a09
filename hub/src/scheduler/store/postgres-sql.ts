// The Postgres store's hot statements: each is one round trip and one commit. They are named (prepared
// once per connection), so their text never varies: lists travel as JSON or arrays in parameters.

const OPEN = `('blocked', 'queued', 'running')`;
const FINAL = `('succeeded', 'failed', 'cancelled', 'timed_out')`;
/**
 * `state = 'running'` written so that it does not match the predicate of `tasks_running`: rows looked up
 * by key are found by key, not by reading every running task (and the dead versions in that index).
 */
const RUNNING = (alias: string) => `${alias}.state || '' = 'running'`;

/**
 * Records a worker's final outcomes and claims its next tasks, in one call of the function below.
 * $1 outcomes (JSON: id, owner, attempt, state, result, error, ord), $2 now, $3 roles not to claim,
 * $4 how many to claim (0: only record), $5 lease owner, $6 lease end, $7 groups to settle if final.
 * Rows: see decodeClaimAndComplete.
 */
export const CLAIM_AND_COMPLETE =
  'SELECT * FROM claim_and_complete($1::jsonb, $2::bigint, $3::text[], $4::int, $5::text, $6::bigint, $7::text[])';

/**
 * CLAIM_AND_COMPLETE's function, created with the schema (CREATE OR REPLACE on each start; a change to
 * its result columns needs a DROP FUNCTION first). Its few simple statements are planned once per
 * connection: generic plans, and with seq scans off every one finds its rows by index, so a plan made
 * while the table was empty stays good as it fills. (As one large statement it was planned afresh for
 * each connection's first six executions, ~1.4 ms each, more than it takes to run, and then kept a
 * generic plan made at whatever size the table had then.) Parts with nothing to do are skipped: the
 * group settlement when no group (of a finishing task, or to recheck) is left without open members,
 * the claim when $4 is 0.
 *
 * Completion: a fenced update (state running, same owner and attempt), so a late report changes
 * nothing. The later statements see the finished rows (same transaction). A group is settled here when
 * none of its members is left open. Two calls finishing the last members of one group at once can both
 * miss it (each sees the other's members still running, uncommitted): a group whose other open members
 * are all running comes back as `recheck`, and the store calls again for it ($7, nothing else) once this
 * call has committed; the later of two such rechecks sees both. A recheck that still sees an open
 * member stops at that, cheaply: that member's own completion settles the group or asks for the next
 * recheck. (The sweeper's settledGroups remains the last resort.) `unsettled`: may be final but not
 * settled here (a group still queued, or with members of other groups): for the general rules. A group
 * row another transaction holds is skipped (SKIP LOCKED) and comes back as `recheck`.
 *
 * Claim: `FOR UPDATE SKIP LOCKED` in priority then fair order; never a task whose deadline has passed
 * (a retry that fell due while every worker was busy): the sweeper times it out instead. A claimed task's group turns running;
 * its row is skipped when locked (another worker is starting it), so claims never wait for each other,
 * and the sweeper repairs the rare group left queued by a racing writer.
 *
 * Events are inserted in the order: finished tasks (outcome order), settled groups, claimed tasks (claim
 * order), started groups; each statement inserts its own, so ids follow that order.
 */
export const CLAIM_AND_COMPLETE_FUNCTION = `
CREATE OR REPLACE FUNCTION claim_and_complete(p_outcomes jsonb, p_now bigint, p_exclude text[], p_limit int, p_owner text,
  p_until bigint, p_recheck text[])
RETURNS TABLE (what text, event_id bigint, id text, parent_id text, step_id text, attempts int, error text, target text,
  input text, role text, priority int, fair_seq bigint, seq bigint, deadline bigint, principal text, correlation_id text,
  state text, has_dependants boolean)
LANGUAGE plpgsql VOLATILE
SET search_path FROM CURRENT SET plan_cache_mode = force_generic_plan SET enable_seqscan = off
AS $fn$
#variable_conflict use_column
DECLARE
  d_event bigint[]; d_id text[]; d_parent text[]; d_step text[]; d_attempts int[]; d_error text[]; d_state text[]; d_deps boolean[];
  c_id text[]; c_open bigint[]; c_waiting bigint[]; g_id text[];
BEGIN
  IF jsonb_array_length(p_outcomes) > 0 THEN
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(p_outcomes) AS i(id text, owner text, attempt int, state text, result text, error text, ord int)),
    done AS (
      UPDATE tasks t SET state = i.state, result = i.result, error = i.error, lease_owner = NULL, lease_until = NULL,
        updated_at = p_now, finished_at = p_now
      FROM input i WHERE t.id = ANY(ARRAY(SELECT id FROM input)) AND t.id = i.id AND ${RUNNING('t')} AND t.lease_owner = i.owner
        AND t.attempts = i.attempt
      RETURNING t.id, t.parent_id, t.step_id, t.state, t.attempts, t.error, i.ord),
    logged AS (
      INSERT INTO task_events (task_id, parent_id, step_id, state, from_state, attempt, at, error)
      SELECT id, parent_id, step_id, state, 'running', attempts, p_now, error FROM done ORDER BY ord
      RETURNING id, task_id)
    SELECT array_agg(l.id), array_agg(d.id), array_agg(d.parent_id), array_agg(d.step_id), array_agg(d.attempts), array_agg(d.error),
      array_agg(d.state), array_agg(EXISTS (SELECT 1 FROM task_deps x WHERE x.depends_on = d.id))
    INTO d_event, d_id, d_parent, d_step, d_attempts, d_error, d_state, d_deps
    FROM done d JOIN logged l ON l.task_id = d.id;
    RETURN QUERY SELECT 'done', u.event_id, u.id, u.parent_id, u.step_id, u.attempts, u.error, NULL, NULL, NULL, NULL::int,
      NULL::bigint, NULL::bigint, NULL::bigint, NULL, NULL, u.state, u.deps
    FROM unnest(d_event, d_id, d_parent, d_step, d_attempts, d_error, d_state, d_deps)
      AS u(event_id, id, parent_id, step_id, attempts, error, state, deps);
    -- Open members left in each finishing task's group: the rows finished above are final here already.
    SELECT array_agg(f.parent_id), array_agg(o.open), array_agg(o.waiting)
    INTO c_id, c_open, c_waiting
    FROM (SELECT DISTINCT p.parent_id FROM unnest(d_parent) AS p(parent_id) WHERE p.parent_id IS NOT NULL) f
    CROSS JOIN LATERAL (
      SELECT count(*) AS open, count(*) FILTER (WHERE m.state <> 'running') AS waiting
      FROM tasks m WHERE m.parent_id = f.parent_id AND m.state IN ${OPEN}) o;
  END IF;
  -- Groups that may be final: none of their members left open (read first: most calls find none, and
  -- then skip the statement that settles, whose start alone costs more than this).
  IF 0 = ANY(c_open) OR cardinality(p_recheck) > 0 THEN
    SELECT array_agg(x.id) INTO g_id FROM (
      SELECT c.id FROM unnest(c_id, c_open) AS c(id, open) WHERE c.open = 0
      UNION
      -- OFFSET 0: one index probe per group (the generic plan would rather hash every open task).
      SELECT r.id FROM unnest(p_recheck) AS r(id)
      WHERE NOT EXISTS (SELECT 1 FROM tasks m WHERE m.parent_id = r.id AND m.state IN ${OPEN} OFFSET 0)) x;
  END IF;
  IF g_id IS NOT NULL THEN
    RETURN QUERY
    WITH candidates AS MATERIALIZED (SELECT unnest(g_id) AS id),
    member_states AS MATERIALIZED (
      SELECT g.id AS group_id, e.ord, m.state, m.error
      FROM candidates c JOIN tasks g ON g.id = c.id AND ${RUNNING('g')}
      CROSS JOIN LATERAL jsonb_array_elements_text(g.members::jsonb) WITH ORDINALITY AS e(member_id, ord)
      LEFT JOIN LATERAL (SELECT x.state, x.error FROM tasks x WHERE x.id = e.member_id LIMIT 1) m ON true),
    settled AS MATERIALIZED (
      SELECT group_id, CASE WHEN bool_or(state = 'failed') THEN 'failed' WHEN bool_or(state = 'timed_out') THEN 'timed_out'
        WHEN bool_or(state = 'cancelled') THEN 'cancelled' ELSE 'succeeded' END AS target
      FROM member_states GROUP BY group_id HAVING bool_and(COALESCE(state IN ${FINAL}, false))),
    group_locked AS MATERIALIZED (
      SELECT g.id FROM tasks g WHERE g.id = ANY(ARRAY(SELECT group_id FROM settled)) AND ${RUNNING('g')} FOR UPDATE SKIP LOCKED),
    group_done AS (
      UPDATE tasks g SET state = s.target, updated_at = p_now, finished_at = p_now, error = CASE WHEN s.target = 'succeeded' THEN NULL ELSE
        (SELECT ms.error FROM member_states ms WHERE ms.group_id = s.group_id AND ms.state = s.target ORDER BY ms.ord LIMIT 1) END
      FROM settled s WHERE g.id = ANY(ARRAY(SELECT id FROM group_locked)) AND g.id = s.group_id AND ${RUNNING('g')}
      RETURNING g.id, g.state, g.attempts, g.error),
    logged AS (
      INSERT INTO task_events (task_id, parent_id, step_id, state, from_state, attempt, at, error)
      SELECT id, NULL, NULL, state, 'running', attempts, p_now, error FROM group_done ORDER BY id
      RETURNING id, task_id)
    SELECT 'group_done', l.id, g.id, NULL, NULL, g.attempts, g.error, NULL, NULL, NULL, NULL::int, NULL::bigint, NULL::bigint,
      NULL::bigint, NULL, NULL, g.state, false
    FROM group_done g JOIN logged l ON l.task_id = g.id
    UNION ALL
    SELECT CASE WHEN c.open = 0 THEN 'unsettled' ELSE 'recheck' END, NULL, c.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
      NULL, NULL, NULL, NULL, NULL, NULL, false
    FROM unnest(c_id, c_open, c_waiting) AS c(id, open, waiting)
    WHERE (c.open = 0 AND NOT EXISTS (SELECT 1 FROM group_done g WHERE g.id = c.id)) OR (c.open > 0 AND c.waiting = 0)
    UNION ALL
    SELECT 'recheck', NULL, s.group_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false
    FROM settled s WHERE NOT EXISTS (SELECT 1 FROM group_locked k WHERE k.id = s.group_id);
  ELSE
    -- No group to settle here: only those whose other open members all run (another call may be finishing them).
    RETURN QUERY SELECT 'recheck', NULL::bigint, c.id, NULL, NULL, NULL::int, NULL, NULL, NULL, NULL, NULL::int, NULL::bigint,
      NULL::bigint, NULL::bigint, NULL, NULL, NULL, false
    FROM unnest(c_id, c_open, c_waiting) AS c(id, open, waiting) WHERE c.open > 0 AND c.waiting = 0;
  END IF;
  IF p_limit > 0 THEN
    RETURN QUERY
    WITH picked AS (
      SELECT t.id FROM tasks t WHERE t.state = 'queued' AND t.kind = 'task' AND t.run_at <= p_now
        AND (t.deadline IS NULL OR t.deadline > p_now) AND t.role <> ALL(p_exclude)
      ORDER BY t.priority DESC, t.fair_seq, t.seq LIMIT p_limit FOR UPDATE SKIP LOCKED),
    claimed AS (
      UPDATE tasks t SET state = 'running', attempts = t.attempts + 1, lease_owner = p_owner, lease_until = p_until,
        started_at = COALESCE(t.started_at, p_now), updated_at = p_now
      FROM picked WHERE t.id = picked.id
      RETURNING t.id, t.parent_id, t.step_id, t.target, t.input, t.role, t.priority, t.fair_seq, t.seq, t.attempts, t.deadline,
        t.principal, t.correlation_id),
    group_picked AS (
      SELECT g.id FROM tasks g WHERE g.id = ANY(ARRAY(SELECT parent_id FROM claimed)) AND g.state || '' = 'queued'
      FOR UPDATE SKIP LOCKED),
    group_started AS (
      UPDATE tasks g SET state = 'running', started_at = p_now, updated_at = p_now FROM group_picked p WHERE g.id = p.id
      RETURNING g.id, g.attempts),
    logged AS (
      INSERT INTO task_events (task_id, parent_id, step_id, state, from_state, attempt, at)
      SELECT id, parent_id, step_id, 'running', 'queued', attempt, p_now FROM (
        SELECT 3 AS k, -priority AS o1, fair_seq AS o2, seq AS o3, id, parent_id, step_id, attempts AS attempt FROM claimed
        UNION ALL SELECT 4, 0, 0, 0, id, NULL, NULL, attempts FROM group_started) e
      ORDER BY k, o1, o2, o3, id
      RETURNING id, task_id)
    SELECT 'claimed', l.id, c.id, c.parent_id, c.step_id, c.attempts, NULL, c.target, c.input, c.role, c.priority, c.fair_seq,
      c.seq, c.deadline, c.principal, c.correlation_id, NULL, false
    FROM claimed c JOIN logged l ON l.task_id = c.id
    UNION ALL
    SELECT 'group_started', l.id, g.id, NULL, NULL, g.attempts, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
      'running', false
    FROM group_started g JOIN logged l ON l.task_id = g.id;
  END IF;
END
$fn$`;

/**
 * A new submission's rows with fair positions per role (as allocateFairSeq: from max(role's last + 1,
 * head of the queue)), dependency edges and the first events, in one statement. Each column that varies
 * per row travels as one array (in row order); what every row of a submission shares (parent, principal,
 * correlation id, times) as one value; the other columns of a new row are constants (attempts 0, no
 * result, lease or idempotency key). No JSON to take apart per row: the JSON columns come as their texts
 * joined by U+001E (which JSON.stringify never writes raw), split with string_to_array. The role_clock
 * rows are locked in role order: two submissions sharing roles would otherwise deadlock now and then.
 *
 * $1 ids, $2 kinds, $3 step ids, $4 targets, $5 roles, $6 states, $7 priorities, $8 max attempts,
 * $9 deadlines, $10 fair offsets (a task's distance from the last position of its role in this
 * submission; null for groups), $11 inputs, $12 backoffs, $13 depends_on, $14 members (joined texts),
 * $15 roles and $16 their task counts, $17 edge tasks and $18 their dependencies, $19 the members' parent,
 * $20 principal, $21 correlation id, $22 created / updated / run-at time, $23 now (events).
 * Returns the events' ids, ascending: in row order (the rows are inserted in that order).
 */
export const INSERT_FRESH = `
WITH input AS MATERIALIZED (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::bigint[],
    $10::bigint[], string_to_array($11, chr(30), ''), string_to_array($12, chr(30), ''), string_to_array($13, chr(30), ''),
    string_to_array($14, chr(30), ''))
    WITH ORDINALITY AS r(id, kind, step_id, target, role, state, priority, max_attempts, deadline, fair_offset, input, backoff,
      depends_on, members, ord)),
head AS MATERIALIZED (
  SELECT COALESCE((SELECT MIN(fair_seq) FROM tasks WHERE state = 'queued' AND kind = 'task'), (SELECT MAX(last) FROM role_clock), 1) AS f),
clock AS (
  INSERT INTO role_clock (role, last) SELECT n.role, h.f + n.c - 1 FROM unnest($15::text[], $16::bigint[]) AS n(role, c), head h ORDER BY n.role
  ON CONFLICT (role) DO UPDATE SET last = GREATEST(role_clock.last + 1, (SELECT f FROM head)) + (EXCLUDED.last - (SELECT f FROM head))
  RETURNING role, last),
inserted AS (
  INSERT INTO tasks (id, kind, parent_id, step_id, target, input, role, state, priority, fair_seq, attempts, max_attempts, backoff,
    deadline, run_at, depends_on, members, principal, correlation_id, created_at, updated_at)
  SELECT i.id, i.kind, CASE WHEN i.kind = 'task' THEN $19::text END, i.step_id, i.target, i.input, i.role, i.state, i.priority,
    CASE WHEN i.kind = 'task' THEN cl.last - i.fair_offset ELSE 0 END, 0, i.max_attempts, i.backoff, i.deadline, $22::bigint,
    i.depends_on, i.members, $20::text, $21::text, $22::bigint, $22::bigint
  FROM input i LEFT JOIN clock cl ON cl.role = i.role AND i.kind = 'task' ORDER BY i.ord),
edges AS (INSERT INTO task_deps (task_id, depends_on) SELECT * FROM unnest($17::text[], $18::text[])),
logged AS (
  INSERT INTO task_events (task_id, parent_id, step_id, state, from_state, attempt, at)
  SELECT id, CASE WHEN kind = 'task' THEN $19::text END, step_id, state, NULL, 0, $23::bigint FROM input ORDER BY ord RETURNING id)
SELECT array_agg(id ORDER BY id) AS ids FROM logged`;
