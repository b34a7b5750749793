// The UI's pages are paths of the server (/explore, /targets) that all load index.html; moving
// between them changes the URL with the History API, without a reload.
import { useEffect, useState } from 'preact/hooks';

// Goes to `to` (a path with its query string), as a new history entry unless `replace`.
export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

// The current location's path, updated on navigate and on the browser's back and forward.
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}

// A link's click as a move within the UI (to its href), unless the user asked for a new tab or
// window.
export function followLink(e: MouseEvent): void {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate((e.currentTarget as HTMLAnchorElement).getAttribute('href')!);
}
