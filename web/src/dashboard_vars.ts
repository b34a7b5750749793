// A dashboard's variables as its queries use them: the text a selection stands for, the
// label_values(...) form of a query variable, the built-ins ($__interval, $__rate_interval,
// $__range, $__range_s), and replacing $name and ${name} in a query. Pure functions, no DOM.

import type { Labels } from './format';
import { kRangePresets, parseDuration } from './url_state';

// What the user picked for a variable: values, or "All".
export interface Selection {
  all: boolean;
  values: string[];
}

export interface VariableSpec {
  multi: boolean;
  include_all: boolean;
  all_value: string;
}

// The scrape interval a dashboard's $__rate_interval assumes (Grafana's default), in seconds.
export const kAssumedScrapeSeconds = 15;

// Regular-expression metacharacters, which a value joined into an alternation matches literally.
const kRegexSpecial = /[\\^$.|?*+()[\]{}]/g;

// A value as a regex that matches it literally, written for a PromQL double-quoted string (where
// a backslash is itself escaped): "a.b" becomes a\\.b.
export function escapeRegexValue(value: string): string {
  return value.replace(kRegexSpecial, (c) => `\\\\${c}`);
}

// The text `selection` of `variable` stands for in a query: "All" as its all_value (".*" when
// empty); for a variable that may match several values (multi or include_all) the values escaped
// and joined as (a|b); otherwise the single value as it is.
export function selectionText(variable: VariableSpec, selection: Selection): string {
  if (selection.all) return variable.all_value === '' ? '.*' : variable.all_value;
  if (!variable.multi && !variable.include_all) return selection.values[0] ?? '';
  const escaped = selection.values.map(escapeRegexValue);
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
}

// Replaces $name and ${name} in `text` by `values[name]`; a name with no value (as $1 in
// label_replace) is left as it is. Longer names win: $__range_s is not $__range followed by _s.
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a, b) => {
    const name = (a ?? b) as string;
    return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
  });
}

// Seconds as the shortest whole PromQL duration: 60 -> "1m", 90 -> "90s", 7200 -> "2h".
export function promDuration(seconds: number): string {
  const whole = Math.max(1, Math.round(seconds));
  for (const [unit, factor] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as [string, number][]) {
    if (whole % factor === 0) return `${whole / factor}${unit}`;
  }
  return `${whole}s`;
}

// The built-ins for a panel whose step is `stepSeconds`, over a range of `rangeSeconds`.
export function builtIns(stepSeconds: number, rangeSeconds: number): Record<string, string> {
  const rate = Math.max(4 * kAssumedScrapeSeconds, stepSeconds + kAssumedScrapeSeconds);
  return {
    __interval: promDuration(stepSeconds),
    __rate_interval: promDuration(rate),
    __range: promDuration(rangeSeconds),
    __range_s: String(Math.round(rangeSeconds)),
  };
}

// A query variable's query: label_values(selector, label) or label_values(label); null for any
// other form.
export interface LabelValuesQuery {
  selector: string | null;
  label: string;
}
export function parseLabelValues(query: string): LabelValuesQuery | null {
  const form = /^\s*label_values\s*\(\s*(?:(.*\S)\s*,\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/s;
  const m = form.exec(query);
  return m ? { selector: m[1] ?? null, label: m[2] } : null;
}

// The distinct values of `label` among `series`, sorted; filtered by `regex` when it is not empty
// (a value it matches is kept whole, or only its first group when the regex has one).
export function labelValuesOf(series: Labels[], label: string, regex = ''): string[] {
  const values = new Set<string>();
  for (const labels of series) {
    if (labels[label] !== undefined) values.add(labels[label]);
  }
  return filterValues([...values].sort(), regex);
}

export function filterValues(values: string[], regex: string): string[] {
  if (regex === '') return values;
  const re = new RegExp(regex);
  const kept = new Set<string>();
  for (const v of values) {
    const m = re.exec(v);
    if (m) kept.add(m[1] ?? v);
  }
  return [...kept];
}

// A series' legend from Prometheus' template ({{label}}); `fallback` when there is no template.
export function legendName(template: string, labels: Labels, fallback: string): string {
  if (template === '') return fallback;
  const field = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
  return template.replace(field, (_, name: string) => labels[name] ?? '');
}

// The part of a dashboard's URL that says what it shows: ?range=1h&var-job=node&var-instance=a
// &var-instance=b, where "All" is the value $__all.
export interface DashboardUrl {
  range: string | null; // One of kRangePresets; null when absent or not one of them.
  selections: Record<string, Selection>;
}
const kAllValue = '$__all';

export function readDashboardUrl(search: string): DashboardUrl {
  const params = new URLSearchParams(search);
  const range = params.get('range');
  const selections: Record<string, Selection> = {};
  for (const [key, value] of params) {
    if (!key.startsWith('var-')) continue;
    const selection = (selections[key.slice(4)] ??= { all: false, values: [] });
    if (value === kAllValue) selection.all = true;
    else selection.values.push(value);
  }
  return { range: range !== null && kRangePresets.includes(range) ? range : null, selections };
}

// The query string, with its "?", that readDashboardUrl reads back as `url`.
export function writeDashboardUrl(url: DashboardUrl): string {
  const params = new URLSearchParams();
  if (url.range !== null) params.set('range', url.range);
  for (const [name, selection] of Object.entries(url.selections)) {
    if (selection.all) params.append(`var-${name}`, kAllValue);
    else for (const v of selection.values) params.append(`var-${name}`, v);
  }
  return `?${params.toString()}`;
}

// The preset a dashboard's time.from ("now-6h") opens with: its duration when it is a preset,
// else the nearest longer preset, else the longest.
export function rangeFromTime(from: string): string {
  const seconds = parseDuration(from.replace(/^now-/, '')) ?? 3600;
  return kRangePresets.find((r) => (parseDuration(r) ?? 0) >= seconds) ?? kRangePresets.at(-1)!;
}
