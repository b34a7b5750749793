// The Status page: the build (/api/v1/status/buildinfo), the flags (/api/v1/status/flags), the
// configuration in force with its secrets hidden by the server (/api/v1/status/config), and the
// TSDB head with its cardinality (/api/v1/status/tsdb).
import { apiGet } from './api';
import { formatValue } from './units';
import { useLoad } from './use_api';
import { Failure, PageHeader } from './widgets';

interface NameValue {
  name: string;
  value: number;
}

interface TsdbStatus {
  headStats: {
    numSeries: number;
    chunkCount: number;
    minTime: number;
    maxTime: number;
    numLabelPairs: number;
  };
  seriesCountByMetricName: NameValue[];
  labelValueCountByLabelName: NameValue[];
  memoryInBytesByLabelName: NameValue[];
  seriesCountByLabelValuePair: NameValue[];
}

interface StatusData {
  build: Record<string, string>;
  flags: Record<string, string>;
  config: string;
  tsdb: TsdbStatus;
}

async function loadStatus(signal: AbortSignal): Promise<StatusData> {
  const [build, flags, config, tsdb] = await Promise.all([
    apiGet<Record<string, string>>('status/buildinfo', {}, signal),
    apiGet<Record<string, string>>('status/flags', {}, signal),
    apiGet<{ yaml: string }>('status/config', {}, signal),
    apiGet<TsdbStatus>('status/tsdb', {}, signal),
  ]);
  return { build, flags, config: config.yaml, tsdb };
}

export function Status() {
  const { data, error, loading, reload } = useLoad(loadStatus, []);
  return (
    <main class="page">
      <PageHeader title="Status" loading={loading} reload={reload} />
      <Failure error={error} />
      {data && (
        <div class="status-grid">
          <section class="card">
            <h2>Build</h2>
            <KeyValues values={data.build} />
          </section>
          <section class="card">
            <h2>TSDB head</h2>
            <HeadStats tsdb={data.tsdb} />
          </section>
          <section class="card wide">
            <h2>Cardinality</h2>
            <div class="cardinality">
              <TopList title="Series by metric name" entries={data.tsdb.seriesCountByMetricName} />
              <TopList title="Values by label name" entries={data.tsdb.labelValueCountByLabelName} />
              <TopList title="Series by label pair" entries={data.tsdb.seriesCountByLabelValuePair} />
              <TopList
                title="Memory by label name"
                entries={data.tsdb.memoryInBytesByLabelName}
                unit="bytes"
              />
            </div>
          </section>
          <section class="card wide">
            <h2>Configuration</h2>
            <pre class="config">{data.config}</pre>
          </section>
          <section class="card wide">
            <h2>Flags</h2>
            <KeyValues values={data.flags} />
          </section>
        </div>
      )}
    </main>
  );
}

function KeyValues({ values }: { values: Record<string, string> }) {
  return (
    <table class="result-table key-values">
      <tbody>
        {Object.keys(values)
          .sort()
          .map((k) => (
            <tr key={k}>
              <th>{k}</th>
              <td class="series">{values[k]}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

function HeadStats({ tsdb }: { tsdb: TsdbStatus }) {
  const h = tsdb.headStats;
  const time = (ms: number) => (Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : '—');
  return (
    <KeyValues
      values={{
        series: formatValue(h.numSeries),
        chunks: formatValue(h.chunkCount),
        'label pairs': formatValue(h.numLabelPairs),
        'oldest sample': time(h.minTime),
        'newest sample': time(h.maxTime),
      }}
    />
  );
}

function TopList({
  title,
  entries,
  unit = 'short',
}: {
  title: string;
  entries: NameValue[];
  unit?: 'short' | 'bytes';
}) {
  return (
    <div>
      <h3>{title}</h3>
      <table class="result-table">
        <tbody>
          {entries.map((e) => (
            <tr key={e.name}>
              <td class="series">{e.name}</td>
              <td class="value">{formatValue(e.value, unit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
