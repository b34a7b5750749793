import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  builtIns,
  filterValues,
  labelValuesOf,
  legendName,
  parseLabelValues,
  promDuration,
  rangeFromTime,
  readDashboardUrl,
  selectionText,
  substitute,
  writeDashboardUrl,
} from './dashboard_vars';

test('substitute replaces $name and ${name}, longest name first, and leaves unknown names', () => {
  const values = { job: 'node', instance: '(a|b)', __range: '1h', __range_s: '3600' };
  const cases: [string, string][] = [
    ['up{job="$job"}', 'up{job="node"}'],
    ['up{job="${job}"}', 'up{job="node"}'],
    ['x{instance=~"$instance"}', 'x{instance=~"(a|b)"}'],
    ['$__range_s / 60', '3600 / 60'],
    ['rate(x[$__range])', 'rate(x[1h])'],
    ['label_replace(x, "a", "$1", "b", "(.*)")', 'label_replace(x, "a", "$1", "b", "(.*)")'],
    ['$jobs', '$jobs'],
  ];
  for (const [text, want] of cases) assert.equal(substitute(text, values), want, text);
});

test('selectionText joins several values as an escaped alternation, and All as .*', () => {
  const single = { multi: false, include_all: false, all_value: '' };
  const multi = { multi: true, include_all: true, all_value: '' };
  const cases: [typeof single, boolean, string[], string][] = [
    [single, false, ['a.b:9100'], 'a.b:9100'],
    [multi, false, ['a'], 'a'],
    [multi, false, ['a', 'b'], '(a|b)'],
    [multi, false, ['h.x:1', 'h(2)'], '(h\\\\.x:1|h\\\\(2\\\\))'],
    [multi, true, [], '.*'],
    [{ ...multi, all_value: 'x|y' }, true, [], 'x|y'],
    [single, false, [], ''],
  ];
  for (const [spec, all, values, want] of cases) {
    assert.equal(selectionText(spec, { all, values }), want, values.join(','));
  }
});

test('parseLabelValues reads both forms and nothing else', () => {
  assert.deepEqual(parseLabelValues('label_values(node_uname_info{job="$job"}, instance)'), {
    selector: 'node_uname_info{job="$job"}',
    label: 'instance',
  });
  assert.deepEqual(parseLabelValues(' label_values( job ) '), { selector: null, label: 'job' });
  assert.equal(parseLabelValues('up'), null);
  assert.equal(parseLabelValues('query_result(up)'), null);
});

test('labelValuesOf gives distinct sorted values, filtered by a regex whose group is kept', () => {
  const series: Record<string, string>[] = [
    { instance: 'b:1' },
    { instance: 'a:1' },
    { instance: 'b:1' },
    { job: 'x' },
  ];
  assert.deepEqual(labelValuesOf(series, 'instance'), ['a:1', 'b:1']);
  assert.deepEqual(labelValuesOf(series, 'instance', '^b'), ['b:1']);
  assert.deepEqual(filterValues(['a:1', 'b:2'], '^(\\w):'), ['a', 'b']);
});

test('builtIns: the interval is the step, the rate interval at least four scrapes', () => {
  assert.deepEqual(builtIns(10, 3600), {
    __interval: '10s',
    __rate_interval: '1m',
    __range: '1h',
    __range_s: '3600',
  });
  assert.equal(builtIns(300, 86400).__rate_interval, '315s');
  assert.equal(promDuration(7200), '2h');
  assert.equal(promDuration(90), '90s');
});

test('legendName fills the template from the labels, or falls back', () => {
  const labels = { mode: 'user', instance: 'h' };
  assert.equal(legendName('{{mode}} on {{ instance }}', labels, 'f'), 'user on h');
  assert.equal(legendName('{{missing}}x', {}, 'f'), 'x');
  assert.equal(legendName('', { a: '1' }, 'f'), 'f');
});

test('the range and the selections survive the URL', () => {
  const url = {
    range: '6h',
    selections: {
      job: { all: false, values: ['node'] },
      instance: { all: false, values: ['a', 'b&c'] },
      x: { all: true, values: [] },
    },
  };
  assert.deepEqual(readDashboardUrl(writeDashboardUrl(url)), url);
  assert.deepEqual(readDashboardUrl('?range=13m'), { range: null, selections: {} });
});

test('rangeFromTime picks the preset of the dashboard time, or the next longer one', () => {
  assert.equal(rangeFromTime('now-3h'), '3h');
  assert.equal(rangeFromTime('now-20m'), '30m');
  assert.equal(rangeFromTime('now-30d'), '7d');
  assert.equal(rangeFromTime('2026-01-01T00:00:00Z'), '1h');
});
