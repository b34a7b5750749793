// The Explore page: a PromQL query over a range ending now, as a graph (a range query) or a table
// (an instant query at the end), with the query, the range and the view in the URL.
import type uPlot from 'uplot';
import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError, queryInstant, queryRange } from './api';
import { PromqlEditor } from './editor';
import { Graph } from './graph';
import { ResultTable } from './result_table';
import { alignSeries, errorPosition, seriesName, type QueryData } from './series';
import { chooseStep } from './step';
import type { Theme } from './theme';
import { guessUnit } from './units';
import {
  kRangePresets,
  parseDuration,
  readExploreState,
  writeExploreState,
  type ExploreState,
  type View,
} from './url_state';

// More lines than this make a graph nobody can read, and a legend that slows the page.
const kMaxGraphSeries = 200;

type Outcome =
  | { view: 'graph'; data: uPlot.AlignedData; names: string[]; dropped: number; step: number }
  | { view: 'table'; data: QueryData };

interface Failure {
  message: string;
  expr: string;
}

export function Explore({ theme }: { theme: Theme }) {
  const [state, setState] = useState<ExploreState>(() => readExploreState(location.search));
  const [draft, setDraft] = useState(state.expr);
  const [runs, setRuns] = useState(0); // Run again with the same state.
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [loading, setLoading] = useState(false);
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const restore = () => {
      const restored = readExploreState(location.search);
      setState(restored);
      setDraft(restored.expr);
    };
    addEventListener('popstate', restore);
    return () => removeEventListener('popstate', restore);
  }, []);

  useEffect(() => {
    if (state.expr.trim() === '') {
      setOutcome(null);
      setFailure(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    fetchOutcome(state, body.current?.clientWidth ?? 1000, controller.signal)
      .then((o) => {
        setOutcome(o);
        setFailure(null);
      })
      .catch((e: Error) => {
        if (controller.signal.aborted) return;
        setOutcome(null);
        setFailure({ message: e instanceof ApiError ? e.message : String(e), expr: state.expr });
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [state, runs]);

  const show = (next: ExploreState) => {
    const search = writeExploreState(next);
    if (search !== location.search) history.pushState(null, '', location.pathname + search);
    setState(next);
    setRuns((n) => n + 1);
  };
  const run = (expr = draft) => show({ ...state, expr });
  const unit = guessUnit(state.expr);

  return (
    <main class="page explore">
      <div class="query-bar">
        <PromqlEditor value={state.expr} onChange={setDraft} onRun={run} />
        <select
          aria-label="Range"
          value={state.range}
          onChange={(e) => show({ ...state, expr: draft, range: e.currentTarget.value })}
        >
          {kRangePresets.map((r) => (
            <option value={r}>Last {r}</option>
          ))}
        </select>
        <button class="primary" onClick={() => run()} disabled={loading}>
          {loading ? 'Running…' : 'Run'}
        </button>
      </div>
      <div class="tabs" role="tablist">
        {(['graph', 'table'] as View[]).map((v) => (
          <button
            role="tab"
            aria-selected={state.view === v}
            onClick={() => show({ ...state, expr: draft, view: v })}
          >
            {v === 'graph' ? 'Graph' : 'Table'}
          </button>
        ))}
      </div>
      <div class="result" ref={body}>
        {failure && <QueryError failure={failure} />}
        {!failure && outcome?.view === 'graph' && state.view === 'graph' && (
          <>
            <p class="summary">
              {outcome.names.length} series, one point every {outcome.step}s
              {outcome.dropped > 0 && `; ${outcome.dropped} more not drawn`}
            </p>
            {outcome.names.length === 0 ? (
              <p class="empty">No data: the query matched no series in this range.</p>
            ) : (
              <Graph data={outcome.data} names={outcome.names} unit={unit} theme={theme} />
            )}
          </>
        )}
        {!failure && outcome?.view === 'table' && state.view === 'table' && (
          <ResultTable data={outcome.data} unit={unit} />
        )}
        {!failure && !outcome && !loading && (
          <p class="empty">Write a PromQL expression above and press Enter or Run.</p>
        )}
      </div>
    </main>
  );
}

async function fetchOutcome(state: ExploreState, width: number, signal: AbortSignal) {
  const range = parseDuration(state.range) ?? 3600;
  const now = Date.now() / 1000;
  if (state.view === 'table') {
    return { view: 'table', data: await queryInstant(state.expr, now, signal) } as Outcome;
  }
  const step = chooseStep(range, width);
  // On multiples of the step, so that a point stays where it was when the query runs again.
  const end = Math.floor(now / step) * step;
  const start = end - Math.floor(range / step) * step;
  const data = await queryRange(state.expr, start, end, step, signal);
  if (data.resultType !== 'matrix') throw new ApiError('bad_response', 'not a range result');
  const drawn = data.result.slice(0, kMaxGraphSeries);
  return {
    view: 'graph',
    data: alignSeries(drawn, start, end, step),
    names: drawn.map((s) => seriesName(s.metric)),
    dropped: data.result.length - drawn.length,
    step,
  } as Outcome;
}

// The error, and for a parse error the expression with a caret under the place it names.
function QueryError({ failure }: { failure: Failure }) {
  const position = errorPosition(failure.message, failure.expr);
  return (
    <div class="query-error" role="alert">
      <div>Error: {failure.message}</div>
      {position && (
        <pre class="caret">
          {failure.expr.split('\n')[position.line - 1]}
          {'\n'}
          {' '.repeat(position.column - 1)}^
        </pre>
      )}
    </div>
  );
}
