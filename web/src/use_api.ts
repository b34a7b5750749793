// A page's data as a hook: loads it, again every `refreshMs` and on reload(), and cancels a load
// that a newer one or leaving the page makes useless.
import { useCallback, useEffect, useState } from 'preact/hooks';

import { ApiError } from './api';

export interface Loaded<T> {
  data: T | null; // The last data that arrived; kept while the next load runs.
  error: string | null; // Why the last load failed.
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  refreshMs = 0,
): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [runs, setRuns] = useState(0);
  const reload = useCallback(() => setRuns((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: Error) => {
        if (!controller.signal.aborted) setError(e instanceof ApiError ? e.message : String(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    const timer = refreshMs > 0 ? setTimeout(reload, refreshMs) : undefined;
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, runs]);

  return { data, error, loading, reload };
}
