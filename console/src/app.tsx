import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson, savedToken, saveToken, whenUnauthorized } from './api.ts';
import { Link } from './components/common.tsx';
import { AuditPage } from './pages/audit.tsx';
import { CatalogPage } from './pages/catalog.tsx';
import { LoginPage } from './pages/login.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { RolesPage } from './pages/roles.tsx';
import { TaskPage } from './pages/task-page.tsx';
import { TasksPage } from './pages/tasks.tsx';
import { match, navigate, useRoute } from './router.ts';
import type { Me } from './types.ts';

const NAV = [
  { to: '/', label: 'Overview' },
  { to: '/catalog', label: 'Catalogue' },
  { to: '/roles', label: 'Roles' },
  { to: '/tasks', label: 'Tasks' },
  { to: '/audit', label: 'Audit', admin: true },
];

function Page({ path, search, me }: { path: string; search: string; me: Me }) {
  if (path === '/' || path === '/overview') return <OverviewPage />;
  if (path === '/catalog') return <CatalogPage me={me} />;
  const tool = match('/catalog/:name', path);
  if (tool) return <CatalogPage me={me} selected={tool.name} />;
  if (path === '/roles') return <RolesPage me={me} />;
  if (path === '/tasks') return <TasksPage />;
  const task = match('/tasks/:id', path);
  if (task) return <TaskPage id={task.id as string} />;
  if (path === '/audit') return <AuditPage key={search} />;
  return (
    <div class="error" role="alert">
      No page here. <Link to="/">Back to the overview</Link>
    </div>
  );
}

export function App() {
  const route = useRoute();
  // undefined: still asking the hub who we are; null: signed out.
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  useEffect(() => {
    whenUnauthorized(() => {
      saveToken(null);
      setMe(null);
    });
    // With `auth: none` (loopback only) the hub answers without a token: no sign-in page then.
    getJson<Me>('/v1/me')
      .then(setMe)
      .catch((error) => {
        if (!(error instanceof ApiError && error.status === 401)) console.error(error);
        setMe(null);
      });
  }, []);

  if (me === undefined) return <p class="loading">Connecting to the hub…</p>;
  if (me === null) return <LoginPage onSignedIn={setMe} />;
  const active = (to: string) => (to === '/' ? route.path === '/' || route.path === '/overview' : route.path.startsWith(to));
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Switchboard</span>
        <span class="hub-name">{me.hub}</span>
        <nav aria-label="console pages">
          {NAV.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              class={active(item.to) ? 'active' : ''}
              title={item.admin && !me.admin ? 'for the admin role' : undefined}
            >
              {item.label}
              {item.admin && !me.admin ? <span class="admin-only"> admin</span> : null}
            </Link>
          ))}
        </nav>
        <span class="whoami" data-testid="whoami">
          {me.principal.id} · <em>{me.principal.role}</em>
        </span>
        {savedToken() !== null && (
          <button
            type="button"
            class="link"
            onClick={() => {
              saveToken(null);
              setMe(null);
              navigate('/', true);
            }}
          >
            Sign out
          </button>
        )}
      </header>
      <main>
        <Page path={route.path} search={route.search.toString()} me={me} />
      </main>
    </div>
  );
}
