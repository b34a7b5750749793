// Query results (the shapes of Prometheus' HTTP API) as the graph, the table and the error line
// show them. Pure functions, no DOM.

export type Labels = Record<string, string>;
export type SamplePair = [number, string]; // Seconds since the epoch, and the value as text.

export interface RangeSeries {
  metric: Labels;
  values?: SamplePair[];
}
export interface InstantSample {
  metric: Labels;
  value?: SamplePair;
}

export type QueryData =
  | { resultType: 'matrix'; result: RangeSeries[] }
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'scalar'; result: SamplePair }
  | { resultType: 'string'; result: SamplePair };

// A series as PromQL writes its selector: up{instance="a:9090", job="argus"}; "{}" when it has no
// labels at all.
export function seriesName(metric: Labels): string {
  const name = metric.__name__ ?? '';
  const labels = Object.keys(metric)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(metric[k])}`);
  if (labels.length === 0) return name || '{}';
  return `${name}{${labels.join(', ')}}`;
}

// A sample's value as the API writes it ("1.5", "NaN", "+Inf", "-Inf") as a number.
export function parseSampleValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return parseFloat(text);
}

// A range query's series as uPlot takes them: the timestamps start, start + step, ... end, then
// one array per series with each value at its timestamp's index, null where the series has none
// (so that the line breaks there).
export function alignSeries(
  series: RangeSeries[],
  start: number,
  end: number,
  step: number,
): [number[], ...(number | null)[][]] {
  const count = Math.floor((end - start) / step) + 1;
  const times = Array.from({ length: count }, (_, i) => start + i * step);
  const columns = series.map((s) => {
    const column: (number | null)[] = new Array(count).fill(null);
    for (const [t, v] of s.values ?? []) {
      const i = Math.round((t - start) / step);
      if (i >= 0 && i < count) column[i] = parseSampleValue(v);
    }
    return column;
  });
  return [times, ...columns];
}

export interface ErrorPosition {
  line: number; // From 1.
  column: number; // From 1.
  offset: number; // Into the expression, from 0.
}

// Where in `expr` a PromQL error message points, from the "line:column:" before its text, as the
// API says it: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis'; null
// when it names no position, or one outside the expression.
export function errorPosition(message: string, expr: string): ErrorPosition | null {
  const m = /(?:^|: )(\d+):(\d+): /.exec(message);
  if (!m) return null;
  const line = Number(m[1]);
  const column = Number(m[2]);
  const lines = expr.split('\n');
  if (line < 1 || line > lines.length || column < 1 || column > lines[line - 1].length + 1) {
    return null;
  }
  let offset = column - 1;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  return { line, column, offset };
}
