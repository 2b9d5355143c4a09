import { getJson } from '../api.ts';
import { ErrorBox, JsonView, Link, useLoad } from '../components/common.tsx';
import { duration } from '../format.ts';
import type { Me, RoleView } from '../types.ts';

function Globs({ label, globs, tone }: { label: string; globs: string[]; tone?: string }) {
  return (
    <p>
      <strong>{label}:</strong>{' '}
      {globs.length === 0 ? (
        <span class="muted">none</span>
      ) : (
        globs.map((glob) => (
          <code key={glob} class={`chip ${tone ?? ''}`}>
            {glob}
          </code>
        ))
      )}
    </p>
  );
}

function RoleCard({ role }: { role: RoleView }) {
  return (
    <article class="card role" data-testid="role" data-role={role.name}>
      <header class="row spread">
        <h3>{role.name}</h3>
        <span class="muted small">{role.origin}</span>
      </header>
      {role.description && <p>{role.description}</p>}
      {role.agentTool && (
        <p>
          Agent tool: <Link to={`/catalog/${role.agentTool}`}>{role.agentTool}</Link>
        </p>
      )}
      <Globs label="allow" globs={role.tools.allow} />
      <Globs label="deny" globs={role.tools.deny} tone="chip-warn" />
      {role.limits && (
        <p>
          <strong>limits:</strong>{' '}
          {Object.entries(role.limits)
            .map(([key, value]) => `${key} ${/Ms$/.test(key) ? duration(value) : value}`)
            .join(', ')}
        </p>
      )}
      {role.arguments.length > 0 && (
        <details>
          <summary>argument rules ({role.arguments.length})</summary>
          <JsonView value={role.arguments} />
        </details>
      )}
      {role.quotas.length > 0 && (
        <details>
          <summary>quotas ({role.quotas.length})</summary>
          <JsonView value={role.quotas} />
        </details>
      )}
      {role.playbooks.length > 0 && (
        <details>
          <summary>playbooks ({role.playbooks.length})</summary>
          <ul>
            {role.playbooks.map((p) => (
              <li key={p.name}>
                <strong>{p.name}</strong> {p.description && <span class="muted">— {p.description}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      <details>
        <summary>tools it may call now ({role.effectiveTools.length})</summary>
        <p class="tool-names">{role.effectiveTools.join(', ') || 'none'}</p>
      </details>
    </article>
  );
}

export function RolesPage({ me }: { me: Me }) {
  const { data, error } = useLoad(() => getJson<{ roles: RoleView[] }>('/v1/roles'), []);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p class="loading">Loading…</p>;
  return (
    <section>
      <h2>Roles</h2>
      {!me.admin && <p class="muted">Your own role; the admin role sees every role.</p>}
      <div class="grid">
        {data.roles.map((role) => (
          <RoleCard key={role.name} role={role} />
        ))}
      </div>
    </section>
  );
}
