import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  formatAgo,
  formatDuration,
  formatLabels,
  formatMatcher,
  labelsMatch,
  matchersFromLabels,
  parseMatcher,
} from './format';

test('formatDuration keeps the two largest adjacent units', () => {
  const cases: [number, string][] = [
    [0, '0ms'],
    [0.00123, '1.23ms'],
    [0.25, '250ms'],
    [1, '1s'],
    [45.4, '45s'],
    [200, '3m 20s'],
    [3600, '1h'],
    [3605, '1h'],
    [3660, '1h 1m'],
    [90000, '1d 1h'],
    [-90, '-1m 30s'],
    [NaN, '—'],
  ];
  for (const [seconds, want] of cases) assert.equal(formatDuration(seconds), want, `${seconds}`);
});

test('formatAgo reads past, future and never', () => {
  const now = Date.parse('2024-01-01T00:10:00Z');
  assert.equal(formatAgo('2024-01-01T00:06:40Z', now), '3m 20s ago');
  assert.equal(formatAgo('2024-01-01T02:10:00Z', now), 'in 2h');
  assert.equal(formatAgo('2024-01-01T00:10:00.300Z', now), 'just now');
  assert.equal(formatAgo('0001-01-01T00:00:00Z', now), 'never');
  assert.equal(formatAgo(undefined, now), 'never');
  assert.equal(formatAgo('garbage', now), 'never');
  assert.equal(formatAgo(now / 1000 - 90, now), '1m 30s ago'); // Seconds, as /api/v1 has them.
  assert.equal(formatAgo(0, now), 'never');
});

test('formatLabels sorts and quotes', () => {
  assert.equal(
    formatLabels({ job: 'a', instance: 'x:1', q: 'say "hi"' }),
    '{instance="x:1", job="a", q="say \\"hi\\""}',
  );
  assert.equal(formatLabels({}), '{}');
});

test('matchersFromLabels puts alertname first and matches the alert exactly', () => {
  const labels = { severity: 'page', alertname: 'Down', instance: 'a:1' };
  const matchers = matchersFromLabels(labels);
  assert.deepEqual(
    matchers.map((m) => formatMatcher(m)),
    ['alertname="Down"', 'instance="a:1"', 'severity="page"'],
  );
  assert.ok(matchers.every((m) => m.isEqual && !m.isRegex));
  assert.ok(labelsMatch(labels, matchers));
  assert.ok(!labelsMatch({ ...labels, instance: 'b:1' }, matchers));
});

test('parseMatcher reads each operator, quoted or not, and formatMatcher writes it back', () => {
  const cases: [string, string | null][] = [
    ['job="api"', 'job="api"'],
    ['job=api', 'job="api"'],
    [' job != "api" ', 'job!="api"'],
    ['instance=~"a.*"', 'instance=~"a.*"'],
    ['instance!~b.+', 'instance!~"b.+"'],
    ['quote="a\\"b"', 'quote="a\\"b"'],
    ['1bad="x"', null],
    ['job', null],
    ['job="unterminated', null],
  ];
  for (const [text, want] of cases) {
    const m = parseMatcher(text);
    assert.equal(m && formatMatcher(m), want, text);
  }
});

test('labelsMatch anchors regexes and treats a missing label as empty', () => {
  const labels = { job: 'api', env: 'prod' };
  const m = (t: string) => parseMatcher(t)!;
  assert.ok(labelsMatch(labels, [m('job=~"a.i"')]));
  assert.ok(!labelsMatch(labels, [m('job=~"a"')]));
  assert.ok(labelsMatch(labels, [m('team=""')]));
  assert.ok(labelsMatch(labels, [m('env!="dev"'), m('job!~"db|cache"')]));
  assert.ok(!labelsMatch(labels, [m('job=~"("')]));
  assert.ok(labelsMatch(labels, []));
});
