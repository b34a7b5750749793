// The Rules page: the rule groups of /api/v1/rules, each rule with its query, health, last
// error, last evaluation and how long it took; an alerting rule with its state and alerts.
import { apiGet } from './api';
import { formatAgo, formatDuration, type Labels } from './format';
import { useLoad } from './use_api';
import { Badge, Failure, LabelChips, PageHeader } from './widgets';

interface Rule {
  name: string;
  query: string;
  type: 'alerting' | 'recording';
  health: string;
  lastError?: string;
  lastEvaluation: string;
  evaluationTime: number;
  labels?: Labels;
  state?: string;
  duration?: number;
  alerts?: unknown[];
}

interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: Rule[];
  lastEvaluation: string;
  evaluationTime: number;
}

const kRefreshMs = 10000;

export function Rules() {
  const { data, error, loading, reload } = useLoad(
    (signal) => apiGet<{ groups: RuleGroup[] }>('rules', {}, signal),
    [],
    kRefreshMs,
  );
  const now = Date.now();
  return (
    <main class="page">
      <PageHeader title="Rules" loading={loading} reload={reload} />
      <Failure error={error} />
      {data && data.groups.length === 0 && (
        <p class="empty">No rules: the configuration's rule_files name none.</p>
      )}
      {data?.groups.map((g) => (
        <section class="card" key={g.file + g.name}>
          <h2>
            {g.name} <span class="count">{g.file}</span>
          </h2>
          <p class="summary">
            Every {formatDuration(g.interval)}; last evaluated {formatAgo(g.lastEvaluation, now)} in{' '}
            {formatDuration(g.evaluationTime)}
          </p>
          <div class="table-scroll">
            <table class="result-table rules">
              <thead>
                <tr>
                  <th>Rule</th>
                  <th>Health</th>
                  <th>Last evaluation</th>
                  <th>Duration</th>
                </tr>
              </thead>
              <tbody>
                {g.rules.map((r) => (
                  <tr class="rule" key={r.name}>
                    <td>
                      <div>
                        <b>{r.type === 'alerting' ? 'alert' : 'record'}:</b> {r.name}{' '}
                        {r.state && <Badge value={r.state} />}
                        {r.alerts && r.alerts.length > 0 && (
                          <span class="count"> {r.alerts.length} alerts</span>
                        )}
                      </div>
                      <pre class="expr">{r.query}</pre>
                      {r.duration ? <div class="count">for {formatDuration(r.duration)}</div> : null}
                      {r.labels && <LabelChips labels={r.labels} />}
                      {r.lastError && <div class="error-text">{r.lastError}</div>}
                    </td>
                    <td>
                      <Badge value={r.health} />
                    </td>
                    <td class="nowrap">{formatAgo(r.lastEvaluation, now)}</td>
                    <td class="nowrap">{formatDuration(r.evaluationTime)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </main>
  );
}
