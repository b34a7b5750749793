// Dark and light: the system's choice until the user picks one with the toggle, which the browser
// keeps. index.html sets the theme before the first paint with the same rule; the theme in force
// is the data-theme attribute of <html>, which the style sheet reads.
import { useEffect, useState } from 'preact/hooks';

export type Theme = 'light' | 'dark';

const kStorageKey = 'argus.theme'; // Also read by index.html's inline script.

function stored(): Theme | null {
  try {
    const t = localStorage.getItem(kStorageKey);
    return t === 'dark' || t === 'light' ? t : null;
  } catch {
    return null; // Storage refused (a privacy setting): the system's choice.
  }
}

function systemTheme(): Theme {
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

// The theme in force, and a function that makes `theme` the user's choice.
export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => stored() ?? systemTheme());
  useEffect(() => {
    apply(theme);
  }, [theme]);
  useEffect(() => {
    const media = matchMedia('(prefers-color-scheme: dark)');
    const follow = () => {
      if (stored() === null) setTheme(systemTheme());
    };
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);
  const choose = (next: Theme) => {
    try {
      localStorage.setItem(kStorageKey, next);
    } catch {
      // Not kept across reloads; still applied now.
    }
    setTheme(next);
  };
  return [theme, choose];
}

// A CSS custom property of the theme in force, for what draws outside CSS (the graph's canvas).
export function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
