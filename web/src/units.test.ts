import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dashboardUnit, formatValue, guessUnit, type Unit } from './units';

test('formatValue humanises each unit', () => {
  const cases: [number, Unit, string][] = [
    [0, 'short', '0'],
    [999, 'short', '999'],
    [1234, 'short', '1.23k'],
    [-1500000, 'short', '-1.5M'],
    [2.5e9, 'short', '2.5G'],
    [0.0123, 'short', '0.0123'],
    [0.5, 'short', '0.5'],
    [0.2004138888, 'ops/s', '0.2/s'],
    [1, 'short', '1'],
    [1023, 'bytes', '1023 B'],
    [1024, 'bytes', '1 KiB'],
    [1536, 'bytes', '1.5 KiB'],
    [5 * 1024 ** 3, 'bytes', '5 GiB'],
    [2048, 'bytes/s', '2 KiB/s'],
    [0.25, 'seconds', '250ms'],
    [0.000002, 'seconds', '2µs'],
    [1e-12, 'seconds', '1.00e-12 s'],
    [12.5, 'seconds', '12.5 s'],
    [90, 'seconds', '1.5 min'],
    [7200, 'seconds', '2 h'],
    [172800, 'seconds', '2 d'],
    [45.678, 'percent', '45.7%'],
    [0.25, 'percentunit', '25%'],
    [12345, 'ops/s', '12.3k/s'],
    [1, 'cores', '1 core'],
    [1.5, 'cores', '1.5 cores'],
    [NaN, 'bytes', 'NaN'],
    [Infinity, 'short', '+Inf'],
    [-Infinity, 'seconds', '-Inf'],
  ];
  for (const [v, unit, want] of cases) {
    assert.equal(formatValue(v, unit), want, `${v} in ${unit}`);
  }
});

test('guessUnit reads the naming conventions', () => {
  const cases: [string, Unit][] = [
    ['up', 'short'],
    ['rate(prometheus_http_requests_total[1m])', 'ops/s'],
    ['node_memory_MemAvailable_bytes', 'bytes'],
    ['rate(node_network_receive_bytes_total[5m])', 'bytes/s'],
    ['process_cpu_seconds_total', 'seconds'],
    ['rate(process_cpu_seconds_total[1m])', 'cores'],
    ['histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))', 'seconds'],
    ['node_filesystem_usage_ratio', 'percentunit'],
  ];
  for (const [expr, want] of cases) assert.equal(guessUnit(expr), want, expr);
});

test('dashboardUnit maps unit ids to a Unit and a scale', () => {
  assert.deepEqual(dashboardUnit('Bps'), { unit: 'bytes/s', scale: 1 });
  assert.deepEqual(dashboardUnit('ms'), { unit: 'seconds', scale: 1e-3 });
  assert.deepEqual(dashboardUnit('reqps'), { unit: 'ops/s', scale: 1 });
  assert.deepEqual(dashboardUnit('celsius'), { unit: 'short', scale: 1 });
  assert.equal(formatValue(250 * dashboardUnit('ms').scale, dashboardUnit('ms').unit), '250ms');
});
