// The UI's shell: the top bar with the pages and the theme toggle, and the page of the current
// path; / opens the Host dashboard, or the list of dashboards when there is none.
import 'uplot/dist/uPlot.min.css';
import './style.css';

import { render } from 'preact';
import { useEffect } from 'preact/hooks';

import { Alerts } from './alerts';
import { listDashboards } from './dashboard_model';
import { DashboardView } from './dashboard';
import { Dashboards } from './dashboards';
import { Events } from './events';
import { Explore } from './explore';
import { followLink, navigate, usePath } from './router';
import { Rules } from './rules';
import { Status } from './status';
import { Targets } from './targets';
import { useTheme, type Theme } from './theme';

interface Page {
  title: string;
  path: string;
  under?: string; // Another prefix of the paths the page shows.
  show: (theme: Theme, path: string) => preact.JSX.Element;
}

const kDashboardPrefix = '/d/';
const kHomeDashboard = 'host';

const kPages: Page[] = [
  {
    title: 'Dashboards',
    path: '/dashboards',
    under: kDashboardPrefix,
    show: (theme, path) => {
      const uid = path.slice(kDashboardPrefix.length);
      return path.startsWith(kDashboardPrefix) ? (
        <DashboardView key={uid} uid={uid} theme={theme} />
      ) : (
        <Dashboards />
      );
    },
  },
  { title: 'Explore', path: '/explore', show: (theme) => <Explore theme={theme} /> },
  { title: 'Alerts', path: '/alerts', show: () => <Alerts /> },
  { title: 'Targets', path: '/targets', show: () => <Targets /> },
  { title: 'Rules', path: '/rules', show: () => <Rules /> },
  { title: 'Events', path: '/events', show: () => <Events /> },
  { title: 'Status', path: '/status', show: () => <Status /> },
];

// Where / leads: the Host dashboard when it is loaded, else the list.
async function home(): Promise<string> {
  try {
    const { dashboards } = await listDashboards();
    if (dashboards.some((d) => d.uid === kHomeDashboard)) return kDashboardPrefix + kHomeDashboard;
  } catch {
    // The list shows why.
  }
  return '/dashboards';
}

function App() {
  const path = usePath();
  const [theme, setTheme] = useTheme();
  useEffect(() => {
    if (path === '/') home().then((to) => location.pathname === '/' && navigate(to, true));
  }, [path]);
  const page = kPages.find(
    (p) =>
      path === p.path || path.startsWith(p.path + '/') || (p.under && path.startsWith(p.under)),
  );

  return (
    <>
      <header class="top-bar">
        <a class="brand" href="/" onClick={followLink}>
          Argus
        </a>
        <nav>
          {kPages.map((p) => (
            <a href={p.path} onClick={followLink} class={p === page ? 'active' : ''}>
              {p.title}
            </a>
          ))}
        </nav>
        <button
          class="theme-toggle"
          title={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
      </header>
      {page ? page.show(theme, path) : path !== '/' && <NotFound />}
    </>
  );
}

function NotFound() {
  return (
    <main class="page">
      <h1>Not found</h1>
      <p class="empty">The UI has no page at {location.pathname}.</p>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
