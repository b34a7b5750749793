// Pieces the pages share: label sets as chips, a health or state badge, a failure banner.
import { formatLabels, type Labels } from './format';

export function LabelChips({ labels, skip = [] }: { labels: Labels; skip?: string[] }) {
  const names = Object.keys(labels)
    .filter((n) => !skip.includes(n))
    .sort();
  return (
    <span class="labels" title={formatLabels(labels)}>
      {names.map((n) => (
        <span class="label" key={n}>
          {n}=<b>{labels[n]}</b>
        </span>
      ))}
    </span>
  );
}

// `value` (up, down, firing, ok…) coloured by what it means.
export function Badge({ value }: { value: string }) {
  const tone =
    {
      up: 'good',
      ok: 'good',
      inactive: 'good',
      active: 'warn',
      pending: 'warn',
      unknown: 'muted',
      expired: 'muted',
      suppressed: 'muted',
    }[value] ?? 'bad';
  return <span class={`badge ${tone}`}>{value}</span>;
}

export function Failure({ error }: { error: string | null }) {
  return error ? (
    <div class="query-error" role="alert">
      Error: {error}
    </div>
  ) : null;
}

// A page's title with its refresh button and how it is doing.
export function PageHeader({
  title,
  loading,
  reload,
  children,
}: {
  title: string;
  loading: boolean;
  reload: () => void;
  children?: preact.ComponentChildren;
}) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      <div class="filters">{children}</div>
      <button onClick={reload} disabled={loading}>
        {loading ? 'Loading…' : 'Refresh'}
      </button>
    </div>
  );
}
