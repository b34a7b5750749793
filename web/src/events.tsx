// The Events page: /api/v1/events over a range ending now (deploys, restarts, probe failures…),
// newest first, filtered by kind and by a label selector that the server matches.
import { useState } from 'preact/hooks';

import { apiGet } from './api';
import { formatAgo, timeMs, type Labels } from './format';
import { kRangePresets, parseDuration } from './url_state';
import { useLoad } from './use_api';
import { Failure, LabelChips, PageHeader } from './widgets';

interface ArgusEvent {
  time: number; // Seconds since the epoch.
  kind: string;
  labels: Labels;
  text: string;
  link?: string;
}

const kRefreshMs = 15000;

export function Events() {
  const [range, setRange] = useState('24h');
  const [kind, setKind] = useState('');
  const [draft, setDraft] = useState('');
  const [selector, setSelector] = useState('');
  const { data, error, loading, reload } = useLoad(
    (signal) => {
      const end = Date.now() / 1000;
      const params: [string, string][] = [
        ['start', String(end - (parseDuration(range) ?? 86400))],
        ['end', String(end)],
      ];
      if (selector.trim() !== '') params.push(['match[]', selector.trim()]);
      return apiGet<ArgusEvent[]>('events', params, signal);
    },
    [range, selector],
    kRefreshMs,
  );
  const events = (data ?? []).filter((e) => kind === '' || e.kind === kind).reverse();
  const kinds = [...new Set((data ?? []).map((e) => e.kind))].sort();
  const now = Date.now();

  return (
    <main class="page">
      <PageHeader title="Events" loading={loading} reload={reload}>
        <select aria-label="Range" value={range} onChange={(e) => setRange(e.currentTarget.value)}>
          {kRangePresets.map((r) => (
            <option value={r}>Last {r}</option>
          ))}
        </select>
        <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          <option value="">All kinds</option>
          {kinds.map((k) => (
            <option value={k}>{k}</option>
          ))}
        </select>
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            setSelector(draft);
          }}
        >
          <input
            aria-label="Label match"
            placeholder='{service="api"}'
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit">Filter</button>
        </form>
      </PageHeader>
      <Failure error={error} />
      {data && events.length === 0 && <p class="empty">No event in the last {range}.</p>}
      {events.length > 0 && (
        <div class="card table-scroll">
          <table class="result-table events">
            <thead>
              <tr>
                <th>When</th>
                <th>Kind</th>
                <th>What</th>
                <th>Labels</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e, i) => (
                <tr class="event" key={`${e.time}${i}`}>
                  <td class="nowrap">
                    {new Date(timeMs(e.time)).toLocaleString()}
                    <div class="count">{formatAgo(e.time, now)}</div>
                  </td>
                  <td>
                    <span class="badge muted">{e.kind}</span>
                  </td>
                  <td>
                    {e.text}
                    {e.link && (
                      <>
                        {' '}
                        <a href={e.link} rel="noreferrer" target="_blank">
                          link
                        </a>
                      </>
                    )}
                  </td>
                  <td>
                    <LabelChips labels={e.labels} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
