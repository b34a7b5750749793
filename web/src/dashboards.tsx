// The Dashboards page: every dashboard /api/v1/dashboards lists (title, tags, where it comes
// from), each a link to its view, and the files that failed to load with their place and reason.
import { listDashboards, type LoadError } from './dashboard_model';
import { followLink } from './router';
import { useLoad } from './use_api';
import { Failure, PageHeader } from './widgets';

export function Dashboards() {
  const { data, error, loading, reload } = useLoad(listDashboards, []);
  const dashboards = [...(data?.dashboards ?? [])].sort((a, b) => a.title.localeCompare(b.title));
  return (
    <main class="page">
      <PageHeader title="Dashboards" loading={loading} reload={reload} />
      <Failure error={error} />
      {data && dashboards.length === 0 && <p class="empty">No dashboard is loaded.</p>}
      {dashboards.length > 0 && (
        <section class="card">
          <table class="result-table dashboards">
            <thead>
              <tr>
                <th>Title</th>
                <th>Tags</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {dashboards.map((d) => (
                <tr key={d.uid}>
                  <td>
                    <a href={`/d/${d.uid}`} onClick={followLink}>
                      {d.title}
                    </a>
                  </td>
                  <td>
                    <span class="labels">
                      {d.tags.map((t) => (
                        <span class="label">{t}</span>
                      ))}
                    </span>
                  </td>
                  <td class="source">{d.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {(data?.errors.length ?? 0) > 0 && (
        <section class="card load-errors">
          <h2>Files that did not load</h2>
          <ul>
            {data!.errors.map((e) => (
              <li class="error-text">{errorPlace(e)}</li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

// file:line:column: message, without the place when the error has none.
function errorPlace(e: LoadError): string {
  return e.line > 0 ? `${e.file}:${e.line}:${e.column}: ${e.message}` : `${e.file}: ${e.message}`;
}
