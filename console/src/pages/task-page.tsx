import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, sendJson } from '../api.ts';
import { ConfirmDialog, ErrorBox, JsonView, Link, StateBadge, useLoad } from '../components/common.tsx';
import { nodeOfEvent } from '../dag/dag-model.ts';
import { DagView } from '../dag/dag-view.tsx';
import { duration, resultText, time } from '../format.ts';
import { followSse } from '../sse.ts';
import type { AuditRecord, StepDetail, TaskDetail, TaskEvent, TaskState } from '../types.ts';

function Calls({ calls }: { calls: AuditRecord[] }) {
  if (calls.length === 0) return <p class="muted small">No tool calls recorded for this step (yet).</p>;
  return (
    <table class="table compact" data-testid="step-calls">
      <thead>
        <tr>
          <th>started</th>
          <th>tool</th>
          <th>principal</th>
          <th>outcome</th>
          <th>duration</th>
          <th>arguments</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => (
          <tr key={call.id}>
            <td>{time(call.startedAt)}</td>
            <td>
              {'↳ '.repeat(call.depth)}
              {call.tool}
            </td>
            <td>{call.principal}</td>
            <td>
              <span class={`badge outcome-${call.outcome}`}>{call.outcome}</span> {call.errorCode ?? ''}
            </td>
            <td>{duration(call.durationMs)}</td>
            <td class="muted small">{call.argKeys.join(', ') || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Step({ step, state, highlighted }: { step: StepDetail; state: TaskState; highlighted: boolean }) {
  const retries = Math.max(0, step.attempts - 1);
  return (
    <article id={`step-${step.id}`} class={`card step ${highlighted ? 'highlight' : ''}`} data-testid="step" data-step={step.id}>
      <header class="row spread">
        <h3>
          {step.id} <span class="muted">→ {step.target}</span>
        </h3>
        <StateBadge state={state} />
      </header>
      <dl class="facts">
        <dt>attempts</dt>
        <dd>
          {step.attempts} / {step.maxAttempts}
          {retries > 0 ? ` (${retries} ${retries === 1 ? 'retry' : 'retries'})` : ''}
        </dd>
        <dt>created</dt>
        <dd>{time(step.createdAt)}</dd>
        <dt>started</dt>
        <dd>{time(step.startedAt)}</dd>
        <dt>finished</dt>
        <dd>{time(step.finishedAt)}</dd>
        <dt>took</dt>
        <dd>{duration(step.durationMs)}</dd>
        {step.dependsOn.length > 0 && (
          <>
            <dt>after</dt>
            <dd>{step.dependsOn.join(', ')}</dd>
          </>
        )}
      </dl>
      {step.error && (
        <div class="error" role="alert">
          <strong>{step.error.code}</strong>: {step.error.message}
        </div>
      )}
      <details open={step.input !== null}>
        <summary>input</summary>
        {step.input === null ? <p class="muted small">Only the submitter and admins see inputs.</p> : <JsonView value={step.input} />}
      </details>
      {step.result && (
        <details open>
          <summary>output{step.result.isError ? ' (error result)' : ''}</summary>
          <pre class="result-text">{resultText(step.result)}</pre>
          {step.result.structuredContent !== undefined && <JsonView value={step.result.structuredContent} />}
        </details>
      )}
      <details>
        <summary>state changes ({step.events.length})</summary>
        <ul class="events">
          {step.events.map((e) => (
            <li key={e.id}>
              {time(e.at)} — {e.from ?? 'new'} → <strong>{e.state}</strong> (attempt {e.attempt})
              {e.error ? `: ${e.error.code} ${e.error.message}` : ''}
            </li>
          ))}
        </ul>
      </details>
      <h4>Tool calls</h4>
      <Calls calls={step.calls} />
    </article>
  );
}

export function TaskPage({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => getJson<TaskDetail>(`/v1/tasks/${encodeURIComponent(id)}/detail`), [id]);
  const [states, setStates] = useState<Record<string, TaskState>>({});
  const [live, setLive] = useState<'connecting' | 'live' | 'ended' | 'retrying'>('connecting');
  const [selected, setSelected] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<Error | null>(null);
  const stepsRef = useRef<StepDetail[]>([]);
  stepsRef.current = data?.steps ?? [];

  // States from the detail, then moved by events as they stream in.
  useEffect(() => {
    if (!data) return;
    setStates((previous) => {
      const next = { ...previous };
      for (const step of data.steps) next[step.id] = step.state;
      return next;
    });
  }, [data]);

  useEffect(() => {
    const abort = new AbortController();
    let refresh: ReturnType<typeof setTimeout> | undefined;
    // Results and calls come with the detail: refetch it at most once a second while events arrive.
    const refreshSoon = () => {
      refresh ??= setTimeout(() => {
        refresh = undefined;
        void reload();
      }, 1000);
    };
    void followSse(
      `/v1/tasks/${encodeURIComponent(id)}/events`,
      (message) => {
        setLive('live');
        if (message.event === 'end') {
          setLive('ended');
          clearTimeout(refresh);
          void reload();
          return 'stop';
        }
        const event = JSON.parse(message.data) as TaskEvent;
        const node = nodeOfEvent(event, stepsRef.current);
        if (node !== undefined) setStates((previous) => ({ ...previous, [node]: event.state }));
        refreshSoon();
        return undefined;
      },
      abort.signal,
      () => setLive('retrying'),
    );
    return () => {
      abort.abort();
      clearTimeout(refresh);
    };
  }, [id, reload]);

  if (error && !data) return <ErrorBox error={error} />;
  if (!data) return <p class="loading">Loading…</p>;
  const { task, actions } = data;
  const cancel = async () => {
    setConfirmCancel(false);
    setActionError(null);
    try {
      await sendJson('DELETE', `/v1/tasks/${encodeURIComponent(id)}`);
      await reload();
    } catch (e) {
      setActionError(e as Error);
    }
  };
  // A decision is the run's, not the task's: the same route (and policy) as hub__approve / hub__reject.
  const decide = async (verb: 'approve' | 'reject') => {
    const runId = actions[verb].runId;
    setDeciding(null);
    setActionError(null);
    if (runId === undefined) return;
    try {
      await sendJson('POST', `/v1/runs/${encodeURIComponent(runId)}/${verb}`, note.trim() ? { note: note.trim() } : {});
      setNote('');
      await reload();
    } catch (e) {
      setActionError(e as Error);
    }
  };
  const select = (stepId: string) => {
    setSelected(stepId);
    document.getElementById(`step-${stepId}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  return (
    <section>
      <p>
        <Link to="/tasks">← Tasks</Link>
      </p>
      <header class="row spread">
        <h2>
          {task.kind === 'task' ? task.target : task.kind.toUpperCase()} <code class="small">{task.id}</code>
        </h2>
        <span class="row">
          <StateBadge state={task.state} />
          <span class={`live live-${live}`} data-testid="live">
            {live === 'live' ? '● live' : live === 'ended' ? 'finished' : live === 'retrying' ? 'reconnecting…' : 'connecting…'}
          </span>
        </span>
      </header>
      <div class="card task-facts">
        <span>created {time(task.createdAt)}</span>
        <span>started {time(task.startedAt)}</span>
        <span>finished {time(task.finishedAt)}</span>
        <span>took {duration(task.startedAt && task.finishedAt ? Date.parse(task.finishedAt) - Date.parse(task.startedAt) : null)}</span>
        <span>priority {task.priority}</span>
        <span>
          correlation <Link to={`/audit?correlationId=${encodeURIComponent(task.correlationId)}`}>{task.correlationId}</Link>
        </span>
      </div>
      <div class="actions row">
        <button
          type="button"
          class="danger"
          disabled={!actions.cancel.allowed}
          title={actions.cancel.reason ?? ''}
          onClick={() => setConfirmCancel(true)}
        >
          Cancel task
        </button>
        <button
          type="button"
          data-testid="approve"
          disabled={!actions.approve.allowed}
          title={actions.approve.reason ?? ''}
          onClick={() => setDeciding('approve')}
        >
          Approve
        </button>
        <button
          type="button"
          data-testid="reject"
          disabled={!actions.reject.allowed}
          title={actions.reject.reason ?? ''}
          onClick={() => setDeciding('reject')}
        >
          Reject
        </button>
        {!actions.approve.allowed && actions.approve.reason && (
          <span class="muted small" data-testid="decision-reason">
            Approve / reject: {actions.approve.reason}.
          </span>
        )}
      </div>
      {actions.approve.approval && (
        <div class="card" data-testid="approval-request">
          <strong>
            Run <code>{actions.approve.runId}</code>: {actions.approve.approval.text}
          </strong>
          <ul>
            {actions.approve.approval.steps.map((step) => (
              <li key={step.id}>
                {step.id} (role {step.role}): {step.task} — <span class="muted">{step.why}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {actionError && <ErrorBox error={actionError} />}
      {task.error && (
        <div class="error" role="alert">
          <strong>{task.error.code}</strong>: {task.error.message}
        </div>
      )}
      {data.calls.hidden && <p class="muted small">Inputs and tool calls are shown to the task's submitter and to admins.</p>}
      <DagView steps={data.steps} states={states} onSelect={select} />
      <h3>Steps</h3>
      {data.steps.map((step) => (
        <Step key={step.id} step={step} state={states[step.id] ?? step.state} highlighted={step.id === selected} />
      ))}
      {deciding && (
        <ConfirmDialog
          title={deciding === 'approve' ? 'Approve this run?' : 'Reject this run?'}
          confirmLabel={deciding === 'approve' ? 'Approve' : 'Reject'}
          onConfirm={() => void decide(deciding)}
          onCancel={() => setDeciding(null)}
        >
          <p>
            {deciding === 'approve'
              ? 'The run resumes and runs the steps it waits for.'
              : 'The run ends rejected without running the steps it waits for.'}
          </p>
          <label>
            Note (optional, for the record)
            <textarea data-testid="decision-note" maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
        </ConfirmDialog>
      )}
      {confirmCancel && (
        <ConfirmDialog
          title="Cancel this task?"
          confirmLabel="Cancel task"
          onConfirm={() => void cancel()}
          onCancel={() => setConfirmCancel(false)}
        >
          <p>Running calls are cancelled, and tasks that depend on it are cancelled too.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
