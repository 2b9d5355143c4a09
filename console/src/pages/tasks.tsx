import { useState } from 'preact/hooks';
import { getJson, query, sendJson } from '../api.ts';
import { ErrorBox, Link, Pager, StateBadge, useLoad } from '../components/common.tsx';
import { localInputToIso, shortId, time } from '../format.ts';
import { navigate, useRoute } from '../router.ts';
import { TASK_STATES, type TaskView } from '../types.ts';

const PAGE = 25;
const EXAMPLE = JSON.stringify(
  {
    steps: [
      { id: 'read', target: 'fs__read_file', input: { path: 'hello.txt' } },
      { id: 'list', target: 'fs__list_dir', input: { path: '.' } },
      { id: 'summarise', target: 'agent__reader', input: { task: 'read hello.txt' }, dependsOn: ['read', 'list'] },
    ],
  },
  null,
  2,
);

function SubmitTask() {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(EXAMPLE);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      setError(new Error('the submission is not JSON'));
      return;
    }
    setBusy(true);
    try {
      const task = await sendJson<TaskView>('POST', '/v1/tasks', body);
      navigate(`/tasks/${task.id}`);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  if (!open)
    return (
      <button type="button" class="primary" onClick={() => setOpen(true)}>
        Submit a task…
      </button>
    );
  return (
    <form class="card submit-task" onSubmit={submit}>
      <h3>Submit a task</h3>
      <p class="muted small">
        A task (<code>{'{ target, input }'}</code>), a DAG (<code>{'{ steps: [...] }'}</code>) or a batch (<code>{'{ batch: [...] }'}</code>
        ), as <code>POST /v1/tasks</code> takes it (docs/tasks.md).
      </p>
      <textarea
        name="submission"
        rows={12}
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        aria-label="submission"
      />
      {error && <ErrorBox error={error} />}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Submitting…' : 'Submit'}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </form>
  );
}

export function TasksPage() {
  const { search } = useRoute();
  const [filters, setFilters] = useState({ state: search.get('state') ?? '', role: search.get('role') ?? '', since: '', until: '' });
  // Cursor pagination: the cursors of the pages seen so far, to walk back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const { data, error, loading } = useLoad(
    () =>
      getJson<{ tasks: TaskView[]; nextCursor: string | null }>(
        `/v1/tasks${query({ limit: PAGE, cursor, state: filters.state, role: filters.role, since: localInputToIso(filters.since), until: localInputToIso(filters.until) })}`,
      ),
    [cursor, filters.state, filters.role, filters.since, filters.until],
    cursors.length === 1 ? 5000 : undefined,
  );
  const set = (key: keyof typeof filters) => (e: Event) => {
    setFilters({ ...filters, [key]: (e.target as HTMLInputElement).value });
    setCursors([undefined]);
  };
  return (
    <section>
      <div class="row spread">
        <h2>Tasks</h2>
        <SubmitTask />
      </div>
      <form class="filters card" onSubmit={(e) => e.preventDefault()}>
        <label>
          state
          <select value={filters.state} onChange={set('state')} name="state">
            <option value="">any</option>
            {TASK_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          role
          <input value={filters.role} onChange={set('role')} name="role" placeholder="e.g. reader" />
        </label>
        <label>
          created from
          <input type="datetime-local" value={filters.since} onChange={set('since')} name="since" />
        </label>
        <label>
          to
          <input type="datetime-local" value={filters.until} onChange={set('until')} name="until" />
        </label>
        {loading && <span class="muted small">loading…</span>}
      </form>
      {error && <ErrorBox error={error} />}
      {data && (
        <>
          <table class="table" data-testid="tasks-table">
            <thead>
              <tr>
                <th>id</th>
                <th>kind</th>
                <th>target</th>
                <th>state</th>
                <th>role</th>
                <th>attempts</th>
                <th>created</th>
                <th>finished</th>
              </tr>
            </thead>
            <tbody>
              {data.tasks.map((task) => (
                <tr key={task.id}>
                  <td>
                    <Link to={`/tasks/${task.id}`} title={task.id}>
                      {shortId(task.id)}
                    </Link>
                  </td>
                  <td>{task.kind}</td>
                  <td>{task.target ?? (task.kind === 'dag' ? `${task.steps?.length ?? 0} steps` : `${task.tasks?.length ?? 0} tasks`)}</td>
                  <td>
                    <StateBadge state={task.state} />
                  </td>
                  <td>{task.role ?? '—'}</td>
                  <td>
                    {task.attempts}/{task.maxAttempts}
                  </td>
                  <td>{time(task.createdAt)}</td>
                  <td>{time(task.finishedAt)}</td>
                </tr>
              ))}
              {data.tasks.length === 0 && (
                <tr>
                  <td colSpan={8} class="muted">
                    No tasks match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <Pager
            page={cursors.length}
            hasPrev={cursors.length > 1}
            hasNext={data.nextCursor !== null}
            onPrev={() => setCursors(cursors.slice(0, -1))}
            onNext={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
            summary={`${PAGE} per page`}
          />
        </>
      )}
    </section>
  );
}
