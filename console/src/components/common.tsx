import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { BASE, navigate } from '../router.ts';

/** Loads data, reloads on `deps` change or `every` ms; keeps showing the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], every?: number) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await load();
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (e) {
      if (mine === generation.current) setError(e as Error);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void reload();
    if (every === undefined) return;
    const timer = setInterval(() => void reload(), every);
    return () => clearInterval(timer);
  }, [reload, every]);
  return { data, error, loading, reload, setData };
}

export function Link(props: { to: string; children: ComponentChildren; class?: string; title?: string }) {
  return (
    <a
      href={`${BASE}${props.to}`}
      class={props.class}
      title={props.title}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

/** An error as the hub phrased it; a 403 says plainly that this page is not for this principal. */
export function ErrorBox({ error }: { error: Error }) {
  if (error instanceof ApiError && error.status === 403)
    return (
      <div class="error refused" role="alert" data-testid="refused">
        <strong>Not allowed.</strong> {error.message}
      </div>
    );
  return (
    <div class="error" role="alert">
      <strong>{error instanceof ApiError ? error.code : 'Error'}:</strong> {error.message}
    </div>
  );
}

export function StateBadge({ state }: { state: string }) {
  return (
    <span class={`badge state-${state}`} data-state={state}>
      {state.replace('_', ' ')}
    </span>
  );
}

export function JsonView({ value, label }: { value: unknown; label?: string }) {
  if (value === undefined) return null;
  return (
    <pre class="json" title={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** Previous / next, for endpoints paged on the server (cursor or offset: the caller decides). */
export function Pager(props: { page: number; hasPrev: boolean; hasNext: boolean; onPrev(): void; onNext(): void; summary?: string }) {
  return (
    <nav class="pager" aria-label="pagination">
      <button type="button" disabled={!props.hasPrev} onClick={props.onPrev}>
        ← Newer
      </button>
      <span class="muted" data-testid="page-number">
        page {props.page}
        {props.summary ? ` · ${props.summary}` : ''}
      </span>
      <button type="button" disabled={!props.hasNext} onClick={props.onNext}>
        Older →
      </button>
    </nav>
  );
}

/** A modal confirmation for calls that may change or delete data. */
export function ConfirmDialog(props: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
}) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div class="modal-backdrop">
      <div class="modal" role="dialog" aria-modal="true" aria-label={props.title} onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
        <h3>{props.title}</h3>
        <div>{props.children}</div>
        <div class="modal-actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" class="danger" ref={confirmRef} onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
