// Small pure helpers the pages share: ages and durations as people read them ("3m 20s ago"),
// label sets as text, and Alertmanager matchers built from an alert's labels. No DOM.

export type Labels = Record<string, string>;

// An Alertmanager API v2 matcher: `name` equals (or, isRegex, matches) `value`; isEqual false
// negates it.
export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

const kUnits: [number, string][] = [
  [86400, 'd'],
  [3600, 'h'],
  [60, 'm'],
  [1, 's'],
];

// `seconds` as its two largest units (1d 2h, 3m 20s, 45s); below a second in ms (250ms).
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  if (rest < 1) return `${sign}${Number((rest * 1000).toPrecision(3))}ms`;
  rest = Math.round(rest);
  const parts: string[] = [];
  for (const [size, name] of kUnits) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    } else if (parts.length > 0) {
      break; // Two adjacent units at most: "1h 5s" would read as imprecise.
    }
  }
  return sign + parts.join(' ');
}

// A time as the APIs write one, in milliseconds since the epoch: RFC 3339 text, or a number of
// seconds (/api/v1's timestamps); NaN for anything else.
export function timeMs(time: string | number | undefined): number {
  if (typeof time === 'number') return time * 1000;
  return time ? Date.parse(time) : NaN;
}

// How long before `nowMs` the time `time` (as timeMs reads it) was: "3m 20s ago", "in 2h" for
// the future, "never" for Go's zero time that the API gives a target not scraped yet.
export function formatAgo(time: string | number | undefined, nowMs: number): string {
  const ms = timeMs(time);
  if (Number.isNaN(ms) || ms <= 0) return 'never';
  const seconds = (nowMs - ms) / 1000;
  if (Math.abs(seconds) < 1) return 'just now';
  return seconds >= 0 ? `${formatDuration(seconds)} ago` : `in ${formatDuration(-seconds)}`;
}

// Prometheus' way of writing a label set: {a="1", b="2"}, names sorted, values quoted.
export function formatLabels(labels: Labels): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${pairs.join(', ')}}`;
}

// Matchers selecting exactly the alert with `labels`: one equality per label, sorted by name,
// alertname first so that the form reads as "which alert, then which instance".
export function matchersFromLabels(labels: Labels): Matcher[] {
  const names = Object.keys(labels).sort((a, b) =>
    a === 'alertname' ? -1 : b === 'alertname' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return names.map((name) => ({ name, value: labels[name], isRegex: false, isEqual: true }));
}

// A matcher as Alertmanager writes one: name="value", name!~"regex".
export function formatMatcher(m: Matcher): string {
  const op = (m.isEqual ? '=' : '!') + (m.isRegex ? '~' : m.isEqual ? '' : '=');
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

// Parses a matcher as formatMatcher writes it (the quotes optional), or null.
export function parseMatcher(text: string): Matcher | null {
  const found = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/.exec(text);
  if (!found) return null;
  const [, name, op, raw] = found;
  let value = raw;
  if (raw.startsWith('"')) {
    try {
      value = JSON.parse(raw) as string;
    } catch {
      return null;
    }
  }
  return { name, value, isRegex: op.endsWith('~'), isEqual: op.startsWith('=') };
}

// Whether `labels` satisfy every matcher (a regex anchored as Prometheus anchors them).
export function labelsMatch(labels: Labels, matchers: Matcher[]): boolean {
  return matchers.every((m) => {
    const value = labels[m.name] ?? '';
    let equal: boolean;
    if (m.isRegex) {
      try {
        equal = new RegExp(`^(?:${m.value})$`).test(value);
      } catch {
        return false;
      }
    } else {
      equal = value === m.value;
    }
    return equal === m.isEqual;
  });
}
