// What the Explore page shows, kept in the URL's query string so that a reload or a shared link
// shows the same: ?expr=rate(x[5m])&range=1h&view=graph.

export type View = 'graph' | 'table';

export interface ExploreState {
  expr: string;
  range: string; // One of kRangePresets.
  view: View;
}

// The relative ranges the page offers, ending now.
export const kRangePresets = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '24h', '2d', '7d'];
export const kDefaultState: ExploreState = { expr: '', range: '1h', view: 'graph' };

const kUnitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

// "15m" in seconds; null for anything that is not a whole number and one of s, m, h, d, w.
export function parseDuration(text: string): number | null {
  const m = /^(\d+)([smhdw])$/.exec(text);
  return m ? Number(m[1]) * kUnitSeconds[m[2]] : null;
}

// The state a query string (location.search, with or without its "?") describes; what is missing
// or not understood takes its default.
export function readExploreState(search: string): ExploreState {
  const params = new URLSearchParams(search);
  const range = params.get('range') ?? '';
  const view = params.get('view');
  return {
    expr: params.get('expr') ?? kDefaultState.expr,
    range: kRangePresets.includes(range) ? range : kDefaultState.range,
    view: view === 'graph' || view === 'table' ? view : kDefaultState.view,
  };
}

// The query string, with its "?", that readExploreState reads back as `state`.
export function writeExploreState(state: ExploreState): string {
  const params = new URLSearchParams();
  params.set('expr', state.expr);
  params.set('range', state.range);
  params.set('view', state.view);
  return `?${params.toString()}`;
}
