// One panel of a dashboard: its queries, with the variables and built-ins replaced, run in
// parallel as range queries over the dashboard's range at a step its width gives; a timeseries
// as a graph with a legend, a stat as each series' last value coloured by the thresholds. A query
// that fails shows its error in the panel, and the others still draw.
import type uPlot from 'uplot';
import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError, queryRange } from './api';
import type { Panel, Threshold } from './dashboard_model';
import { builtIns, legendName, substitute } from './dashboard_vars';
import { Graph } from './graph';
import { alignSeries, parseSampleValue, seriesName, type RangeSeries } from './series';
import { chooseStep } from './step';
import type { Theme } from './theme';
import { dashboardUnit, formatValue } from './units';

// Pixels of one height unit, and those the title takes.
export const kRowUnitPx = 30;
const kTitlePx = 30;
// Room the graph's legend takes under the plot, one line of series.
const kLegendPx = 40;

interface Drawn {
  series: RangeSeries[];
  names: string[];
  errors: string[];
  start: number;
  end: number;
  step: number;
}

interface Props {
  panel: Panel;
  values: Record<string, string>; // Each variable's text.
  rangeSeconds: number;
  now: number; // The end of the range, in seconds since the epoch.
  theme: Theme;
}

export function PanelView({ panel, values, rangeSeconds, now, theme }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const drawable = panel.type === 'timeseries' || panel.type === 'stat';

  useEffect(() => {
    if (!drawable) return;
    const controller = new AbortController();
    runQueries(panel, values, rangeSeconds, now, box.current!.clientWidth, controller.signal).then(
      (d) => controller.signal.aborted || setDrawn(d),
    );
    return () => controller.abort();
  }, [panel, values, rangeSeconds, now]);

  const { unit, scale } = dashboardUnit(panel.unit);
  const heightPx = panel.height * kRowUnitPx;
  return (
    <section
      class={`card panel panel-${panel.type}`}
      style={{ gridColumn: `span ${panel.width}`, height: `${heightPx}px` }}
      title={panel.description || undefined}
    >
      <h3 class="panel-title">{panel.title}</h3>
      <div class="panel-body" ref={box}>
        {!drawable && <p class="empty">The {panel.type} panel is not drawn yet.</p>}
        {drawn?.errors.map((e) => (
          <div class="query-error" role="alert">
            Error: {e}
          </div>
        ))}
        {drawn && drawn.series.length === 0 && drawn.errors.length === 0 && (
          <p class="empty">No data</p>
        )}
        {drawn && drawn.series.length > 0 && panel.type === 'timeseries' && (
          <Graph
            data={scaled(alignSeries(drawn.series, drawn.start, drawn.end, drawn.step), scale)}
            names={drawn.names}
            unit={unit}
            theme={theme}
            height={Math.max(60, heightPx - kTitlePx - kLegendPx)}
            yMin={panel.min}
            yMax={panel.max}
          />
        )}
        {drawn && panel.type === 'stat' && (
          <div class="stats">
            {drawn.series.map((s, i) => {
              const last = lastValue(s);
              const color = last === null ? undefined : thresholdColor(panel.thresholds, last);
              return (
                <div class="stat">
                  <div class="stat-value" style={color ? { color } : undefined}>
                    {last === null ? '–' : formatValue(last * scale, unit)}
                  </div>
                  {drawn.series.length > 1 && <div class="stat-name">{drawn.names[i]}</div>}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

async function runQueries(
  panel: Panel,
  values: Record<string, string>,
  rangeSeconds: number,
  now: number,
  widthPx: number,
  signal: AbortSignal,
): Promise<Drawn> {
  const step = chooseStep(rangeSeconds, widthPx);
  // On multiples of the step, so that a point stays where it was when the query runs again.
  const end = Math.floor(now / step) * step;
  const start = end - Math.floor(rangeSeconds / step) * step;
  const all = { ...values, ...builtIns(step, rangeSeconds) };
  const results = await Promise.allSettled(
    panel.queries.map((q) => queryRange(substitute(q.expr, all), start, end, step, signal)),
  );
  const drawn: Drawn = { series: [], names: [], errors: [], start, end, step };
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      drawn.errors.push(r.reason instanceof ApiError ? r.reason.message : String(r.reason));
    } else if (r.value.resultType === 'matrix') {
      for (const s of r.value.result) {
        drawn.series.push(s);
        drawn.names.push(legendName(panel.queries[i].legend, s.metric, seriesName(s.metric)));
      }
    }
  });
  return drawn;
}

function scaled(data: ReturnType<typeof alignSeries>, scale: number): uPlot.AlignedData {
  if (scale === 1) return data;
  const [times, ...columns] = data;
  return [times, ...columns.map((c) => c.map((v) => (v === null ? v : v * scale)))];
}

function lastValue(s: RangeSeries): number | null {
  const values = s.values ?? [];
  return values.length === 0 ? null : parseSampleValue(values[values.length - 1][1]);
}

// The colour of the highest threshold `v` reaches; none under the first.
function thresholdColor(thresholds: Threshold[], v: number): string | undefined {
  let color: string | undefined;
  for (const t of thresholds) if (v >= t.value) color = t.color;
  return color;
}
