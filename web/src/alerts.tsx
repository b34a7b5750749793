// The Alerts page: the alerts of the rules (/api/v1/alerts), firing and pending, grouped by
// alert name, with their labels, annotations, state and since when; the built-in Alertmanager's
// aggregation groups (/api/v2/alerts/groups); the silences (/api/v2/silences). "Silence" on an
// alert opens the silence form; "Expire" on a silence DELETEs it.
import { useState } from 'preact/hooks';

import { alertmanagerCall, apiGet, ApiError } from './api';
import { formatAgo, formatMatcher, type Labels } from './format';
import { silencing, type Silence } from './silence';
import { SilenceDialog } from './silence_form';
import { formatValue } from './units';
import { useLoad } from './use_api';
import { Badge, Failure, LabelChips, PageHeader } from './widgets';

interface RuleAlert {
  labels: Labels;
  annotations: Labels;
  state: 'firing' | 'pending';
  activeAt: string;
  value: string;
}

interface NotifiedAlert {
  labels: Labels;
  startsAt: string;
  fingerprint: string;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

interface AlertGroup {
  labels: Labels;
  receiver: { name: string };
  alerts: NotifiedAlert[];
}

interface AlertsData {
  alerts: RuleAlert[];
  groups: AlertGroup[];
  silences: Silence[];
}

const kRefreshMs = 10000;

async function loadAlerts(signal: AbortSignal): Promise<AlertsData> {
  const [rules, groups, silences] = await Promise.all([
    apiGet<{ alerts: RuleAlert[] }>('alerts', {}, signal),
    alertmanagerCall<AlertGroup[]>('alerts/groups', { signal }),
    alertmanagerCall<Silence[]>('silences', { signal }),
  ]);
  return { alerts: rules.alerts, groups, silences };
}

export function Alerts() {
  const { data, error, loading, reload } = useLoad(loadAlerts, [], kRefreshMs);
  const [state, setState] = useState('');
  const [silencingLabels, setSilencingLabels] = useState<Labels | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [expireError, setExpireError] = useState<string | null>(null);
  const now = Date.now();

  const alerts = (data?.alerts ?? []).filter((a) => state === '' || a.state === state);
  const names = [...new Set(alerts.map((a) => a.labels.alertname ?? ''))].sort();

  const expire = async (id: string) => {
    try {
      await alertmanagerCall<unknown>(`silence/${encodeURIComponent(id)}`, { method: 'DELETE' });
      setNotice(`Silence ${id} expired.`);
      setExpireError(null);
      reload();
    } catch (e) {
      setExpireError(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <main class="page">
      <PageHeader title="Alerts" loading={loading} reload={reload}>
        <select aria-label="State" value={state} onChange={(e) => setState(e.currentTarget.value)}>
          <option value="">Firing and pending</option>
          <option value="firing">Firing</option>
          <option value="pending">Pending</option>
        </select>
      </PageHeader>
      <Failure error={error ?? expireError} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {data && alerts.length === 0 && <p class="empty">No alert is firing or pending.</p>}
      {names.map((name) => {
        const inGroup = alerts.filter((a) => (a.labels.alertname ?? '') === name);
        const firing = inGroup.filter((a) => a.state === 'firing').length;
        return (
          <section class="card alert-group" key={name}>
            <h2>
              {name} <span class="count">({firing} firing, {inGroup.length - firing} pending)</span>
            </h2>
            {inGroup.map((a) => (
              <AlertRow
                alert={a}
                silencedBy={silencing(data!.silences, a.labels)}
                now={now}
                onSilence={() => setSilencingLabels(a.labels)}
                key={JSON.stringify(a.labels)}
              />
            ))}
          </section>
        );
      })}
      {data && <NotificationGroups groups={data.groups} now={now} />}
      {data && <Silences silences={data.silences} now={now} onExpire={expire} />}
      {silencingLabels && (
        <SilenceDialog
          labels={silencingLabels}
          onClose={() => setSilencingLabels(null)}
          onCreated={(id) => {
            setSilencingLabels(null);
            setNotice(`Silence ${id} created.`);
            reload();
          }}
        />
      )}
    </main>
  );
}

function AlertRow({
  alert: a,
  silencedBy,
  now,
  onSilence,
}: {
  alert: RuleAlert;
  silencedBy: Silence[];
  now: number;
  onSilence: () => void;
}) {
  return (
    <div class="alert">
      <div class="alert-head">
        <Badge value={a.state} />
        {silencedBy.length > 0 && <Badge value="suppressed" />}
        <span class="count" title={a.activeAt}>
          since {formatAgo(a.activeAt, now)}
        </span>
        <span class="count">value {formatValue(Number(a.value))}</span>
        <button class="silence" onClick={onSilence}>
          Silence
        </button>
      </div>
      <LabelChips labels={a.labels} skip={['alertname']} />
      {Object.keys(a.annotations).length > 0 && (
        <dl class="annotations">
          {Object.entries(a.annotations).map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </>
          ))}
        </dl>
      )}
    </div>
  );
}

function NotificationGroups({ groups, now }: { groups: AlertGroup[]; now: number }) {
  return (
    <section class="card">
      <h2>Notification groups</h2>
      {groups.length === 0 ? (
        <p class="empty">The notifier holds no alert.</p>
      ) : (
        <div class="table-scroll">
          <table class="result-table notification-groups">
            <thead>
              <tr>
                <th>Group</th>
                <th>Receiver</th>
                <th>Alerts</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.receiver.name + JSON.stringify(g.labels)}>
                  <td>
                    {Object.keys(g.labels).length === 0 ? (
                      <span class="count">one group for all</span>
                    ) : (
                      <LabelChips labels={g.labels} />
                    )}
                  </td>
                  <td>{g.receiver.name}</td>
                  <td>
                    {g.alerts.map((a) => (
                      <div key={a.fingerprint}>
                        <Badge value={a.status.state} /> <LabelChips labels={a.labels} />{' '}
                        <span class="count">since {formatAgo(a.startsAt, now)}</span>
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Silences({
  silences,
  now,
  onExpire,
}: {
  silences: Silence[];
  now: number;
  onExpire: (id: string) => void;
}) {
  return (
    <section class="card">
      <h2>Silences</h2>
      {silences.length === 0 ? (
        <p class="empty">No silence.</p>
      ) : (
        <div class="table-scroll">
          <table class="result-table silences">
            <thead>
              <tr>
                <th>Matchers</th>
                <th>State</th>
                <th>Ends</th>
                <th>Created by</th>
                <th>Comment</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {silences.map((s) => (
                <tr class="silence-row" data-id={s.id} key={s.id}>
                  <td class="series">{s.matchers.map(formatMatcher).join(', ')}</td>
                  <td>
                    <Badge value={s.status.state} />
                  </td>
                  <td class="nowrap" title={s.endsAt}>
                    {formatAgo(s.endsAt, now)}
                  </td>
                  <td>{s.createdBy}</td>
                  <td>{s.comment}</td>
                  <td>
                    {s.status.state !== 'expired' && (
                      <button class="expire" onClick={() => onExpire(s.id)}>
                        Expire
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
