// The UI's shell: the top bar with the pages and the theme toggle, and the page of the current
// path. Pages other than Explore come in later versions; their paths already load the UI.
import 'uplot/dist/uPlot.min.css';
import './style.css';

import { render } from 'preact';
import { useEffect } from 'preact/hooks';

import { Explore } from './explore';
import { navigate, usePath } from './router';
import { useTheme } from './theme';

interface Page {
  title: string;
  path: string;
  api?: string; // Where its data is in the API, until the page shows it.
}

const kPages: Page[] = [
  { title: 'Dashboards', path: '/dashboards' },
  { title: 'Explore', path: '/explore' },
  { title: 'Alerts', path: '/alerts', api: '/api/v1/alerts' },
  { title: 'Targets', path: '/targets', api: '/api/v1/targets' },
  { title: 'Rules', path: '/rules', api: '/api/v1/rules' },
  { title: 'Events', path: '/events', api: '/api/v1/events' },
  { title: 'Status', path: '/status', api: '/api/v1/status/buildinfo' },
];
const kHome = '/explore';

function App() {
  const path = usePath();
  const [theme, setTheme] = useTheme();
  useEffect(() => {
    if (path === '/') navigate(kHome + location.search, true);
  }, [path]);
  const page = kPages.find((p) => path === p.path || path.startsWith(p.path + '/'));

  return (
    <>
      <header class="top-bar">
        <a class="brand" href="/" onClick={follow}>
          Argus
        </a>
        <nav>
          {kPages.map((p) => (
            <a href={p.path} onClick={follow} class={p === page ? 'active' : ''}>
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
      {page?.path === '/explore' ? (
        <Explore theme={theme} />
      ) : page ? (
        <Later page={page} />
      ) : (
        path !== '/' && <NotFound />
      )}
    </>
  );
}

// A link's click as a move within the UI, unless the user asked for a new tab or window.
function follow(e: MouseEvent) {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate((e.currentTarget as HTMLAnchorElement).getAttribute('href')!);
}

function Later({ page }: { page: Page }) {
  return (
    <main class="page">
      <h1>{page.title}</h1>
      <p class="empty">
        This page comes in a later version of the UI.
        {page.api && (
          <>
            {' '}
            Its data is in the API: <a href={page.api}>{page.api}</a>
          </>
        )}
      </p>
    </main>
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
