// The UI's shell: the top bar with the pages and the theme toggle, and the page of the current
// path. Dashboards come in a later version; its path already loads the UI.
import 'uplot/dist/uPlot.min.css';
import './style.css';

import { render } from 'preact';
import { useEffect } from 'preact/hooks';

import { Alerts } from './alerts';
import { Events } from './events';
import { Explore } from './explore';
import { navigate, usePath } from './router';
import { Rules } from './rules';
import { Status } from './status';
import { Targets } from './targets';
import { useTheme, type Theme } from './theme';

interface Page {
  title: string;
  path: string;
  show?: (theme: Theme) => preact.JSX.Element; // None until the page comes.
}

const kPages: Page[] = [
  { title: 'Dashboards', path: '/dashboards' },
  { title: 'Explore', path: '/explore', show: (theme) => <Explore theme={theme} /> },
  { title: 'Alerts', path: '/alerts', show: () => <Alerts /> },
  { title: 'Targets', path: '/targets', show: () => <Targets /> },
  { title: 'Rules', path: '/rules', show: () => <Rules /> },
  { title: 'Events', path: '/events', show: () => <Events /> },
  { title: 'Status', path: '/status', show: () => <Status /> },
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
      {page?.show ? (
        page.show(theme)
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
      <p class="empty">This page comes in a later version of the UI.</p>
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
