// An instant query's result as a table: one row per series (its labels and value), or the one
// scalar or string.
import { parseSampleValue, seriesName, type QueryData } from './series';
import { formatValue, type Unit } from './units';

export function ResultTable({ data, unit }: { data: QueryData; unit: Unit }) {
  // The value as the API wrote it, and humanised when that reads differently.
  const cell = (text: string) => {
    const human = formatValue(parseSampleValue(text), unit);
    return human === text ? text : `${text} (${human})`;
  };
  let rows: [string, string][];
  switch (data.resultType) {
    case 'vector':
      rows = data.result.map((s) => [seriesName(s.metric), s.value ? cell(s.value[1]) : '']);
      break;
    case 'matrix':
      rows = data.result.map((s) => [
        seriesName(s.metric),
        (s.values ?? []).map(([t, v]) => `${v} @${t}`).join('\n'),
      ]);
      break;
    case 'scalar':
      rows = [['scalar', cell(data.result[1])]];
      break;
    case 'string':
      rows = [['string', data.result[1]]];
      break;
  }
  if (rows.length === 0) return <p class="empty">No data: the query matched no series.</p>;
  return (
    <table class="result-table">
      <thead>
        <tr>
          <th>Series</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, value]) => (
          <tr>
            <td class="series">{name}</td>
            <td class="value">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
