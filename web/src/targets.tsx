// The Targets page: every scrape target and collector from /api/v1/targets, grouped by job,
// with health, last scrape, its duration and error, the labels after relabeling and (expanded)
// the labels it was discovered with; filtered by job and health. Then the targets that
// relabeling dropped, with the labels they were discovered with.
import { useState } from 'preact/hooks';

import { apiGet } from './api';
import { formatAgo, formatDuration, type Labels } from './format';
import { useLoad } from './use_api';
import { Badge, Failure, LabelChips, PageHeader } from './widgets';

interface Target {
  discoveredLabels: Labels;
  labels: Labels;
  scrapePool: string;
  scrapeUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: string;
}

interface TargetsData {
  activeTargets: Target[];
  droppedTargets: { discoveredLabels: Labels }[];
}

const kRefreshMs = 10000;

export function Targets() {
  const { data, error, loading, reload } = useLoad(
    (signal) => apiGet<TargetsData>('targets', { state: 'any' }, signal),
    [],
    kRefreshMs,
  );
  const [job, setJob] = useState('');
  const [health, setHealth] = useState('');
  const targets = data?.activeTargets ?? [];
  const jobs = [...new Set(targets.map((t) => t.scrapePool))].sort();
  const shown = targets.filter(
    (t) => (job === '' || t.scrapePool === job) && (health === '' || t.health === health),
  );
  const now = Date.now();

  return (
    <main class="page">
      <PageHeader title="Targets" loading={loading} reload={reload}>
        <select aria-label="Job" value={job} onChange={(e) => setJob(e.currentTarget.value)}>
          <option value="">All jobs</option>
          {jobs.map((j) => (
            <option value={j}>{j}</option>
          ))}
        </select>
        <select aria-label="Health" value={health} onChange={(e) => setHealth(e.currentTarget.value)}>
          <option value="">Any health</option>
          <option value="up">Up</option>
          <option value="down">Down</option>
          <option value="unknown">Unknown</option>
        </select>
      </PageHeader>
      <Failure error={error} />
      {data && shown.length === 0 && <p class="empty">No target matches.</p>}
      {jobs
        .filter((j) => shown.some((t) => t.scrapePool === j))
        .map((j) => {
          const inJob = shown.filter((t) => t.scrapePool === j);
          const up = inJob.filter((t) => t.health === 'up').length;
          return (
            <section class="card" key={j}>
              <h2>
                {j} <span class="count">({up}/{inJob.length} up)</span>
              </h2>
              <div class="table-scroll">
                <table class="result-table targets">
                  <thead>
                    <tr>
                      <th>Endpoint</th>
                      <th>Health</th>
                      <th>Labels</th>
                      <th>Last scrape</th>
                      <th>Duration</th>
                      <th>Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {inJob.map((t) => (
                      <TargetRow target={t} now={now} key={t.scrapeUrl + JSON.stringify(t.labels)} />
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          );
        })}
      {data && data.droppedTargets.length > 0 && (
        <details class="card dropped">
          <summary>
            {data.droppedTargets.length} discovered target
            {data.droppedTargets.length === 1 ? '' : 's'} dropped by relabeling
          </summary>
          {data.droppedTargets.map((t) => (
            <div class="dropped-target">
              <LabelChips labels={t.discoveredLabels} />
            </div>
          ))}
        </details>
      )}
    </main>
  );
}

function TargetRow({ target: t, now }: { target: Target; now: number }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr class="target">
        <td class="series">{t.scrapeUrl}</td>
        <td>
          <Badge value={t.health} />
        </td>
        <td>
          <LabelChips labels={t.labels} />{' '}
          <button class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'hide discovered' : 'discovered labels'}
          </button>
        </td>
        <td class="nowrap">{formatAgo(t.lastScrape, now)}</td>
        <td class="nowrap">{t.lastScrape ? formatDuration(t.lastScrapeDuration) : '—'}</td>
        <td class="error-text">{t.lastError}</td>
      </tr>
      {open && (
        <tr class="discovered">
          <td colSpan={6}>
            <div class="relabel">
              <div>
                <h3>Discovered labels (before relabeling)</h3>
                <LabelChips labels={t.discoveredLabels} />
              </div>
              <div>
                <h3>Target labels (after relabeling)</h3>
                <LabelChips labels={t.labels} />
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
