import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { sendJson } from '../api.ts';
import { duration, resultText } from '../format.ts';
import { argumentsOf, type Field, fieldsOf, valuesOf } from '../schema-form-model.ts';
import type { Me, ToolResult, ToolView } from '../types.ts';
import { ConfirmDialog, ErrorBox, JsonView, Link } from './common.tsx';

interface CallAnswer {
  tool: string;
  correlationId: string;
  durationMs: number;
  result: ToolResult;
}

function FieldInput(props: { field: Field; value: string; error?: string; onChange(value: string): void }) {
  const { field } = props;
  const id = `arg-${field.name}`;
  const common = { id, name: field.name, 'aria-invalid': props.error ? true : undefined, 'aria-describedby': `${id}-help` };
  const onInput = (e: Event) => props.onChange((e.target as HTMLInputElement).value);
  let input: JSX.Element;
  if (field.kind === 'enum' || field.kind === 'boolean')
    input = (
      <select {...common} value={props.value} onChange={onInput}>
        <option value="">{field.required ? 'choose…' : '(not set)'}</option>
        {field.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  else if (field.kind === 'textarea' || field.kind === 'json')
    input = (
      <textarea {...common} rows={field.kind === 'json' ? 3 : 4} value={props.value} placeholder={field.placeholder} onInput={onInput} />
    );
  else
    input = (
      <input
        {...common}
        type={field.kind === 'text' ? 'text' : 'number'}
        step={field.kind === 'integer' ? 1 : 'any'}
        value={props.value}
        placeholder={field.placeholder}
        onInput={onInput}
      />
    );
  return (
    <div class="field">
      <label for={id}>
        {field.name}
        {field.required && (
          <span class="required" title="required">
            {' '}
            *
          </span>
        )}{' '}
        <span class="muted">{field.kind}</span>
      </label>
      {input}
      <small id={`${id}-help`} class={props.error ? 'error-text' : 'muted'}>
        {props.error ?? field.description}
      </small>
    </div>
  );
}

/**
 * The "try it" panel: a form from the tool's input schema (or raw JSON), calling the tool as the
 * signed-in principal through POST /v1/tools/:name/call. Tools that may change data ask first.
 */
export function TryIt({ tool, me }: { tool: ToolView; me: Me }) {
  const fields = useMemo(() => fieldsOf(tool.inputSchema), [tool]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [raw, setRaw] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<Record<string, unknown> | null>(null);
  const [answer, setAnswer] = useState<CallAnswer | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  if (!tool.callable) return <p class="muted">Role '{me.principal.role}' may not call this tool, so there is nothing to try.</p>;

  const collect = (): Record<string, unknown> | null => {
    if (raw !== null) {
      try {
        const parsed = JSON.parse(raw || '{}');
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
        setErrors({});
        return parsed;
      } catch {
        setErrors({ raw: 'a JSON object of arguments' });
        return null;
      }
    }
    const { args, errors: found } = argumentsOf(fields, values);
    setErrors(found);
    return Object.keys(found).length ? null : args;
  };
  const run = async (args: Record<string, unknown>) => {
    setConfirming(null);
    setBusy(true);
    setFailure(null);
    setAnswer(null);
    try {
      setAnswer(
        await sendJson<CallAnswer>('POST', `/v1/tools/${encodeURIComponent(tool.name)}/call`, {
          arguments: args,
          confirm: tool.destructive,
        }),
      );
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const args = collect();
    if (args === null) return;
    if (tool.destructive) setConfirming(args);
    else void run(args);
  };
  const toggleRaw = () => {
    if (raw === null) setRaw(JSON.stringify(argumentsOf(fields, values).args, null, 2));
    else {
      try {
        setValues(valuesOf(fields, JSON.parse(raw || '{}')));
      } catch {}
      setRaw(null);
    }
  };
  const result = answer?.result;
  return (
    <div class="try-it" data-testid="try-it">
      <form onSubmit={submit}>
        <div class="row spread">
          <h3>Try it</h3>
          <button type="button" class="link" onClick={toggleRaw}>
            {raw === null ? 'Edit as JSON' : 'Edit as form'}
          </button>
        </div>
        {raw !== null ? (
          <div class="field">
            <label for="raw-args">arguments (JSON)</label>
            <textarea id="raw-args" rows={8} value={raw} onInput={(e) => setRaw((e.target as HTMLTextAreaElement).value)} />
            {errors.raw && <small class="error-text">{errors.raw}</small>}
          </div>
        ) : fields.length === 0 ? (
          <p class="muted">This tool takes no arguments.</p>
        ) : (
          fields.map((field) => (
            <FieldInput
              key={field.name}
              field={field}
              value={values[field.name] ?? ''}
              error={errors[field.name]}
              onChange={(value) => setValues({ ...values, [field.name]: value })}
            />
          ))
        )}
        <div class="row">
          <button type="submit" class={tool.destructive ? 'danger' : 'primary'} disabled={busy}>
            {busy ? 'Running…' : `Run as ${me.principal.id}`}
          </button>
          {tool.destructive && <span class="warn small">may change or delete data: you will be asked to confirm</span>}
        </div>
      </form>
      {confirming && (
        <ConfirmDialog
          title={`Run ${tool.name}?`}
          confirmLabel="Run it"
          onConfirm={() => void run(confirming)}
          onCancel={() => setConfirming(null)}
        >
          <p>
            <code>{tool.name}</code> is not marked read-only: it may change or delete data. It runs as <strong>{me.principal.id}</strong>{' '}
            and is audited.
          </p>
          <JsonView value={confirming} label="arguments" />
        </ConfirmDialog>
      )}
      {failure && <ErrorBox error={failure} />}
      {result && answer && (
        <div
          class={`result ${result.isError ? 'is-error' : 'is-ok'}`}
          data-testid="tool-result"
          data-outcome={result.isError ? 'error' : 'ok'}
        >
          <div class="row spread">
            <strong>{result.isError ? 'Error result' : 'Result'}</strong>
            <span class="muted small">
              {duration(answer.durationMs)} · correlation{' '}
              <Link to={`/audit?correlationId=${encodeURIComponent(answer.correlationId)}`}>{answer.correlationId}</Link>
            </span>
          </div>
          <pre class="result-text">{resultText(result)}</pre>
          {result.structuredContent !== undefined && (
            <details>
              <summary>structuredContent</summary>
              <JsonView value={result.structuredContent} />
            </details>
          )}
        </div>
      )}
    </div>
  );
}
