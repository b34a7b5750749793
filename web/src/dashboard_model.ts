// Dashboards as /api/v1/dashboards gives them (the list, with the files that failed to load, and
// one dashboard with every default filled in), and the values of a dashboard's variables.
import { apiGet } from './api';
import { labelValuesOf, parseLabelValues, filterValues, substitute } from './dashboard_vars';
import type { Labels } from './format';

export interface DashboardSummary {
  uid: string;
  title: string;
  tags: string[];
  source: string; // "built-in" or the file's path.
}
export interface LoadError {
  file: string;
  line: number; // 0 with column when the error has no place in the file.
  column: number;
  message: string;
}
export interface DashboardList {
  dashboards: DashboardSummary[];
  errors: LoadError[];
}

export interface Variable {
  name: string;
  label: string;
  type: 'query' | 'custom' | 'interval';
  query: string;
  regex: string;
  multi: boolean;
  include_all: boolean;
  all_value: string;
  values: string[];
  default: string;
}
export interface Threshold {
  value: number;
  color: string;
}
export interface PanelQuery {
  expr: string;
  legend: string;
  instant: boolean;
}
export interface Panel {
  title: string;
  description: string;
  type: string;
  width: number;
  height: number;
  unit: string;
  decimals?: number;
  min?: number;
  max?: number;
  stack: boolean;
  thresholds: Threshold[];
  queries: PanelQuery[];
}
export interface Row {
  title: string;
  collapsed: boolean;
  panels: Panel[];
}
export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  refresh: string;
  time: { from: string; to: string };
  variables: Variable[];
  rows: Row[];
}

export function listDashboards(signal?: AbortSignal): Promise<DashboardList> {
  return apiGet<DashboardList>('dashboards', {}, signal);
}

export function getDashboard(uid: string, signal: AbortSignal): Promise<Dashboard> {
  return apiGet<Dashboard>(`dashboards/${encodeURIComponent(uid)}`, {}, signal);
}

// The values `variable` offers, its query's variables replaced by `values`: a query variable's
// label values over [start, end] (label_values(selector, label) from the series the selector
// matches, label_values(label) from all), the others' listed values.
export async function variableOptions(
  variable: Variable,
  values: Record<string, string>,
  start: number,
  end: number,
  signal: AbortSignal,
): Promise<string[]> {
  if (variable.type !== 'query') return variable.values;
  const query = parseLabelValues(substitute(variable.query, values));
  if (!query) throw new Error(`${variable.name}: only label_values(...) queries are supported`);
  const range = { start: String(start), end: String(end) };
  if (query.selector === null) {
    const all = await apiGet<string[]>(`label/${query.label}/values`, range, signal);
    return filterValues(all, variable.regex);
  }
  const series = await apiGet<Labels[]>(
    'series',
    [['match[]', query.selector], ...Object.entries(range)],
    signal,
  );
  return labelValuesOf(series, query.label, variable.regex);
}
