// A dashboard at /d/{uid}: its variables as drop-downs (resolved in order, each from the ones
// before it), a relative range ending now, and its rows of panels on a grid of 24 columns; the
// range and the variables' values in the URL. Refreshes on its own when the dashboard says so.
import { useEffect, useState } from 'preact/hooks';

import { getDashboard, variableOptions, type Variable } from './dashboard_model';
import {
  rangeFromTime,
  readDashboardUrl,
  selectionText,
  writeDashboardUrl,
  type Selection,
} from './dashboard_vars';
import { PanelView } from './panel';
import type { Theme } from './theme';
import { kRangePresets, parseDuration } from './url_state';
import { useLoad } from './use_api';
import { Failure, PageHeader } from './widgets';

const kAll = '$__all';

// The variables once resolved: what each offers, and the text each stands for in queries.
interface Resolved {
  options: Record<string, string[]>;
  values: Record<string, string>;
  error: string | null;
}

export function DashboardView({ uid, theme }: { uid: string; theme: Theme }) {
  const { data: dashboard, error, loading } = useLoad((s) => getDashboard(uid, s), [uid]);
  const [url] = useState(() => readDashboardUrl(location.search));
  const [range, setRange] = useState<string | null>(url.range);
  const [selections, setSelections] = useState<Record<string, Selection>>(url.selections);
  const [resolved, setResolved] = useState<Resolved | null>(null);
  const [now, setNow] = useState(() => Date.now() / 1000);

  const shownRange = range ?? (dashboard ? rangeFromTime(dashboard.time.from) : '1h');
  const rangeSeconds = parseDuration(shownRange) ?? 3600;
  const selectionsKey = JSON.stringify(selections);

  useEffect(() => {
    history.replaceState(null, '', location.pathname + writeDashboardUrl({ range, selections }));
  }, [range, selectionsKey]);

  useEffect(() => {
    const seconds = parseDuration(dashboard?.refresh ?? '') ?? 0;
    if (seconds <= 0) return;
    const timer = setInterval(() => setNow(Date.now() / 1000), seconds * 1000);
    return () => clearInterval(timer);
  }, [dashboard]);

  useEffect(() => {
    if (!dashboard) return;
    const controller = new AbortController();
    resolveVariables(dashboard.variables, selections, now - rangeSeconds, now, controller.signal)
      .then(({ resolved: r, chosen }) => {
        if (controller.signal.aborted) return;
        if (JSON.stringify(chosen) !== selectionsKey) setSelections(chosen);
        else setResolved(r);
      })
      .catch((e: Error) => {
        if (!controller.signal.aborted) setResolved({ options: {}, values: {}, error: e.message });
      });
    return () => controller.abort();
  }, [dashboard, selectionsKey, rangeSeconds]);

  const choose = (name: string, picked: string[]) =>
    setSelections({
      ...selections,
      [name]: picked.includes(kAll) ? { all: true, values: [] } : { all: false, values: picked },
    });

  return (
    <main class="page dashboard">
      <PageHeader
        title={dashboard?.title ?? uid}
        loading={loading}
        reload={() => setNow(Date.now() / 1000)}
      >
        {dashboard?.variables.map((v) => (
          <VariablePicker
            variable={v}
            options={resolved?.options[v.name] ?? []}
            selection={selections[v.name]}
            choose={(picked) => choose(v.name, picked)}
          />
        ))}
        <select
          aria-label="Range"
          value={shownRange}
          onChange={(e) => {
            setRange(e.currentTarget.value);
            setNow(Date.now() / 1000);
          }}
        >
          {kRangePresets.map((r) => (
            <option value={r}>Last {r}</option>
          ))}
        </select>
      </PageHeader>
      <Failure error={error ?? resolved?.error ?? null} />
      {dashboard &&
        resolved &&
        !resolved.error &&
        dashboard.rows.map((row) => (
          <section class="dashboard-row">
            {row.title && <h2 class="row-title">{row.title}</h2>}
            <div class="panel-grid">
              {row.panels.map((panel) => (
                <PanelView
                  panel={panel}
                  values={resolved.values}
                  rangeSeconds={rangeSeconds}
                  now={now}
                  theme={theme}
                />
              ))}
            </div>
          </section>
        ))}
    </main>
  );
}

function VariablePicker(props: {
  variable: Variable;
  options: string[];
  selection: Selection | undefined;
  choose: (picked: string[]) => void;
}) {
  const { variable, options, selection, choose } = props;
  const picked = selection?.all ? [kAll] : selection?.values ?? [];
  const all = variable.include_all ? [kAll] : [];
  return (
    <label class="variable">
      {variable.label || variable.name}{' '}
      <select
        aria-label={variable.label || variable.name}
        multiple={variable.multi}
        size={variable.multi ? Math.min(4, options.length + all.length) : undefined}
        onChange={(e) => choose([...e.currentTarget.selectedOptions].map((o) => o.value))}
      >
        {[...all, ...options].map((o) => (
          <option value={o} selected={picked.includes(o)}>
            {o === kAll ? 'All' : o}
          </option>
        ))}
      </select>
    </label>
  );
}

// Each variable's options, in order, with the text of the ones before it; a selection that names
// none of the options becomes the default (else All when offered, else the first option).
async function resolveVariables(
  variables: Variable[],
  selections: Record<string, Selection>,
  start: number,
  end: number,
  signal: AbortSignal,
): Promise<{ resolved: Resolved; chosen: Record<string, Selection> }> {
  const resolved: Resolved = { options: {}, values: {}, error: null };
  const chosen: Record<string, Selection> = {};
  for (const v of variables) {
    const options = await variableOptions(v, resolved.values, start, end, signal);
    const current = selections[v.name];
    const kept = (current?.values ?? []).filter((x) => options.includes(x));
    let selection: Selection;
    if (current?.all && v.include_all) selection = { all: true, values: [] };
    else if (kept.length > 0) selection = { all: false, values: v.multi ? kept : [kept[0]] };
    else if (options.includes(v.default)) selection = { all: false, values: [v.default] };
    else if (v.include_all) selection = { all: true, values: [] };
    else selection = { all: false, values: options.slice(0, 1) };
    resolved.options[v.name] = options;
    resolved.values[v.name] = selectionText(v, selection);
    chosen[v.name] = selection;
  }
  return { resolved, chosen };
}
