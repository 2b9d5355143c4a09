import { useState } from 'preact/hooks';
import { getJson } from '../api.ts';
import { ErrorBox, JsonView, Link, useLoad } from '../components/common.tsx';
import { TryIt } from '../components/try-it.tsx';
import type { Me, ToolView } from '../types.ts';

function sourceLabel(tool: ToolView): string {
  if (tool.kind === 'upstream') return tool.upstream ?? 'upstream';
  return tool.kind === 'agent' ? 'role agents' : 'hub';
}

function Annotations({ tool }: { tool: ToolView }) {
  const a = tool.annotations;
  const chips = [
    a.readOnlyHint ? 'read-only' : null,
    tool.destructive ? 'may be destructive' : null,
    a.idempotentHint ? 'idempotent' : null,
    a.openWorldHint ? 'open world' : a.openWorldHint === false ? 'closed world' : null,
  ].filter(Boolean);
  return (
    <div class="chips">
      {chips.map((chip) => (
        <span key={chip} class={`chip ${chip === 'may be destructive' ? 'chip-warn' : ''}`}>
          {chip}
        </span>
      ))}
    </div>
  );
}

function ToolDetail({ tool, me }: { tool: ToolView; me: Me }) {
  return (
    <article class="card tool-detail" data-testid="tool-detail">
      <h2>{tool.name}</h2>
      {tool.title && <p class="muted">{tool.title}</p>}
      <Annotations tool={tool} />
      <p class="description">{tool.description}</p>
      {tool.roles && (
        <p>
          Roles that may call it:{' '}
          {tool.roles.map((role) => (
            <span key={role} class="chip">
              {role}
            </span>
          ))}
        </p>
      )}
      <details>
        <summary>Input schema</summary>
        <JsonView value={tool.inputSchema} />
      </details>
      {tool.outputSchema && (
        <details>
          <summary>Output schema</summary>
          <JsonView value={tool.outputSchema} />
        </details>
      )}
      <TryIt key={tool.name} tool={tool} me={me} />
    </article>
  );
}

export function CatalogPage({ me, selected }: { me: Me; selected?: string }) {
  const { data, error } = useLoad(() => getJson<{ tools: ToolView[] }>('/v1/catalog'), []);
  const [filter, setFilter] = useState('');
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p class="loading">Loading…</p>;
  const needle = filter.trim().toLowerCase();
  const shown = data.tools.filter((t) => !needle || t.name.toLowerCase().includes(needle) || t.description.toLowerCase().includes(needle));
  const groups = new Map<string, ToolView[]>();
  for (const tool of shown) groups.set(sourceLabel(tool), [...(groups.get(sourceLabel(tool)) ?? []), tool]);
  const current = data.tools.find((t) => t.name === selected);
  return (
    <section class="split">
      <aside class="card tool-list">
        <h2>Catalogue</h2>
        <p class="muted small">
          {data.tools.length} tools{me.admin ? ' (all; admin view)' : ` role '${me.principal.role}' may call`}
        </p>
        <input
          type="search"
          placeholder="filter tools…"
          value={filter}
          onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
          aria-label="filter tools"
        />
        {[...groups.entries()].map(([group, tools]) => (
          <div key={group} class="tool-group">
            <h4>{group}</h4>
            <ul>
              {tools.map((tool) => (
                <li key={tool.name} class={tool.name === selected ? 'active' : ''}>
                  <Link to={`/catalog/${encodeURIComponent(tool.name)}`}>{tool.name}</Link>
                  {tool.destructive && (
                    <span class="dot-warn" title="may be destructive">
                      ●
                    </span>
                  )}
                  {!tool.callable && (
                    <span class="muted small" title="your role may not call it">
                      {' '}
                      (view only)
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </aside>
      <div class="detail">
        {current ? (
          <ToolDetail tool={current} me={me} />
        ) : selected ? (
          <div class="error">No tool '{selected}' in your catalogue.</div>
        ) : (
          <p class="muted">Pick a tool to see its schema and try it.</p>
        )}
      </div>
    </section>
  );
}
