import { useState } from 'preact/hooks';
import { getJson, query, request } from '../api.ts';
import { ErrorBox, Link, Pager, useLoad } from '../components/common.tsx';
import { duration, localInputToIso, time } from '../format.ts';
import { useRoute } from '../router.ts';
import type { AuditRecord } from '../types.ts';

const PAGE = 50;
const OUTCOMES = ['ok', 'error', 'denied', 'rate_limited', 'flagged', 'unfinished'];

interface AuditPage {
  records: AuditRecord[];
  offset: number;
  limit: number;
  nextOffset: number | null;
  until: string;
}

type Filters = { principal: string; tool: string; outcome: string; correlationId: string; since: string; until: string };

function filterQuery(filters: Filters) {
  return {
    principal: filters.principal.trim(),
    tool: filters.tool.trim(),
    outcome: filters.outcome,
    correlationId: filters.correlationId.trim(),
    since: localInputToIso(filters.since),
    until: localInputToIso(filters.until),
  };
}

/** Downloads every matching record as JSON lines (fetched with the token, saved through a blob URL). */
async function exportJsonl(filters: Filters, until: string | undefined): Promise<void> {
  const q = filterQuery(filters);
  const response = await request('GET', `/v1/audit/export${query({ ...q, until: q.until ?? until })}`);
  const blob = await response.blob();
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'switchboard-audit.jsonl';
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AuditPage() {
  const { search } = useRoute();
  const initial: Filters = {
    principal: search.get('principal') ?? '',
    tool: search.get('tool') ?? '',
    outcome: search.get('outcome') ?? '',
    correlationId: search.get('correlationId') ?? '',
    since: '',
    until: '',
  };
  const [draft, setDraft] = useState<Filters>(initial);
  const [filters, setFilters] = useState<Filters>(initial);
  // Offset pages, pinned to the `until` of the first page so new calls do not shift them.
  const [offset, setOffset] = useState(0);
  const [pinned, setPinned] = useState<string | undefined>(undefined);
  const [exportError, setExportError] = useState<Error | null>(null);
  const [exporting, setExporting] = useState(false);
  const { data, error, loading } = useLoad(async () => {
    const q = filterQuery(filters);
    const page = await getJson<AuditPage>(
      `/v1/audit${query({ ...q, until: q.until ?? (offset > 0 ? pinned : undefined), limit: PAGE, offset })}`,
    );
    if (offset === 0) setPinned(page.until);
    return page;
  }, [filters, offset]);

  if (error && !data) return <ErrorBox error={error} />;
  const field = (key: keyof Filters, label: string, placeholder = '', type = 'text') => (
    <label>
      {label}
      <input
        name={key}
        type={type}
        value={draft[key]}
        placeholder={placeholder}
        onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  return (
    <section>
      <div class="row spread">
        <h2>Audit log</h2>
        <button
          type="button"
          disabled={exporting}
          onClick={async () => {
            setExporting(true);
            setExportError(null);
            try {
              await exportJsonl(filters, pinned);
            } catch (e) {
              setExportError(e as Error);
            } finally {
              setExporting(false);
            }
          }}
        >
          {exporting ? 'Exporting…' : 'Export JSON lines'}
        </button>
      </div>
      <form
        class="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
          setOffset(0);
        }}
      >
        {field('principal', 'principal', 'key:ci')}
        {field('tool', 'tool', 'fs__* (glob)')}
        <label>
          outcome
          <select
            name="outcome"
            value={draft.outcome}
            onChange={(e) => setDraft({ ...draft, outcome: (e.target as HTMLSelectElement).value })}
          >
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        {field('correlationId', 'correlation id')}
        {field('since', 'from', '', 'datetime-local')}
        {field('until', 'to', '', 'datetime-local')}
        <button type="submit" class="primary">
          Search
        </button>
        {loading && <span class="muted small">loading…</span>}
      </form>
      {(error || exportError) && <ErrorBox error={(error ?? exportError) as Error} />}
      {data && (
        <>
          <table class="table" data-testid="audit-table">
            <thead>
              <tr>
                <th>started</th>
                <th>principal</th>
                <th>role</th>
                <th>tool</th>
                <th>outcome</th>
                <th>duration</th>
                <th>bytes</th>
                <th>arguments</th>
                <th>correlation</th>
              </tr>
            </thead>
            <tbody>
              {data.records.map((r) => (
                <tr key={r.id} data-tool={r.tool} data-outcome={r.outcome}>
                  <td>{time(r.startedAt)}</td>
                  <td>
                    {r.principal}
                    {r.onBehalfOf ? <span class="muted small"> for {r.onBehalfOf}</span> : null}
                  </td>
                  <td>{r.role}</td>
                  <td>
                    {'↳ '.repeat(r.depth)}
                    {r.tool}
                  </td>
                  <td title={r.rule ?? ''}>
                    <span class={`badge outcome-${r.outcome}`}>{r.outcome}</span> {r.errorCode ?? ''}
                  </td>
                  <td>{duration(r.durationMs)}</td>
                  <td>{r.bytes ?? '—'}</td>
                  <td class="muted small" title={r.argsDigest}>
                    {r.argKeys.join(', ') || '—'}
                  </td>
                  <td class="small">
                    <Link to={`/audit?correlationId=${encodeURIComponent(r.correlationId)}`}>{r.correlationId.slice(0, 8)}</Link>
                  </td>
                </tr>
              ))}
              {data.records.length === 0 && (
                <tr>
                  <td colSpan={9} class="muted">
                    No calls match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <Pager
            page={offset / PAGE + 1}
            hasPrev={offset > 0}
            hasNext={data.nextOffset !== null}
            onPrev={() => setOffset(Math.max(0, offset - PAGE))}
            onNext={() => data.nextOffset !== null && setOffset(data.nextOffset)}
            summary={`rows ${offset + 1}–${offset + data.records.length}, up to ${time(data.until)}`}
          />
        </>
      )}
    </section>
  );
}
